#include "core/net/http_api.h"

#include <nlohmann/json.hpp>

namespace chat::net::http_api {

namespace {

constexpr int kShortRequestTimeoutMs = 15000;
// A long poll may legitimately take waitMs; give the network some slack on top.
constexpr int kLongPollSlackMs = 10000;

void authorize(HttpTransport::Request& req, const std::string& token) {
  if (!token.empty()) req.headers["Authorization"] = "Bearer " + token;
}

nlohmann::json parse(const std::string& body) {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::optional<std::string> stringField(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string encodeQueryValue(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

HttpTransport::Request health(const std::string& apiBase) {
  HttpTransport::Request req;
  req.method = "GET";
  req.url = apiBase + "/health";
  req.timeoutMs = kShortRequestTimeoutMs;
  return req;
}

HttpTransport::Request exchangePin(const std::string& apiBase, const std::string& pin) {
  HttpTransport::Request req;
  req.method = "POST";
  req.url = apiBase + "/auth";
  req.headers["Content-Type"] = "application/json";
  req.body = nlohmann::json{{"pin", pin}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  req.timeoutMs = kShortRequestTimeoutMs;
  return req;
}

HttpTransport::Request events(const std::string& apiBase, const std::string& token,
                              const std::string& sessionId, int64_t after, int waitMs) {
  HttpTransport::Request req;
  req.method = "GET";
  req.url = apiBase + "/events?sessionId=" + encodeQueryValue(sessionId) +
            "&after=" + std::to_string(after < 0 ? 0 : after) +
            "&waitMs=" + std::to_string(waitMs < 0 ? 0 : waitMs);
  authorize(req, token);
  req.timeoutMs = (waitMs < 0 ? 0 : waitMs) + kLongPollSlackMs;
  return req;
}

HttpTransport::Request send(const std::string& apiBase, const std::string& token,
                            const std::string& frame) {
  HttpTransport::Request req;
  req.method = "POST";
  req.url = apiBase + "/send";
  req.headers["Content-Type"] = "application/json";
  req.body = frame;
  authorize(req, token);
  req.timeoutMs = kShortRequestTimeoutMs;
  return req;
}

bool isSuccess(int status) { return status >= 200 && status < 300; }

bool isUnauthorized(int status) { return status == 401 || status == 403; }

bool isTransient(int status) {
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

std::optional<std::string> tokenFrom(const std::string& body) {
  auto token = stringField(parse(body), "token");
  if (token && token->empty()) return std::nullopt;
  return token;
}

std::optional<std::string> queuedRequestId(const std::string& body) {
  nlohmann::json j = parse(body);
  auto status = stringField(j, "status");
  if (!status || *status != "queued") return std::nullopt;
  return stringField(j, "requestId");
}

ErrorInfo errorFrom(int status, const std::string& body, const std::string& fallbackCode) {
  ErrorInfo info{fallbackCode, "HTTP " + std::to_string(status)};
  nlohmann::json j = parse(body);
  if (!j.is_object()) return info;
  const nlohmann::json* source = &j;
  auto err = j.find("error");
  if (err != j.end()) {
    if (err->is_object()) {
      source = &*err;
    } else if (err->is_string()) {
      info.message = err->get<std::string>();
    }
  }
  if (auto code = stringField(*source, "code"); code && !code->empty()) info.code = *code;
  if (auto message = stringField(*source, "message"); message && !message->empty()) {
    info.message = *message;
  }
  return info;
}

}  // namespace chat::net::http_api
