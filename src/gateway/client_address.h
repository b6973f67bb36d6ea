// Whose request is it: the address the per-address limits (the HTTP send budget, wrong-PIN
// lockouts) count. Normally the TCP peer. Behind a reverse proxy every peer is the proxy, so
// all users would share one budget; a proxy named with --trusted-proxy tells the client's
// address in X-Forwarded-For, and only such a proxy is believed (anyone else can write that
// header). The list is read from the right: each trusted hop appended the address it saw, so
// the first untrusted address from the right is the client; what a client wrote itself on
// the left is never used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::gateway {

// The address in its canonical text form (IPv4 dotted, IPv6 compressed, an IPv4-mapped IPv6
// address as IPv4), or nothing when `text` is not an IP address.
std::optional<std::string> canonicalIp(std::string_view text);

// The client's address for a request from `peer` carrying `forwardedFor` (the X-Forwarded-For
// header, "" when absent). `trusted` holds canonical addresses (canonicalIp). Falls back to
// `peer` when the peer is not trusted or the header names no usable address.
std::string clientAddress(const std::string& peer, std::string_view forwardedFor,
                          const std::vector<std::string>& trusted);

bool isTrustedProxy(const std::string& peer, const std::vector<std::string>& trusted);

}  // namespace chat::gateway
