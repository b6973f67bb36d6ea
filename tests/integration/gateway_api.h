// The gateway's HTTP API as the tests read it: the event log (GET /api/events) is the ground
// truth a client's transcript is compared against. Requests go through the native BeastHttp
// transport on the shared EventLoop.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "native/beast_http.h"
#include "native/event_loop.h"

namespace chat::itest {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;
  nlohmann::json json;  // parsed body (discarded value if not JSON)
};

class GatewayApi {
 public:
  GatewayApi(native::EventLoop& loop, std::string apiBase, std::string token);

  HttpResult get(const std::string& pathAndQuery);
  HttpResult post(const std::string& path, const nlohmann::json& body);

  // The whole event log of a session, seq 1..lastSeq, read page by page.
  std::vector<nlohmann::json> events(const std::string& sessionId);

 private:
  HttpResult exchange(net::HttpTransport::Request request);

  native::EventLoop& loop_;
  native::BeastHttp http_;
  std::string apiBase_;
  std::string token_;
};

// What the log says about one turn (one chat.send id).
struct LoggedTurn {
  std::string userContent;  // chat.message content
  std::string reply;        // the chat.stream.delta deltas, concatenated in seq order
  int deltas = 0;
  int starts = 0;
  int ends = 0;
  std::string stopReason;
};

// Turns of a session log by requestId, and the log's own checks: seqs 1..N without holes.
std::map<std::string, LoggedTurn> turnsOf(const std::vector<nlohmann::json>& events);
bool seqsAreContiguous(const std::vector<nlohmann::json>& events);

}  // namespace chat::itest
