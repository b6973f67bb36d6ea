// HTTP long-poll fallback: N clients with no WebSocket at all, each on its own session, each
// POSTs chat.send "/long W" to /api/send and then long-polls GET /api/events?after=N&waitMs=5000
// (one keep-alive connection per client, one request at a time, like the browser client while
// its socket is down) until its reply ended. Figures: session events delivered per second over
// HTTP, poll requests answered per second, events per answer, and the poll round-trip time.
#include <algorithm>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgen_client.h"
#include "loadgen_gateway.h"
#include "loadgen_scenarios.h"

namespace bench {

namespace {

struct Poller {
  std::size_t index = 0;
  std::string sessionId;
  std::shared_ptr<HttpClient> http;
  int64_t after = 0;
  bool ended = false;
  bool failed = false;
  int errors = 0;
};

}  // namespace

int runPoll(Context& cx) {
  const long clients = cx.options.num("clients", 1000);
  const long words = cx.options.num("words", 20);
  const long delayMs = cx.options.num("delay-ms", 20);
  const long timeoutS = cx.options.num("timeout-s", 90);
  GatewayOptions go;
  go.binary = cx.gatewayBinary;
  go.dbPath = cx.workDir + "/poll.db";
  go.demoDelayMs = static_cast<int>(delayMs);
  GatewayProcess gw(go, cx.workDir);
  std::string error;
  if (!gw.start(&error)) {
    progress("poll: " + error);
    return 1;
  }
  const tcp::endpoint ep(asio::ip::address_v4::loopback(), static_cast<unsigned short>(gw.port()));
  std::vector<std::unique_ptr<Poller>> pollers;
  std::size_t ended = 0, failed = 0;
  int64_t events = 0, polls = 0, emptyPolls = 0;
  std::vector<double> pollMs;

  std::function<void(Poller&)> poll = [&](Poller& p) {
    const std::string target = "/api/events?sessionId=" + p.sessionId + "&after=" + std::to_string(p.after) + "&waitMs=5000";
    const int64_t t = nowUs();
    p.http->request(http::verb::get, target, "", [&, t, pp = &p](const HttpResult& r) {
      Poller& p = *pp;
      if (r.ec || r.status != 200) {
        if (++p.errors > 5) { p.failed = true; ++failed; return; }
        return poll(p);
      }
      ++polls;
      pollMs.push_back(static_cast<double>(nowUs() - t) / 1e3);
      auto j = nlohmann::json::parse(r.body, nullptr, false);
      if (j.is_object() && j.contains("events") && j["events"].is_array()) {
        if (j["events"].empty()) ++emptyPolls;
        for (const auto& e : j["events"]) {
          const int64_t seq = e.value("seq", int64_t{0});
          if (seq <= p.after) continue;
          p.after = seq;
          ++events;
          if (e.value("type", "") == "chat.stream.end" && !p.ended) {
            p.ended = true;
            ++ended;
          }
        }
      }
      if (!p.ended) poll(p);
    });
  };

  const int64_t t0 = nowUs();
  for (long i = 0; i < clients; ++i) {
    pollers.push_back(std::make_unique<Poller>());
    Poller& p = *pollers.back();
    p.index = static_cast<std::size_t>(i);
    p.sessionId = sessionIdFor("poll", p.index);
    p.http = std::make_shared<HttpClient>(cx.ioc, ep, go.token);
    p.http->request(http::verb::post, "/api/send",
                    chatSendFrame("c-" + std::to_string(i), p.sessionId, "/long " + std::to_string(words)),
                    [&, pp = &p](const HttpResult& r) {
                      if (r.ec || r.status != 200) {
                        pp->failed = true;
                        ++failed;
                        return;
                      }
                      poll(*pp);
                    });
  }
  const bool finished = runUntil(cx.ioc, [&] { return ended + failed == pollers.size(); }, std::chrono::seconds(timeoutS));
  const double spanS = static_cast<double>(nowUs() - t0) / 1e6;
  gw.stop();
  runFor(cx.ioc, std::chrono::milliseconds(100));  // let the failed requests come back before the pollers go

  const std::string n = std::to_string(clients);
  const std::string shape = n + " HTTP-only clients x /long " + std::to_string(words) + " at --demo-delay-ms " +
                            std::to_string(delayMs) + ", waitMs=5000, one keep-alive connection each" +
                            (finished ? "" : "; NOT all replies ended within the time limit") +
                            (failed ? "; " + std::to_string(failed) + " clients failed" : "");
  progress("poll: " + std::to_string(events) + " events, " + std::to_string(polls) + " polls in " + std::to_string(spanS) + " s");
  emitFigure("Long-poll events delivered/s, " + n + " clients", static_cast<double>(events) / spanS, "events/s",
             "session events received over GET /api/events / (last reply end - first send); " + shape);
  emitFigure("Long-poll requests answered/s, " + n + " clients", static_cast<double>(polls) / spanS, "requests/s",
             std::to_string(polls) + " answers, " + std::to_string(emptyPolls) + " empty (waitMs ran out)");
  emitFigure("Long-poll events per answer, " + n + " clients", polls ? static_cast<double>(events) / static_cast<double>(polls) : 0,
             "events", "batching: events that piled up while the previous answer travelled");
  emitFigure("Long-poll round trip p50, " + n + " clients", percentile(pollMs, 50), "ms",
             "GET /api/events sent -> answer received (includes the wait for the next event)");
  emitFigure("Long-poll round trip p99, " + n + " clients", percentile(pollMs, 99), "ms", "as above, 99th percentile");
  return 0;
}

}  // namespace bench
