// Reconnect storm: N clients, each on its own session, each streaming a /long reply. While the
// replies stream, the gateway is killed with SIGKILL and restarted on the same db and port.
// Every client notices the dropped socket, reconnects (fast retry: 20-100 ms, not the
// product's 1 s backoff, so the figure is the gateway's recovery time, not the backoff's),
// authenticates and sends session.resume with its last seq. Figures: time from the kill until
// every client has its session.resumed (a chat.send the dead gateway never acked is resent with
// its id, as the client's outbox does); and whether each client's events (by seq) equal its
// session's log as GET /api/events returns it afterwards (nothing lost, nothing different).
#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "loadgen_client.h"
#include "loadgen_gateway.h"
#include "loadgen_scenarios.h"

namespace bench {

namespace {

struct StormPeer {
  std::size_t index = 0;
  std::string sessionId;
  std::shared_ptr<WsClient> ws;
  int generation = 0;  // 0 before the kill, 1 after
  bool authed = false;
  bool sent = false;
  bool acked = false;  // the chat.send was acked: the gateway logged it
  bool resumed = false;
  bool ended = false;
  int64_t resumedUs = 0;
  int64_t lastSeq = 0;
  int64_t duplicates = 0;
  int64_t gaps = 0;
  int reconnects = 0;
  std::map<int64_t, std::string> events;  // seq -> frame as received
};

struct Storm {
  asio::io_context& ioc;
  tcp::endpoint endpoint;
  std::string token;
  long words;
  std::vector<std::unique_ptr<StormPeer>> peers;
  std::mt19937 rng{12345};
  std::size_t authed0 = 0, resumed = 0, ended = 0;
  int64_t events = 0;
  bool killed = false;

  std::chrono::milliseconds jitter(int lo, int hi) {
    return std::chrono::milliseconds(std::uniform_int_distribution<int>(lo, hi)(rng));
  }

  void onFrame(StormPeer& p, const std::string& frame) {
    auto j = nlohmann::json::parse(frame, nullptr, false);
    if (!j.is_object()) return;
    const std::string type = j.value("type", "");
    if (type == "auth.ok") {
      p.authed = true;
      if (p.generation == 0) {
        ++authed0;
        if (sendsOpen && !p.sent) sendFirst(p);
      } else {
        p.ws->send(resumeFrame("r-" + std::to_string(p.index) + "-" + std::to_string(p.reconnects),
                               p.sessionId, p.lastSeq));
        // Like the client's outbox: a send the dead gateway never acked goes again, same id
        // (the gateway applies each id at most once).
        if (!p.acked)
          p.ws->send(chatSendFrame("c-" + std::to_string(p.index), p.sessionId, "/long " + std::to_string(words)));
      }
      return;
    }
    if (type == "ack") {
      if (j.value("requestId", "") == "c-" + std::to_string(p.index)) p.acked = true;
      return;
    }
    if (type == "session.resumed") {
      if (p.generation == 1 && !p.resumed) {
        p.resumed = true;
        p.resumedUs = nowUs();
        ++resumed;
      }
      return;
    }
    if (!j.contains("seq") || j.value("sessionId", "") != p.sessionId) return;
    const int64_t seq = j["seq"].get<int64_t>();
    ++events;
    if (seq <= p.lastSeq) {
      ++p.duplicates;
      return;
    }
    if (seq > p.lastSeq + 1) ++p.gaps;
    p.events.emplace(seq, frame);
    p.lastSeq = seq;
    if (type == "chat.stream.end" && !p.ended) {
      p.ended = true;
      ++ended;
    }
  }

  // Everyone connects first; then every client sends its chat.send at the same moment.
  bool sendsOpen = false;
  void sendFirst(StormPeer& p) {
    p.sent = true;
    p.ws->send(chatSendFrame("c-" + std::to_string(p.index), p.sessionId, "/long " + std::to_string(words)));
  }

  void connect(StormPeer& p, std::function<void()> release) {
    p.authed = false;
    p.ws = std::make_shared<WsClient>(ioc, endpoint);
    p.ws->onFrame = [this, &p, release](const std::string& frame) {
      onFrame(p, frame);
      if (p.authed) release();
    };
    p.ws->onClose = [this, &p, release](const error_code&) {
      release();
      if (killed) retry(p);
    };
    p.ws->open([this, &p, release](const error_code& ec) {
      if (!ec) return p.ws->send(authFrame(token));
      release();
      retry(p);
    });
  }

  // After the kill every close or refused connect comes back here until the peer resumed.
  void retry(StormPeer& p) {
    if (p.resumed && p.ws && p.ws->isOpen()) return;
    p.generation = killed ? 1 : p.generation;
    ++p.reconnects;
    auto timer = std::make_shared<asio::steady_timer>(ioc, jitter(20, 100));
    timer->async_wait([this, &p, timer](const error_code&) {
      throttle.submit([this, &p](std::function<void()> release) { connect(p, std::move(release)); });
    });
  }

  Throttle throttle{512};
};

// Every event of one session from the log, paging through GET /api/events.
void fetchLog(asio::io_context& ioc, std::shared_ptr<HttpClient> http, const std::string& sessionId,
              int64_t after, std::shared_ptr<std::vector<nlohmann::json>> out,
              std::function<void(bool ok)> done) {
  const std::string target = "/api/events?sessionId=" + sessionId + "&after=" + std::to_string(after) + "&waitMs=0";
  http->request(http::verb::get, target, "", [&ioc, http, sessionId, out, done](const HttpResult& r) {
    if (r.ec || r.status != 200) return done(false);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("events") || !j["events"].is_array()) return done(false);
    const auto& batch = j["events"];
    for (const auto& e : batch) out->push_back(e);
    const int64_t lastSeq = j.value("lastSeq", int64_t{0});
    const int64_t next = out->empty() ? 0 : out->back().value("seq", int64_t{0});
    if (batch.empty() || next >= lastSeq) return done(true);
    fetchLog(ioc, http, sessionId, next, out, done);
  });
}

}  // namespace

int runStorm(Context& cx) {
  const long clients = cx.options.num("clients", 5000);
  const long words = cx.options.num("words", 20);
  const long delayMs = cx.options.num("delay-ms", 20);
  GatewayOptions go;
  go.binary = cx.gatewayBinary;
  go.dbPath = cx.workDir + "/storm.db";
  go.demoDelayMs = static_cast<int>(delayMs);
  GatewayProcess gw(go, cx.workDir);
  std::string error;
  if (!gw.start(&error)) {
    progress("storm: " + error);
    return 1;
  }
  Storm storm{cx.ioc, tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(gw.port())),
              go.token, words, {}};
  for (long i = 0; i < clients; ++i) {
    storm.peers.push_back(std::make_unique<StormPeer>());
    StormPeer* p = storm.peers.back().get();
    p->index = static_cast<std::size_t>(i);
    p->sessionId = sessionIdFor("storm", p->index);
    storm.throttle.submit([&storm, p](std::function<void()> release) { storm.connect(*p, std::move(release)); });
  }
  runUntil(cx.ioc, [&] { return storm.authed0 == storm.peers.size(); }, std::chrono::seconds(90));
  storm.sendsOpen = true;
  for (auto& p : storm.peers)
    if (p->authed && !p->sent) storm.sendFirst(*p);
  // Kill mid-stream: once about a third of all reply events arrived.
  const int64_t perSession = words + 5;  // created, message, start, words, end
  const bool allIn = runUntil(cx.ioc, [&] { return storm.events >= clients * perSession / 3; },
                              std::chrono::seconds(90));
  progress("storm: " + std::to_string(storm.authed0) + " connected, " + std::to_string(storm.events) +
           " events, " + std::to_string(storm.ended) + " replies ended before the kill" + (allIn ? "" : " (time limit)"));
  const std::size_t endedBeforeKill = storm.ended;

  const int64_t tKill = nowUs();
  storm.killed = true;
  gw.kill9();
  if (!gw.start(&error)) {
    progress("storm: restart failed: " + error);
    for (auto& p : storm.peers) if (p->ws) p->ws->abort();
    return 1;
  }
  const double restartMs = static_cast<double>(nowUs() - tKill) / 1e3;
  // Peers whose socket the kernel already reported closed were retried by onClose; a peer
  // still connecting when the gateway died gets its retry from its failed open.
  const bool allResumed = runUntil(cx.ioc, [&] { return storm.resumed == storm.peers.size(); }, std::chrono::seconds(180));
  int64_t lastResume = tKill;
  for (auto& p : storm.peers) lastResume = std::max(lastResume, p->resumedUs);
  const double resumeS = static_cast<double>(lastResume - tKill) / 1e6;
  progress("storm: " + std::to_string(storm.resumed) + "/" + std::to_string(clients) + " resumed " +
           std::to_string(resumeS) + " s after the kill");
  // The restarted gateway ends every interrupted turn (stopReason error): wait for those ends.
  runUntil(cx.ioc, [&] { return storm.ended == storm.peers.size(); }, std::chrono::seconds(60));
  runFor(cx.ioc, std::chrono::milliseconds(500));  // stragglers, duplicates

  // Compare each client's events with its session's log.
  std::size_t checked = 0, equal = 0, fetchFailed = 0;
  int64_t missing = 0, extra = 0, different = 0, duplicates = 0, gaps = 0, logEvents = 0;
  std::vector<std::shared_ptr<HttpClient>> https;
  std::size_t next = 0;
  std::function<void(std::shared_ptr<HttpClient>)> work = [&](std::shared_ptr<HttpClient> http) {
    if (next >= storm.peers.size()) return;
    StormPeer& p = *storm.peers[next++];
    auto log = std::make_shared<std::vector<nlohmann::json>>();
    fetchLog(cx.ioc, http, p.sessionId, 0, log, [&, http, log, pp = &p](bool ok) {
      ++checked;
      if (!ok) {
        ++fetchFailed;
      } else {
        bool same = true;
        std::map<int64_t, const nlohmann::json*> bySeq;
        for (const auto& e : *log) bySeq[e.value("seq", int64_t{0})] = &e;
        logEvents += static_cast<int64_t>(log->size());
        for (const auto& [seq, e] : bySeq) {
          auto it = pp->events.find(seq);
          if (it == pp->events.end()) { ++missing; same = false; continue; }
          if (nlohmann::json::parse(it->second, nullptr, false) != *e) { ++different; same = false; }
        }
        for (const auto& [seq, frame] : pp->events)
          if (!bySeq.count(seq)) { ++extra; same = false; }
        if (same) ++equal;
      }
      duplicates += pp->duplicates;
      gaps += pp->gaps;
      work(http);
    });
  };
  for (int i = 0; i < 32; ++i) {
    https.push_back(std::make_shared<HttpClient>(cx.ioc, storm.endpoint, go.token));
    work(https.back());
  }
  runUntil(cx.ioc, [&] { return checked == storm.peers.size(); }, std::chrono::seconds(120));
  for (auto& p : storm.peers) if (p->ws) p->ws->abort();
  gw.stop();

  const std::string n = std::to_string(clients);
  emitFigure("Reconnect storm: all " + n + " clients resumed after SIGKILL", resumeS, "s",
             "SIGKILL mid-stream -> restart on the same db and port -> every client reconnected, "
             "authenticated and got session.resumed (retry every 20-100 ms, 512 handshakes in flight)" +
                 std::string(allResumed ? "" : "; NOT all resumed within 180 s: " + std::to_string(storm.resumed)));
  emitFigure("Reconnect storm: clients resumed", static_cast<double>(storm.resumed), "clients",
             "of " + n + "; " + std::to_string(endedBeforeKill) + " replies had ended before the kill");
  emitFigure("Reconnect storm: gateway restart to listening", gw.startupMs(), "ms",
             "fork -> \"listening on\" of the restarted gateway (opens the db, closes interrupted turns); "
             "kill -> listening " + std::to_string(static_cast<long>(restartMs)) + " ms");
  emitFigure("Reconnect storm: transcripts equal to the log", static_cast<double>(equal), "sessions",
             "of " + std::to_string(checked) + " checked (" + std::to_string(logEvents) + " logged events): "
             "missing " + std::to_string(missing) + ", different " + std::to_string(different) + ", extra " +
             std::to_string(extra) + ", duplicates dropped " + std::to_string(duplicates) + ", gaps seen " +
             std::to_string(gaps) + ", log fetch failures " + std::to_string(fetchFailed));
  return 0;
}

}  // namespace bench
