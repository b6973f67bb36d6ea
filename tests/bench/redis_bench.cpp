// chat-redis-bench: the Redis event log and fan-out of the scale-out mode (src/gateway/redis),
// on a private redis-server (no persistence unless said: the figures are the log's, not the
// disk's).
//   1. Events appended per second, one node vs two nodes on one Redis: each node is its own
//      thread with its own io_context and connections (as two gateway processes would be),
//      appending batches of B deltas to its own S sessions (one append per session in flight,
//      pipelined across sessions), until it has appended N events.
//   1b. The same through the gateway's own commit path (RedisEventStore::appendBatchConsuming,
//      what a node's commit worker calls): one group commit in flight per node, each holding
//      one append of B deltas for each of S sessions (one script per commit), one node vs two;
//      and one node again on a Redis with `appendonly yes` + `appendfsync always` (the cost of
//      "nothing acknowledged is lost").
//   2. Cross-node delivery latency: node A appends one delta every P ms to a session node B
//      watches; per event, B's delivery time minus the time A called append(), against A's own
//      delivery of the same event (append answer -> its fan-out): p50 and p99 of each, and the
//      p99 added by crossing nodes (issue 15 target: <= 5 ms on loopback).
//   3. The same through two real gateway processes (--redis) on one Redis: a WebSocket client on
//      node A sends "/long N" (A runs the turn, --demo-delay-ms 2), a client on node B watches
//      the session; per delta, its arrival on B minus its arrival on A, both clients in this
//      process on one clock: p50 and p99 of what crossing nodes adds, end to end.
// The gateway runs on these pieces with --redis; 1b is its write path as a node runs it, minus
// the WebSocket side (tests/bench's loadgen pieces measure that on SQLite).
// Prints one JSON line per figure ({"figure","value","unit","method"}), progress on stderr.
//   chat-redis-bench [--events N] [--sessions S] [--batch B] [--rounds R] [--samples K] [--pace-ms P]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_event_store.h"
#include "gateway/redis/redis_fanout.h"
#include "gateway_process.h"
#include "raw_ws.h"
#include "redis_server.h"
#include "redis_test_support.h"
#include "test_client.h"

using namespace chat::itest;
using namespace chat::gateway::redis;
using chat::gateway::AppendRequest;
using chat::gateway::LoggedEvent;
using Clock = std::chrono::steady_clock;

namespace {

void figure(const std::string& name, double value, const std::string& unit, const std::string& method) {
  std::cout << nlohmann::json{{"figure", name}, {"value", value}, {"unit", unit}, {"method", method}}.dump()
            << std::endl;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int intArg(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return std::atoi(argv[i + 1]);
  return fallback;
}

std::vector<chat::proto::GatewayMessage> batchOf(int n, const std::string& requestId) {
  std::vector<chat::proto::GatewayMessage> out;
  for (int i = 0; i < n; ++i)
    out.push_back(chat::proto::StreamDelta{"", 0, requestId, "token " + std::to_string(i) + " "});
  return out;
}

// One node appending `events` events in batches of `batch` to sessions "<tag>-0".."<tag>-S-1".
// Returns false when an append failed.
bool appendLoad(const RedisServer& server, const std::string& tag, int events, int sessions, int batch) {
  AsioDriver d;
  RedisClient client(d.ioc, endpointOf(server), quickOptions(tag));
  client.start();
  RedisEventLog log(d.ioc, client, tag);
  if (!d.runUntil([&] { return client.ready(); })) return false;
  int sent = 0, done = 0, failed = 0;
  // Each session keeps one append waiting behind the one in flight, so the pipe never drains.
  std::function<void(int)> next = [&](int s) {
    if (sent >= events) return;
    sent += batch;
    log.append(tag + "-" + std::to_string(s), batchOf(batch, "r" + std::to_string(s)), std::nullopt,
               [&, s](RedisAppendResult r) {
                 done += batch;
                 if (r.status != RedisAppendResult::Status::Appended) ++failed;
                 next(s);
               });
  };
  for (int s = 0; s < sessions; ++s) {
    next(s);
    next(s);
  }
  d.runUntil([&] { return done >= sent && sent >= events; }, 120000);
  return failed == 0 && done >= events;
}

double appendRate(const RedisServer& server, int nodes, int events, int sessions, int batch,
                  const std::string& round) {
  std::atomic<bool> ok{true};
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int n = 0; n < nodes; ++n) {
    threads.emplace_back([&, n] {
      if (!appendLoad(server, round + "n" + std::to_string(nodes) + "x" + std::to_string(n), events / nodes,
                      sessions, batch))
        ok = false;
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!ok) return 0;
  return events / secs;
}

// One node's commit worker: group commits of one append of `batch` deltas per session, for
// `sessions` sessions, one commit in flight, until `events` events are stored. False on a
// failed commit.
bool commitLoad(const RedisServer& server, const std::string& tag, int events, int sessions, int batch) {
  RedisEventStoreOptions options;
  options.nodeId = tag;
  options.client = quickOptions(tag);
  RedisEventStore store(endpointOf(server), options);
  int64_t stored = 0;
  int64_t now = 1;
  try {
    while (stored < events) {
      std::vector<AppendRequest> commit;
      commit.reserve(static_cast<std::size_t>(sessions));
      for (int s = 0; s < sessions; ++s) {
        AppendRequest r;
        r.sessionId = tag + "-" + std::to_string(s);
        r.events = batchOf(batch, "r" + std::to_string(s));
        commit.push_back(std::move(r));
      }
      for (const auto& appended : store.appendBatchConsuming(commit, ++now))
        stored += static_cast<int64_t>(appended.size());
    }
  } catch (const std::exception& e) {
    std::cerr << "chat-redis-bench: commit failed: " << e.what() << "\n";
    return false;
  }
  return true;
}

double commitRate(const RedisServer& server, int nodes, int events, int sessions, int batch,
                  const std::string& round) {
  std::atomic<bool> ok{true};
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int n = 0; n < nodes; ++n) {
    threads.emplace_back([&, n] {
      if (!commitLoad(server, round + "c" + std::to_string(nodes) + "x" + std::to_string(n), events / nodes,
                      sessions, batch))
        ok = false;
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!ok) return 0;
  return events / secs;
}

// Section 3: per delta of one turn run by node A, arrival on B's client minus arrival on A's.
// Empty when something failed (said on stderr).
std::vector<double> gatewayCrossNodeAdded(const RedisServer& server, int words) {
  TempDir dir;
  auto node = [&](const std::string& name) {
    GatewayOptions o;
    o.db = dir.file(name + ".db");
    o.demoDelayMs = 2;
    o.extraArgs = {"--redis", server.url(), "--node-id", name, "--quiet"};
    return o;
  };
  GatewayProcess a(node("A")), b(node("B"));
  if (std::string why = a.start() + b.start(); !why.empty()) {
    std::cerr << "chat-redis-bench: gateway nodes: " << why << "\n";
    return {};
  }
  chat::native::EventLoop loop;
  RawWs onA(loop), onB(loop);
  if (!onA.open(a.wsUrl()) || !onA.authenticate("test") || !onB.open(b.wsUrl()) || !onB.authenticate("test")) {
    std::cerr << "chat-redis-bench: clients could not connect\n";
    return {};
  }
  const std::string session = newSessionId();
  onB.send({{"type", "session.resume"}, {"id", "b-resume"}, {"sessionId", session}, {"lastSeq", 0}});
  if (!onB.nextOfType("session.resumed").has_value()) return {};
  onA.send({{"type", "chat.send"}, {"id", "lat-1"}, {"sessionId", session}, {"content", "/long " + std::to_string(words)}});
  // Every frame is stamped the moment the loop has read it (the predicate runs after each handler).
  std::map<int64_t, Clock::time_point> atA, atB;
  std::size_t seenA = 0, seenB = 0;
  bool endA = false, endB = false;
  auto stamp = [](const RawWs& ws, std::size_t& seen, std::map<int64_t, Clock::time_point>& at, bool& ended) {
    const auto now = Clock::now();
    const auto& h = ws.history();
    for (; seen < h.size(); ++seen) {
      const auto& f = h[seen];
      if (!f.is_object()) continue;
      const std::string type = f.value("type", "");
      if (type == "chat.stream.delta") at.emplace(f.value("seq", int64_t{0}), now);
      if (type == "chat.stream.end") ended = true;
    }
  };
  loop.runUntil([&] {
    stamp(onA, seenA, atA, endA);
    stamp(onB, seenB, atB, endB);
    return endA && endB;
  }, std::chrono::seconds(60));
  std::vector<double> added;
  for (const auto& [seq, t] : atA) {
    auto it = atB.find(seq);
    if (it != atB.end()) added.push_back(std::chrono::duration<double, std::milli>(it->second - t).count());
  }
  if (!endA || !endB || added.size() != atA.size()) {
    std::cerr << "chat-redis-bench: the turn did not reach both clients whole (" << atA.size() << " on A, "
              << atB.size() << " on B)\n";
    return {};
  }
  return added;
}

}  // namespace

int main(int argc, char** argv) {
  const int events = intArg(argc, argv, "events", 200000);
  const int sessions = intArg(argc, argv, "sessions", 50);
  const int batch = intArg(argc, argv, "batch", 10);
  const int samples = intArg(argc, argv, "samples", 2000);
  const int paceMs = intArg(argc, argv, "pace-ms", 1);
  const int rounds = std::max(1, intArg(argc, argv, "rounds", 3));

  RedisServer server;
  if (std::string why = server.start(); !why.empty()) {
    std::cerr << "chat-redis-bench: " << why << "\n";
    return 1;
  }

  // 1. Throughput, one node and two, alternated over R rounds (the machine is shared: the
  // median of each is reported, from rounds run side by side in time).
  std::vector<double> ones, twos;
  for (int round = 0; round < rounds; ++round) {
    std::cerr << "redis-bench: appends, round " << round + 1 << ", 1 node then 2 nodes\n";
    ones.push_back(appendRate(server, 1, events, sessions, batch, "r" + std::to_string(round)));
    twos.push_back(appendRate(server, 2, events, sessions, batch, "r" + std::to_string(round)));
  }
  double one = percentile(ones, 0.5), two = percentile(twos, 0.5);
  std::string how = std::to_string(events) + " chat.stream.delta events in appends of " +
                    std::to_string(batch) + " to " + std::to_string(sessions) +
                    " sessions per node, Lua append script (XADD + PUBLISH), redis-server 7 on loopback, "
                    "no persistence; each node a thread with its own connection; median of " +
                    std::to_string(rounds) + " alternated rounds";
  figure("Redis log appends, one node", one, "events/s", how);
  figure("Redis log appends, two nodes on one Redis", two, "events/s", how);
  if (one > 0) figure("Redis log appends, two nodes / one node", two / one, "x", "the two figures above, same run");

  // 1b. The gateway's commit path (RedisEventStore), one node vs two, then one node on a Redis
  // that fsyncs every write to its append-only file.
  RedisServerOptions aofOptions;
  aofOptions.appendOnly = true;  // appendonly yes, appendfsync always
  RedisServer aofServer(aofOptions);
  if (std::string why = aofServer.start(); !why.empty()) {
    std::cerr << "chat-redis-bench: " << why << "\n";
    return 1;
  }
  std::vector<double> cOnes, cTwos, cAof;
  for (int round = 0; round < rounds; ++round) {
    std::cerr << "redis-bench: commit path, round " << round + 1 << ", 1 node, 2 nodes, 1 node with AOF\n";
    const std::string tag = "r" + std::to_string(round);
    cOnes.push_back(commitRate(server, 1, events, sessions, batch, tag));
    cTwos.push_back(commitRate(server, 2, events, sessions, batch, tag));
    cAof.push_back(commitRate(aofServer, 1, events, sessions, batch, tag));
  }
  aofServer.stop();
  const double cOne = percentile(cOnes, 0.5), cTwo = percentile(cTwos, 0.5), cFsync = percentile(cAof, 0.5);
  const std::string commitHow =
      std::to_string(events) + " chat.stream.delta events through RedisEventStore::appendBatchConsuming "
      "(the gateway's commit path with --redis: one Lua script per group commit), each commit one append of " +
      std::to_string(batch) + " deltas to each of " + std::to_string(sessions) +
      " sessions, one commit in flight per node; median of " + std::to_string(rounds) + " alternated rounds";
  figure("Gateway commit path on Redis, one node", cOne, "events/s", commitHow + "; no persistence");
  figure("Gateway commit path on Redis, two nodes on one Redis", cTwo, "events/s", commitHow + "; no persistence");
  if (cOne > 0) figure("Gateway commit path on Redis, two nodes / one node", cTwo / cOne, "x", "the two figures above, same run");
  figure("Gateway commit path on Redis, one node, appendfsync always", cFsync, "events/s",
         commitHow + "; redis-server with appendonly yes + appendfsync always (its own, same machine's disk)");

  // 2. Cross-node delivery latency.
  std::cerr << "redis-bench: cross-node latency\n";
  AsioDriver d;
  RedisClient aClient(d.ioc, endpointOf(server), quickOptions("a"));
  RedisClient aSub(d.ioc, endpointOf(server), quickOptions("a-sub"));
  RedisClient bClient(d.ioc, endpointOf(server), quickOptions("b"));
  RedisClient bSub(d.ioc, endpointOf(server), quickOptions("b-sub"));
  for (auto* c : {&aClient, &aSub, &bClient, &bSub}) c->start();
  RedisEventLog aLog(d.ioc, aClient, "a"), bLog(d.ioc, bClient, "b");
  std::map<int64_t, Clock::time_point> appendedAt;
  std::vector<double> local, cross;
  RedisFanout aFan(d.ioc, aSub, aLog, [&](const std::string&, const std::vector<LoggedEvent>& es) {
    for (const auto& e : es)
      local.push_back(std::chrono::duration<double, std::milli>(Clock::now() - appendedAt[e.seq]).count());
  });
  RedisFanout bFan(d.ioc, bSub, bLog, [&](const std::string&, const std::vector<LoggedEvent>& es) {
    for (const auto& e : es)
      cross.push_back(std::chrono::duration<double, std::milli>(Clock::now() - appendedAt[e.seq]).count());
  });
  aFan.start();
  bFan.start();
  if (!d.runUntil([&] { return aClient.ready() && aSub.ready() && bClient.ready() && bSub.ready(); })) {
    std::cerr << "chat-redis-bench: clients did not connect\n";
    return 1;
  }
  aFan.watch("latency", 0);
  bFan.watch("latency", 0);
  d.runFor(50);
  for (int i = 0; i < samples; ++i) {
    appendedAt[i + 1] = Clock::now();
    aLog.append("latency", batchOf(1, "lat"), std::nullopt, [&](RedisAppendResult r) {
      if (r.status == RedisAppendResult::Status::Appended) aFan.offer("latency", r.events);
    });
    d.runFor(paceMs);
  }
  d.runUntil([&] { return static_cast<int>(cross.size()) >= samples && static_cast<int>(local.size()) >= samples; },
             10000);
  std::string lat = std::to_string(samples) + " single-event appends every " + std::to_string(paceMs) +
                    " ms by node A to one session both nodes watch; from A's append() call to the delivery";
  figure("Delivery on the appending node, p50", percentile(local, 0.5), "ms", lat + " on A (the append's answer)");
  figure("Delivery on the appending node, p99", percentile(local, 0.99), "ms", lat + " on A (the append's answer)");
  figure("Cross-node delivery, p50", percentile(cross, 0.5), "ms", lat + " on B (pub/sub)");
  figure("Cross-node delivery, p99", percentile(cross, 0.99), "ms", lat + " on B (pub/sub)");
  figure("Cross-node added latency, p99", percentile(cross, 0.99) - percentile(local, 0.99), "ms",
         "B's p99 minus A's p99 (issue 15 target: <= 5 ms on loopback)");

  // 3. Cross-node delivery through two real gateway nodes.
  std::cerr << "redis-bench: cross-node latency through two gateway processes\n";
  const int words = intArg(argc, argv, "gateway-words", 2000);
  const auto added = gatewayCrossNodeAdded(server, words);
  if (!added.empty()) {
    const std::string how = std::to_string(added.size()) +
                            " deltas of one '/long' turn run by gateway node A (--redis, --demo-delay-ms 2), "
                            "WebSocket clients on A and on B in one process: arrival on B minus arrival on A";
    figure("Cross-node added latency through two gateway nodes, p50", percentile(added, 0.5), "ms", how);
    figure("Cross-node added latency through two gateway nodes, p99", percentile(added, 0.99), "ms",
           how + " (issue 15 target: <= 5 ms on loopback)");
  }
  server.stop();
  return added.empty() ? 1 : 0;
}
