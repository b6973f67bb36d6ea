// Parsing of the two URL shapes the engine hands to the native transports:
//   ws://host:port/path?query   (WebSocket)      http://host:port/base?query   (HTTP API)
// No TLS here (wss/https are refused): the native adapters talk to a gateway on this machine
// or a trusted network, and the browser build handles TLS through the browser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace chat::native {

struct Url {
  std::string scheme;  // "ws" or "http" (lower case)
  std::string host;    // without brackets, e.g. "127.0.0.1", "::1", "localhost"
  uint16_t port = 0;   // explicit, or the scheme's default (80)
  std::string target;  // path and query, always starting with '/'

  // The Host header value: host, bracketed if IPv6, with ":port" unless it is the default.
  std::string hostHeader() const;
  std::string portString() const { return std::to_string(port); }
};

// nullopt for anything that is not a well-formed ws:// or http:// URL (never throws).
std::optional<Url> parseUrl(const std::string& text);

}  // namespace chat::native
