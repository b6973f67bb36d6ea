#include "gateway_api.h"

#include <chrono>
#include <optional>

namespace chat::itest {

GatewayApi::GatewayApi(native::EventLoop& loop, std::string apiBase, std::string token)
    : loop_(loop), http_(loop.context()), apiBase_(std::move(apiBase)), token_(std::move(token)) {}

HttpResult GatewayApi::exchange(net::HttpTransport::Request request) {
  if (!token_.empty()) request.headers["Authorization"] = "Bearer " + token_;
  request.timeoutMs = 10000;
  std::optional<net::HttpTransport::Response> response;
  http_.request(request, [&response](const net::HttpTransport::Response& r) { response = r; });
  loop_.runUntil([&response] { return response.has_value(); }, std::chrono::seconds(12));
  HttpResult result;
  if (!response) {
    result.error = "no response";
    return result;
  }
  result.status = response->status;
  result.body = response->body;
  result.error = response->error;
  result.json = nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  return result;
}

HttpResult GatewayApi::get(const std::string& pathAndQuery) {
  net::HttpTransport::Request request;
  request.method = "GET";
  request.url = apiBase_ + pathAndQuery;
  return exchange(request);
}

HttpResult GatewayApi::post(const std::string& path, const nlohmann::json& body) {
  net::HttpTransport::Request request;
  request.method = "POST";
  request.url = apiBase_ + path;
  request.headers["Content-Type"] = "application/json";
  request.body = body.dump();
  return exchange(request);
}

std::vector<nlohmann::json> GatewayApi::events(const std::string& sessionId) {
  std::vector<nlohmann::json> all;
  int64_t after = 0;
  for (int page = 0; page < 10000; ++page) {
    const HttpResult r =
        get("/events?sessionId=" + sessionId + "&after=" + std::to_string(after) + "&waitMs=0");
    if (r.status != 200 || !r.json.is_object() || !r.json.contains("events") ||
        !r.json["events"].is_array()) {
      break;
    }
    const auto& events = r.json["events"];
    if (events.empty()) break;
    for (const auto& e : events) {
      all.push_back(e);
      after = std::max<int64_t>(after, e.value("seq", int64_t{0}));
    }
    if (after >= r.json.value("lastSeq", int64_t{0})) break;
  }
  return all;
}

std::map<std::string, LoggedTurn> turnsOf(const std::vector<nlohmann::json>& events) {
  std::map<std::string, LoggedTurn> turns;
  for (const auto& e : events) {
    const std::string type = e.value("type", "");
    if (type == "chat.message") {
      turns[e.value("messageId", "")].userContent = e.value("content", "");
    } else if (type == "chat.stream.start") {
      turns[e.value("requestId", "")].starts++;
    } else if (type == "chat.stream.delta") {
      auto& t = turns[e.value("requestId", "")];
      t.reply += e.value("delta", "");
      t.deltas++;
    } else if (type == "chat.stream.end") {
      auto& t = turns[e.value("requestId", "")];
      t.ends++;
      t.stopReason = e.value("stopReason", "");
    }
  }
  return turns;
}

bool seqsAreContiguous(const std::vector<nlohmann::json>& events) {
  int64_t expected = 1;
  for (const auto& e : events) {
    if (e.value("seq", int64_t{0}) != expected) return false;
    ++expected;
  }
  return true;
}

}  // namespace chat::itest
