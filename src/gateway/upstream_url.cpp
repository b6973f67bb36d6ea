#include "gateway/upstream_url.h"

#include <cctype>

namespace chat::gateway {

std::string UpstreamUrl::hostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? "443" : "80")) h += ":" + port;
  return h;
}

std::optional<UpstreamUrl> parseUpstreamUrl(const std::string& text, std::string* error) {
  auto fail = [error](const std::string& why) -> std::optional<UpstreamUrl> {
    if (error) *error = why;
    return std::nullopt;
  };
  UpstreamUrl url;
  std::string rest;
  if (text.rfind("http://", 0) == 0) {
    rest = text.substr(7);
  } else if (text.rfind("https://", 0) == 0) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    return fail("the upstream URL must start with http:// or https://");
  }
  if (rest.find_first_of("?#@") != std::string::npos)
    return fail("the upstream URL takes no query, fragment or user info");
  std::string authority = rest.substr(0, rest.find('/'));
  url.basePath = rest.size() > authority.size() ? rest.substr(authority.size()) : "";
  while (!url.basePath.empty() && url.basePath.back() == '/') url.basePath.pop_back();
  if (authority.empty()) return fail("the upstream URL has no host");
  std::string portText;
  if (authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return fail("unclosed [ in the upstream host");
    url.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail("bad upstream host");
      portText = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) portText = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail("the upstream URL has no host");
  if (!portText.empty()) {
    for (char c : portText)
      if (!std::isdigit(static_cast<unsigned char>(c))) return fail("bad upstream port");
    if (portText.size() > 5 || std::stoi(portText) < 1 || std::stoi(portText) > 65535)
      return fail("bad upstream port");
    url.port = portText;
  } else {
    url.port = url.tls ? "443" : "80";
  }
  return url;
}

}  // namespace chat::gateway
