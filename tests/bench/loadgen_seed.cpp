// Seeds a session with a long history for the browser benchmark: TURNS chat.send "/long 1"
// (each gives a user message and a one-word reply: two messages of the transcript) sent over
// one WebSocket to a gateway running with --demo-delay-ms 0 on the given db, at most WINDOW
// turns in flight. The gateway is stopped cleanly afterwards; the db keeps the session.
#include <memory>

#include <nlohmann/json.hpp>

#include "loadgen_client.h"
#include "loadgen_gateway.h"
#include "loadgen_scenarios.h"

namespace bench {

int runSeed(Context& cx) {
  const std::string db = cx.options.str("db", "");
  const std::string sessionId = cx.options.str("session", "");
  const long turns = cx.options.num("turns", 50);
  const long window = cx.options.num("window", 16);
  if (db.empty() || sessionId.empty()) {
    progress("seed: --db PATH and --session ID are required");
    return 2;
  }
  GatewayOptions go;
  go.binary = cx.gatewayBinary;
  go.dbPath = db;
  go.demoDelayMs = 0;
  GatewayProcess gw(go, cx.workDir);
  std::string error;
  if (!gw.start(&error)) {
    progress("seed: " + error);
    return 1;
  }
  auto ws = std::make_shared<WsClient>(cx.ioc, tcp::endpoint(asio::ip::address_v4::loopback(),
                                                              static_cast<unsigned short>(gw.port())));
  long sent = 0, ended = 0;
  bool authed = false, closed = false;
  auto sendMore = [&] {
    while (sent < turns && sent - ended < window) {
      // Ids are unique per gateway db, not per session: make them unique across seeded sessions.
      ws->send(chatSendFrame("c-seed-" + sessionId + "-" + std::to_string(sent), sessionId, "/long 1"));
      ++sent;
    }
  };
  ws->onFrame = [&](const std::string& frame) {
    if (!authed) {
      if (frame.find("\"auth.ok\"") != std::string::npos) {
        authed = true;
        sendMore();
      }
      return;
    }
    if (frame.find("\"chat.stream.end\"") != std::string::npos) {
      ++ended;
      sendMore();
    }
  };
  ws->onClose = [&](const error_code&) { closed = true; };
  ws->open([&](const error_code& ec) {
    if (ec) closed = true;
    else ws->send(authFrame(go.token));
  });
  const int64_t t0 = nowUs();
  // Bounded: stop when done, closed, or when no reply ended for 10 s.
  long endedAtCheck = -1;
  int64_t lastProgressUs = t0;
  runUntil(cx.ioc, [&] {
    if (ended != endedAtCheck) {
      endedAtCheck = ended;
      lastProgressUs = nowUs();
    }
    return ended >= turns || closed || nowUs() - lastProgressUs > 10'000'000;
  }, std::chrono::seconds(240));
  ws->abort();
  gw.stop();
  progress("seed: " + std::to_string(ended) + "/" + std::to_string(turns) + " turns in " +
           std::to_string(static_cast<double>(nowUs() - t0) / 1e6) + " s into " + sessionId);
  return ended >= turns ? 0 : 1;
}

}  // namespace bench
