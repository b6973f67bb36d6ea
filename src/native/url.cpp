#include "native/url.h"

#include <cctype>

namespace chat::native {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Port digits only, 1..65535.
std::optional<uint16_t> parsePort(const std::string& s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

bool validHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string Url::hostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 80) h += ":" + std::to_string(port);
  return h;
}

std::optional<Url> parseUrl(const std::string& text) {
  const auto schemeEnd = text.find("://");
  if (schemeEnd == std::string::npos) return std::nullopt;
  Url url;
  url.scheme = lower(text.substr(0, schemeEnd));
  if (url.scheme != "ws" && url.scheme != "http") return std::nullopt;

  const std::size_t authorityStart = schemeEnd + 3;
  std::size_t authorityEnd = text.find_first_of("/?#", authorityStart);
  if (authorityEnd == std::string::npos) authorityEnd = text.size();
  const std::string authority = text.substr(authorityStart, authorityEnd - authorityStart);
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;

  std::string portText;
  if (authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos || close == 1) return std::nullopt;
    url.host = authority.substr(1, close - 1);
    for (char c : url.host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return std::nullopt;
    }
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      portText = rest.substr(1);
      if (portText.empty()) return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) return std::nullopt;
    }
    if (url.host.empty()) return std::nullopt;
    for (char c : url.host) {
      if (!validHostChar(c)) return std::nullopt;
    }
  }
  if (portText.empty()) {
    url.port = 80;
  } else {
    auto port = parsePort(portText);
    if (!port) return std::nullopt;
    url.port = *port;
  }

  // The fragment never goes on the wire.
  std::string rest = text.substr(authorityEnd);
  rest = rest.substr(0, rest.find('#'));
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;  // no raw spaces/controls
  }
  url.target = rest.empty() || rest.front() != '/' ? "/" + rest : rest;
  return url;
}

}  // namespace chat::native
