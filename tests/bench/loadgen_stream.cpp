// Streaming load: N clients, each on its own session, each sends "/long W" at the same moment
// and receives the demo agent's reply word by word (one chat.stream.delta per word, every
// --demo-delay-ms per session). Figures: session events delivered per second over all clients;
// time from sending chat.send to the reply's chat.stream.start (a true round trip: the gateway
// commits chat.message and chat.stream.start to its log before sending them); and the gaps
// between consecutive deltas of one reply compared with the nominal pace (the events carry no
// gateway timestamp, so per-delta latency is measured as pacing jitter: a gap above the
// nominal delay is delivery delay added by the gateway under load).
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>

#include "loadgen_client.h"
#include "loadgen_gateway.h"
#include "loadgen_scenarios.h"

namespace bench {

namespace {

// The value of the top-level "type" of a gateway frame. Quotes inside string values are
// escaped, so the first `"type":"` is the top-level key (nested objects carry no type).
std::string_view frameType(const std::string& frame) {
  static constexpr std::string_view kKey = "\"type\":\"";
  const auto at = frame.find(kKey);
  if (at == std::string::npos) return {};
  const auto start = at + kKey.size();
  const auto end = frame.find('"', start);
  if (end == std::string::npos) return {};
  return std::string_view(frame).substr(start, end - start);
}

// CPU seconds (user + system) this process used so far: the load generator's own cost.
double selfCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

struct StreamPeer {
  std::size_t index = 0;
  std::string sessionId;
  std::shared_ptr<WsClient> ws;
  bool authed = false;
  bool failed = false;
  bool ended = false;
  int64_t sentUs = 0;
  int64_t startUs = 0;
  int64_t lastDeltaUs = 0;
  int64_t events = 0;
  int64_t deltas = 0;
  std::vector<double> gapsMs;
};

}  // namespace

// One measured run: its shape, and the gateway it runs against.
struct StreamRun {
  long clients = 0;
  long words = 0;
  long delayMs = 20;
  long timeoutS = 60;
  bool memoryDb = false;   // --db :memory: instead of a file
  std::string label;       // "" (the plain figures) or the gateway's name for the side-by-side table
  // A flooding session alongside (0 = none): one more client sends chat.sends of this many
  // bytes on its own session, floodWindow in flight, a new one on every ack.
  long floodBytes = 0;
  long floodWindow = 32;
};

struct StreamOutcome {
  bool finished = false;
  double gapP99Ms = 0;
  long floodAcks = 0;
};

static StreamOutcome runOne(Context& cx, const StreamRun& r) {
  StreamOutcome outcome;
  const long clients = r.clients, words = r.words, delayMs = r.delayMs, timeoutS = r.timeoutS;
  GatewayOptions go;
  go.binary = cx.gatewayBinary;
  go.dbPath = r.memoryDb ? std::string(":memory:")
                         : cx.workDir + "/stream-" + r.label + std::to_string(clients) + ".db";
  go.demoDelayMs = static_cast<int>(delayMs);
  GatewayProcess gw(go, cx.workDir);
  std::string error;
  if (!gw.start(&error)) {
    progress("stream: " + error);
    return outcome;
  }
  const tcp::endpoint ep(asio::ip::address_v4::loopback(), static_cast<unsigned short>(gw.port()));
  std::vector<std::unique_ptr<StreamPeer>> peers;
  std::size_t authed = 0, failed = 0, ended = 0;
  Throttle throttle(256);
  const int64_t connectT0 = nowUs();
  for (long i = 0; i < clients; ++i) {
    peers.push_back(std::make_unique<StreamPeer>());
    StreamPeer* p = peers.back().get();
    p->index = static_cast<std::size_t>(i);
    p->sessionId = sessionIdFor("stream-" + std::to_string(clients), p->index);
    throttle.submit([&, p](std::function<void()> release) {
      p->ws = std::make_shared<WsClient>(cx.ioc, ep);
      p->ws->onFrame = [&, p, release](const std::string& frame) {
        if (!p->authed) {
          if (frame.find("\"auth.ok\"") != std::string::npos) {
            p->authed = true;
            ++authed;
            release();
          }
          return;
        }
        // Session events carry a seq; answers (ack) do not. A scan instead of a JSON parse:
        // the load generator shares the machine with the gateway it measures, and must cost
        // far less per event than the gateway does.
        if (frame.find("\"seq\":") == std::string::npos) return;
        const int64_t now = nowUs();
        ++p->events;
        const std::string_view type = frameType(frame);
        if (type == "chat.stream.start") {
          p->startUs = now;
        } else if (type == "chat.stream.delta") {
          ++p->deltas;
          if (p->lastDeltaUs) p->gapsMs.push_back(static_cast<double>(now - p->lastDeltaUs) / 1e3);
          p->lastDeltaUs = now;
        } else if (type == "chat.stream.end" && !p->ended) {
          p->ended = true;
          ++ended;
        }
      };
      p->ws->onClose = [&, p, release](const error_code&) {
        if (!p->authed && !p->failed) {
          p->failed = true;
          ++failed;
          release();
        }
      };
      p->ws->open([&, p, release](const error_code& ec) {
        if (ec) {
          if (failed == 0) progress("stream: connect failed: " + ec.message());
          p->failed = true;
          ++failed;
          release();
          return;
        }
        p->ws->send(authFrame(go.token));
      });
    });
  }
  runUntil(cx.ioc, [&] { return authed + failed == peers.size(); }, std::chrono::seconds(120));
  const double connectS = static_cast<double>(nowUs() - connectT0) / 1e6;
  progress("stream N=" + std::to_string(clients) + ": " + std::to_string(authed) + " authenticated");

  // The flooder (fairness runs): authenticated like the others, then chat.sends as fast as
  // their acks come back until the paced replies have ended.
  std::shared_ptr<WsClient> flooder;
  long floodSent = 0;
  bool floodAuthed = false;
  if (r.floodBytes > 0) {
    flooder = std::make_shared<WsClient>(cx.ioc, ep);
    const std::string content(static_cast<std::size_t>(r.floodBytes), 'x');
    auto sendFlood = [&, content] {
      flooder->send(chatSendFrame("flood-" + std::to_string(floodSent++), sessionIdFor("flooder", 0), content));
    };
    flooder->onFrame = [&, sendFlood](const std::string& frame) {
      if (!floodAuthed) {
        floodAuthed = frame.find("\"auth.ok\"") != std::string::npos;
        return;
      }
      if (frameType(frame) == "ack" && ended < authed) {
        ++outcome.floodAcks;
        sendFlood();
      }
    };
    flooder->open([&](const error_code& ec) {
      if (!ec) flooder->send(authFrame(go.token));
    });
    runUntil(cx.ioc, [&] { return floodAuthed; }, std::chrono::seconds(10));
    for (long i = 0; i < r.floodWindow; ++i) sendFlood();
  }

  // Everyone sends at once. CPU is counted from here to the last reply's end, on both sides:
  // the gateway's (every thread) and the load generator's, which shares the machine.
  const double gatewayCpu0 = gw.cpuSeconds();
  const double selfCpu0 = selfCpuSeconds();
  const int64_t t0 = nowUs();
  for (auto& p : peers) {
    if (!p->authed) continue;
    p->sentUs = nowUs();
    p->ws->send(chatSendFrame("c-" + std::to_string(p->index), p->sessionId, "/long " + std::to_string(words)));
  }
  const bool finished = runUntil(cx.ioc, [&] { return ended == authed; }, std::chrono::seconds(timeoutS));
  const int64_t t1 = nowUs();
  const double gatewayCpuS = gw.cpuSeconds() - gatewayCpu0;
  const double selfCpuS = selfCpuSeconds() - selfCpu0;
  int64_t lastArrival = t0;
  int64_t events = 0, deltas = 0;
  std::vector<double> firstMs, gaps;
  for (auto& p : peers) {
    events += p->events;
    deltas += p->deltas;
    lastArrival = std::max(lastArrival, p->lastDeltaUs);
    if (p->startUs) firstMs.push_back(static_cast<double>(p->startUs - p->sentUs) / 1e3);
    gaps.insert(gaps.end(), p->gapsMs.begin(), p->gapsMs.end());
    if (p->ws) p->ws->abort();
  }
  if (flooder) flooder->abort();
  gw.stop();
  const double spanS = static_cast<double>((finished ? lastArrival : t1) - t0) / 1e6;
  const std::string n = std::to_string(clients);
  const std::string shape = n + (clients == 1 ? " client x /long " : " clients x /long ") + std::to_string(words) + " at --demo-delay-ms " +
                            std::to_string(delayMs) + (delayMs > 0 ? " (ideal " + std::to_string(static_cast<long>(clients * 1000 / delayMs)) + " deltas/s)" : " (unpaced)") +
                            (r.memoryDb ? ", --db :memory:" : "") + (finished ? "" : "; NOT all replies ended within the time limit");
  progress("stream " + (r.label.empty() ? std::string() : r.label + " ") + "N=" + n + ": " + std::to_string(events) + " events in " + std::to_string(spanS) + " s");
  // Labelled runs (the side-by-side comparison) name the gateway and the shape in their tags.
  const std::string suffix = r.label.empty() ? "" : " [" + r.label + (delayMs > 0 ? ", " + std::to_string(delayMs) + " ms pace]" : ", unpaced]");
  const std::map<std::string, std::string> base = {
      {"gateway", r.label}, {"clients", n}, {"delayMs", std::to_string(delayMs)}, {"words", std::to_string(words)}};
  auto tagged = [&](const char* metric) {
    auto tags = base;
    tags["metric"] = metric;
    return tags;
  };
  const std::string clientsText = n + (clients == 1 ? " client" : " clients");
  emitFigure("Events delivered/s, " + n + (clients == 1 ? " streaming client" : " streaming clients") + suffix, spanS > 0 ? static_cast<double>(events) / spanS : 0,
             "events/s", "all session events received / (last delta - first send); " + shape, tagged("events_per_s"));
  emitFigure("Deltas delivered/s, " + n + (clients == 1 ? " streaming client" : " streaming clients") + suffix, spanS > 0 ? static_cast<double>(deltas) / spanS : 0,
             "deltas/s", "chat.stream.delta frames only; " + shape, tagged("deltas_per_s"));
  const std::string perEvent = clients == 1 ? " client" : " clients";
  if (events > 0 && gatewayCpu0 >= 0) {
    emitFigure("Gateway CPU per delivered event, " + n + perEvent + suffix, gatewayCpuS * 1e6 / static_cast<double>(events), "us",
               "gateway process CPU (user + system, all threads, /proc/PID/stat) from the first send to the last reply's end / events; " +
                   std::to_string(gatewayCpuS) + " s over " + std::to_string(static_cast<double>(t1 - t0) / 1e6) + " s",
               tagged("gateway_cpu_us_per_event"));
    emitFigure("Load generator CPU per event, " + n + perEvent + suffix, selfCpuS * 1e6 / static_cast<double>(events), "us",
               "chat-loadgen's own CPU over the same span / events (it shares the 2 cores with the gateway); " +
                   std::to_string(selfCpuS) + " s", tagged("loadgen_cpu_us_per_event"));
  }
  emitFigure("Send -> stream.start p50, " + clientsText + suffix, percentile(firstMs, 50), "ms",
             "chat.send written -> chat.stream.start received (logged, then sent), per client", tagged("start_p50_ms"));
  emitFigure("Send -> stream.start p99, " + clientsText + suffix, percentile(firstMs, 99), "ms", "as above, 99th percentile", tagged("start_p99_ms"));
  emitFigure("Delta inter-arrival p50, " + clientsText + suffix, percentile(gaps, 50), "ms",
             "gap between consecutive deltas of one reply; nominal " + std::to_string(delayMs) +
                 " ms: the excess is delivery delay (events carry no gateway timestamp)", tagged("gap_p50_ms"));
  emitFigure("Delta inter-arrival p99, " + clientsText + suffix, percentile(gaps, 99), "ms", "as above, 99th percentile", tagged("gap_p99_ms"));
  outcome.finished = finished;
  outcome.gapP99Ms = percentile(gaps, 99);
  if (!r.label.empty() && r.floodBytes == 0)
    emitFigure("Connect + auth, " + clientsText + suffix, connectS > 0 ? static_cast<double>(authed) / connectS : 0, "clients/s",
               "authenticated clients / (first connect -> last auth.ok), 256 handshakes in flight, one client thread; " +
                   std::to_string(authed) + " in " + std::to_string(connectS) + " s", tagged("connect_per_s"));
  return outcome;
}

// --clients 1,100,1000 --delay-ms 20 --events 20000 [--words W] [--db memory] [--label NAME]
// --words fixes the reply length; otherwise --events deltas are spread over the clients
// (20..200 words each). --label names the gateway for the side-by-side table (report.mjs).
int runStream(Context& cx) {
  const std::vector<long> counts = cx.options.list("clients", {1, 100, 1000});
  const long budget = cx.options.num("events", 20000);
  const long fixedWords = cx.options.num("words", 0);
  StreamRun r;
  r.delayMs = cx.options.num("delay-ms", 20);
  r.timeoutS = cx.options.num("timeout-s", 60);
  r.memoryDb = cx.options.str("db", "file") == "memory";
  r.label = cx.options.str("label", "");
  for (long n : counts) {
    r.clients = n;
    r.words = fixedWords > 0 ? fixedWords : std::max(20L, std::min(200L, budget / std::max(1L, n)));
    // A run that hit its time limit still reports what it measured, and says so.
    if (!runOne(cx, r).finished) progress("stream: N=" + std::to_string(n) + " incomplete");
  }
  return 0;
}

// Fairness: --clients paced replies (default 100 x /long 100 at 20 ms), once alone and once
// with a flooding session alongside (--flood-bytes per chat.send, --flood-window in flight);
// the paced replies' delta inter-arrival p99 of both runs and their ratio.
int runFairness(Context& cx) {
  StreamRun r;
  r.clients = cx.options.num("clients", 100);
  r.words = cx.options.num("words", 100);
  r.delayMs = cx.options.num("delay-ms", 20);
  r.timeoutS = cx.options.num("timeout-s", 60);
  r.memoryDb = cx.options.str("db", "file") == "memory";
  r.label = "fairness-alone";
  const StreamOutcome alone = runOne(cx, r);
  r.label = "fairness-flooded";
  r.floodBytes = cx.options.num("flood-bytes", 16 * 1024);
  r.floodWindow = cx.options.num("flood-window", 32);
  const StreamOutcome flooded = runOne(cx, r);
  const std::string shape = std::to_string(r.clients) + " clients x /long " + std::to_string(r.words) + " at " +
                            std::to_string(r.delayMs) + " ms; flooder: chat.sends of " + std::to_string(r.floodBytes) +
                            " bytes, " + std::to_string(r.floodWindow) + " in flight, " + std::to_string(flooded.floodAcks) +
                            " acked during the run";
  emitFigure("Fairness: paced delta inter-arrival p99 with a flooding session / without", alone.gapP99Ms > 0 ? flooded.gapP99Ms / alone.gapP99Ms : 0,
             "x", "p99 " + std::to_string(flooded.gapP99Ms) + " ms with vs " + std::to_string(alone.gapP99Ms) + " ms without (target <= 2x); " + shape,
             {{"metric", "fairness_ratio"}});
  return alone.finished && flooded.finished ? 0 : 1;
}

}  // namespace bench
