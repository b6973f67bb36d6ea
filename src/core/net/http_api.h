// The gateway's HTTP API as the engine uses it: request builders and answer parsers for
// GET /health, POST /auth, GET /events (long-poll) and POST /send. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/net/platform.h"

namespace chat::net::http_api {

// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay as they are).
std::string encodeQueryValue(const std::string& value);

HttpTransport::Request health(const std::string& apiBase);
HttpTransport::Request exchangePin(const std::string& apiBase, const std::string& pin);
HttpTransport::Request events(const std::string& apiBase, const std::string& token,
                              const std::string& sessionId, int64_t after, int waitMs);
HttpTransport::Request send(const std::string& apiBase, const std::string& token,
                            const std::string& frame);

bool isSuccess(int status);
// 401/403: the credentials are wrong; retrying cannot help.
bool isUnauthorized(int status);
// Worth retrying later: network errors, timeouts, rate limits and server errors.
bool isTransient(int status);

// The token of a POST /auth answer ({token}), if any.
std::optional<std::string> tokenFrom(const std::string& body);
// The requestId of a {status:"queued", requestId} answer, if that is what the body is.
std::optional<std::string> queuedRequestId(const std::string& body);

// The error code and message of an error answer. Accepts {code,message}, {error:{code,message}}
// and {error:"..."}; falls back to `fallbackCode` and the HTTP status.
struct ErrorInfo {
  std::string code;
  std::string message;
};
ErrorInfo errorFrom(int status, const std::string& body, const std::string& fallbackCode);

}  // namespace chat::net::http_api
