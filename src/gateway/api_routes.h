// The HTTP API under /api/ (protocol 1): health, config, auth (PIN -> token), send,
// events (long-poll) and sessions, with CORS for --allow-origin origins.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <boost/beast/http.hpp>

#include "gateway/server_context.h"

namespace chat::gateway {

using ApiRequest = boost::beast::http::request<boost::beast::http::string_body>;
using ApiResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Answers `req` through `respond`, at once or later (GET /api/events waits for events).
// `respond` is called exactly once.
void handleApiRequest(ServerContext& ctx, const ApiRequest& req, const std::string& remoteAddress,
                      std::function<void(ApiResponse&&)> respond);

// Called with the request's headers only, before its body is read: the refusal, if any, that
// must not wait for the body (nor let it be read into memory): a cross-site state change
// (403), a POST body that is not application/json (415), a protected endpoint without the
// right bearer token (401). With CORS headers, like every API answer.
std::optional<ApiResponse> refuseBeforeBody(ServerContext& ctx, const ApiRequest& head);

// Whether `path` ("/api/send") is an endpoint that needs the bearer token.
bool isProtectedApiPath(const std::string& path);

// HTTP status for a protocol error code (bad_request -> 400, unauthorized -> 401, ...).
unsigned httpStatusForCode(const std::string& code);

// Parses "a=1&b=x" (percent-decoded values); later duplicates win.
std::map<std::string, std::string> parseQuery(const std::string& query);

}  // namespace chat::gateway
