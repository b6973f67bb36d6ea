// Checks on a request's headers that keep other web sites out, before anything is read or
// done for them:
// - Host (DNS rebinding): a page on attacker.example whose name is rebound to 127.0.0.1 talks
//   to the gateway with "Host: attacker.example". Only names the gateway knows are accepted:
//   IP literals (a page can only reach an IP under its own name), localhost and *.localhost,
//   --host, and the --allowed-host list.
// - Cross-site state changes (CSRF): a browser lets any page POST to any address; the Origin
//   header (and Sec-Fetch-Site) says who asked. State-changing requests need no Origin (not a
//   browser), the gateway's own origin, or an --allow-origin one.
// - JSON bodies only: text/plain, form and multipart bodies are what a page can send across
//   sites without a preflight; requiring application/json makes the browser ask first.
#pragma once

#include <string>
#include <string_view>

#include "gateway/config.h"

namespace chat::gateway {

// The host name of a Host header value ("Example.COM:8080" -> "example.com", "[::1]:80" ->
// "::1"); "" for an empty or malformed value.
std::string hostNameOf(std::string_view hostHeader);

// Whether a request with this Host header value may be served (see above). An absent Host
// (HTTP/1.0 tools) is accepted: browsers always send one.
bool hostAllowed(std::string_view hostHeader, const Config& config);

// Whether a state-changing request with these headers may proceed: Origin absent (and
// Sec-Fetch-Site not "cross-site"), or the gateway's own origin (scheme://Host), or one of
// --allow-origin. "null" (sandboxed frames, file: pages) is refused.
bool stateChangeAllowed(std::string_view origin, std::string_view secFetchSite,
                        std::string_view hostHeader, const Config& config);

// application/json, with parameters or not (any case).
bool isJsonContentType(std::string_view contentType);

}  // namespace chat::gateway
