#include "gateway/client_address.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace chat::gateway {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> canonicalIp(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  boost::system::error_code ec;
  boost::asio::ip::address a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

bool isTrustedProxy(const std::string& peer, const std::vector<std::string>& trusted) {
  if (trusted.empty()) return false;
  auto canonical = canonicalIp(peer);
  return canonical && std::find(trusted.begin(), trusted.end(), *canonical) != trusted.end();
}

std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trusted) {
  if (forwardedFor.empty() || !isTrustedProxy(peer, trusted)) return peer;
  // From the right: skip the hops that are our own proxies; the first other one is the client.
  std::string_view rest = forwardedFor;
  while (!rest.empty()) {
    const std::size_t comma = rest.rfind(',');
    const std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto ip = canonicalIp(hop);
    if (!ip) return peer;  // garbage where an address should be: believe nothing
    if (std::find(trusted.begin(), trusted.end(), *ip) == trusted.end()) return *ip;
  }
  return peer;  // only our own proxies: the request came from one of them
}

}  // namespace chat::gateway
