// The --upstream base URL (http:// or https://, host, optional port, optional base path such
// as /v1), parsed once at start. Pure: unit tested.
#pragma once

#include <optional>
#include <string>

namespace chat::gateway {

struct UpstreamUrl {
  bool tls = false;
  std::string host;      // without brackets for IPv6
  std::string port;      // explicit, or 80 / 443
  std::string basePath;  // "" or "/v1" (no trailing slash)

  // The Host header: host (bracketed if IPv6) with ":port" unless it is the scheme's default.
  std::string hostHeader() const;
  // basePath + path ("/chat/completions" -> "/v1/chat/completions").
  std::string target(const std::string& path) const { return basePath + path; }
};

// nullopt (and *error says why) for anything but a well-formed http(s) URL without query,
// fragment or user info.
std::optional<UpstreamUrl> parseUpstreamUrl(const std::string& text, std::string* error);

}  // namespace chat::gateway
