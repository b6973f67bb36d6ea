// Idle clients: how many authenticated WebSocket clients one gateway holds, and what each
// costs in resident memory (VmRSS of the gateway before and after, divided by the count).
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "loadgen_client.h"
#include "loadgen_gateway.h"
#include "loadgen_scenarios.h"

namespace bench {

namespace {

struct IdlePeer {
  std::shared_ptr<WsClient> ws;
  bool authed = false;
  bool closed = false;
  bool settled = false;  // authed or given up
  int attempts = 0;
};

struct IdleRun {
  asio::io_context& ioc;
  tcp::endpoint endpoint;
  std::string token;
  std::vector<std::unique_ptr<IdlePeer>> peers;
  std::size_t authed = 0;
  std::size_t failed = 0;
  std::size_t settled = 0;
  std::size_t closedAfterAuth = 0;

  void settle(IdlePeer& p, bool ok, const std::function<void()>& release) {
    if (p.settled) return;
    p.settled = true;
    ++settled;
    if (ok) ++authed; else ++failed;
    release();
  }

  // Connect and authenticate one peer; refused connects (a full backlog) are retried a few
  // times after a short pause.
  void connect(IdlePeer& p, std::function<void()> release) {
    ++p.attempts;
    p.ws = std::make_shared<WsClient>(ioc, endpoint);
    p.ws->onFrame = [this, &p, release](const std::string& frame) {
      if (!p.authed && frame.find("\"auth.ok\"") != std::string::npos) {
        p.authed = true;
        settle(p, true, release);
      }
    };
    p.ws->onClose = [this, &p, release](const error_code&) {
      p.closed = true;
      if (p.authed) ++closedAfterAuth;
      else settle(p, false, release);
    };
    p.ws->open([this, &p, release](const error_code& ec) {
      if (!ec) {
        p.ws->send(authFrame(token));
        return;
      }
      if (p.attempts >= 5) return settle(p, false, release);
      auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(100));
      timer->async_wait([this, &p, release, timer](const error_code&) { connect(p, release); });
    });
  }
};

}  // namespace

int runIdle(Context& cx) {
  const std::vector<long> counts = cx.options.list("counts", {1000, 10000});
  const long holdMs = cx.options.num("hold-ms", 3000);
  GatewayOptions go;
  go.binary = cx.gatewayBinary;
  go.dbPath = cx.workDir + "/idle.db";
  GatewayProcess gw(go, cx.workDir);
  std::string error;
  if (!gw.start(&error)) {
    progress("idle: " + error);
    return 1;
  }
  runFor(cx.ioc, std::chrono::milliseconds(500));
  const long rss0 = gw.rssKiB();
  progress("idle: gateway RSS at start " + std::to_string(rss0) + " KiB");

  IdleRun run{cx.ioc, tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(gw.port())),
              go.token, {}, 0, 0, 0, 0};
  Throttle throttle(256);
  for (long target : counts) {
    const std::size_t before = run.peers.size();
    const int64_t t0 = nowUs();
    while (run.peers.size() < static_cast<std::size_t>(target)) {
      run.peers.push_back(std::make_unique<IdlePeer>());
      IdlePeer* p = run.peers.back().get();
      throttle.submit([&run, p](std::function<void()> release) { run.connect(*p, std::move(release)); });
    }
    runUntil(cx.ioc, [&] { return run.settled == run.peers.size(); }, std::chrono::seconds(180));
    const double connectS = static_cast<double>(nowUs() - t0) / 1e6;
    runFor(cx.ioc, std::chrono::milliseconds(1000));  // let the gateway finish its bookkeeping
    const long rss = gw.rssKiB();
    const std::size_t held = run.authed - run.closedAfterAuth;
    progress("idle: " + std::to_string(held) + "/" + std::to_string(target) + " held, RSS " +
             std::to_string(rss) + " KiB, connect+auth took " + std::to_string(connectS) + " s");
    const std::string label = target % 1000 == 0 ? std::to_string(target / 1000) + "k" : std::to_string(target);
    emitFigure("Idle WebSocket clients held (" + label + " attempted)", static_cast<double>(held),
               "clients",
               "chat-loadgen idle: " + std::to_string(target) +
                   " clients connect (256 handshakes in flight) and authenticate; counted after 1 s");
    if (held > 0 && rss > 0 && rss0 > 0)
      emitFigure("Gateway RSS per idle connection at " + label,
                 static_cast<double>(rss - rss0) / static_cast<double>(held), "KiB",
                 "(VmRSS with the clients - VmRSS at start) / clients held; " +
                     std::to_string(rss0) + " -> " + std::to_string(rss) + " KiB");
    emitFigure("Connect + auth of " + label + " idle clients", connectS, "s",
               "wall time from the first connect to the last auth.ok of the " +
                   std::to_string(static_cast<std::size_t>(target) - before) +
                   " clients added in this step, one client thread");
  }
  runFor(cx.ioc, std::chrono::milliseconds(holdMs));
  const std::size_t stillHeld = run.authed - run.closedAfterAuth;
  emitFigure("Idle clients still connected after a " + std::to_string(holdMs / 1000) + " s hold",
             static_cast<double>(stillHeld), "clients",
             "of " + std::to_string(run.peers.size()) + " attempted; " + std::to_string(run.closedAfterAuth) +
                 " closed while idle, " + std::to_string(run.failed) + " never authenticated");
  for (auto& p : run.peers)
    if (p->ws) p->ws->abort();
  gw.stop();
  return 0;
}

}  // namespace bench
