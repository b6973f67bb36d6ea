#include "gateway/request_guard.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace chat::gateway {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool isIpLiteral(const std::string& name) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, name.c_str(), buf) == 1 || ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string hostNameOf(std::string_view hostHeader) {
  std::string h = lower(trim(hostHeader));
  if (h.empty()) return "";
  std::string name;
  if (h.front() == '[') {
    auto close = h.find(']');
    if (close == std::string::npos) return "";
    name = h.substr(1, close - 1);
    std::string rest = h.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.find_first_not_of("0123456789", 1) != std::string::npos))
      return "";
  } else {
    auto colon = h.find(':');
    name = h.substr(0, colon);
    if (colon != std::string::npos &&
        h.find_first_not_of("0123456789", colon + 1) != std::string::npos)
      return "";
  }
  if (!name.empty() && name.back() == '.') name.pop_back();  // "localhost." is localhost
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_'))
      return "";
  return name;
}

bool hostAllowed(std::string_view hostHeader, const Config& config) {
  if (trim(hostHeader).empty()) return true;
  std::string name = hostNameOf(hostHeader);
  if (name.empty()) return false;
  if (isIpLiteral(name)) return true;
  if (name == "localhost" || endsWith(name, ".localhost")) return true;
  if (name == lower(config.host)) return true;
  for (const auto& allowed : config.allowedHosts)
    if (name == lower(allowed)) return true;
  return false;
}

bool stateChangeAllowed(std::string_view origin, std::string_view secFetchSite,
                        std::string_view hostHeader, const Config& config) {
  std::string o = lower(trim(origin));
  if (o.empty()) return lower(trim(secFetchSite)) != "cross-site";
  std::string host = lower(trim(hostHeader));
  if (!host.empty() && (o == "http://" + host || o == "https://" + host)) return true;
  for (const auto& allowed : config.allowOrigins)
    if (lower(allowed) == o) return true;
  return false;
}

bool isJsonContentType(std::string_view contentType) {
  std::string t = lower(contentType);
  auto semi = t.find(';');
  return trim(std::string_view(t).substr(0, semi)) == "application/json";
}

}  // namespace chat::gateway
