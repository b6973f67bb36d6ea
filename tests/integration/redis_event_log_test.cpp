// The Redis event log and fan-out (src/gateway/redis/redis_event_log.h, redis_fanout.h) against a
// real redis-server, with two "nodes" (each its own connections) in one process: seqs given
// once across nodes, client message ids applied once, appends retried across a Redis kill
// applied once, and every node delivering every event once and in order.
#include <gtest/gtest.h>

#include <set>

#include "core/protocol/codec.h"
#include "fault_proxy.h"
#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_fanout.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::LoggedEvent;
using gateway::ProcessedRecord;
using gateway::redis::RedisAppendResult;
using gateway::redis::RedisClient;
using gateway::redis::RedisEventLog;
using gateway::redis::RedisFanout;
using gateway::redis::RedisReadResult;

std::vector<proto::GatewayMessage> deltas(const std::string& tag, int count) {
  std::vector<proto::GatewayMessage> out;
  for (int i = 0; i < count; ++i)
    out.push_back(proto::StreamDelta{"", 0, "r-" + tag, tag + "/" + std::to_string(i)});
  return out;
}

// The delta text of a logged frame, after checking it names the session and its seq.
std::string deltaOf(const LoggedEvent& e, const std::string& sessionId) {
  auto decoded = proto::decodeGatewayMessage(std::string_view(e.json));
  if (!decoded) return "undecodable";
  const auto* d = std::get_if<proto::StreamDelta>(&decoded.value());
  if (d == nullptr) return "not a delta";
  if (d->sessionId != sessionId || d->seq != e.seq) return "wrong key";
  return d->delta;
}

// One gateway node's Redis side: a command connection, a subscriber connection, the log and
// the fan-out (recording what it delivers).
struct Node {
  Node(AsioDriver& d, const RedisServer& server, const std::string& name)
      : client(d.ioc, endpointOf(server), quickOptions(name)),
        subscriber(d.ioc, endpointOf(server), quickOptions(name + "-sub")),
        log(d.ioc, client, name),
        fanout(d.ioc, subscriber, log, [this](const std::string& sid, const std::vector<LoggedEvent>& events) {
          for (const auto& e : events) delivered[sid].push_back(e);
        }) {
    client.start();
    subscriber.start();
    fanout.start();
  }
  RedisClient client;
  RedisClient subscriber;
  RedisEventLog log;
  RedisFanout fanout;
  std::map<std::string, std::vector<LoggedEvent>> delivered;
};

std::vector<LoggedEvent> readAll(AsioDriver& d, RedisEventLog& log, const std::string& sid) {
  std::optional<RedisReadResult> r;
  log.eventsAfter(sid, 0, 100000, [&](RedisReadResult x) { r = std::move(x); });
  if (!d.runUntil([&] { return r.has_value(); }) || !r->ok) return {};
  return r->events;
}

TEST(RedisEventLog, AppendNumbersFramesAndReadsThemBack) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  std::optional<RedisAppendResult> r;
  a.log.append("s1", deltas("x", 3), std::nullopt, [&](RedisAppendResult x) { r = std::move(x); });
  ASSERT_TRUE(d.runUntil([&] { return r.has_value(); }));
  ASSERT_EQ(r->status, RedisAppendResult::Status::Appended) << r->error;
  ASSERT_EQ(r->events.size(), 3u);
  EXPECT_EQ(r->events[0].seq, 1);
  EXPECT_EQ(r->events[2].seq, 3);
  auto stored = readAll(d, a.log, "s1");
  ASSERT_EQ(stored.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(stored[i].json, r->events[i].json);  // the frame sent is the frame stored
    EXPECT_EQ(deltaOf(stored[i], "s1"), "x/" + std::to_string(i));
  }
  // Reads after a seq, with a limit.
  std::optional<RedisReadResult> page;
  a.log.eventsAfter("s1", 1, 1, [&](RedisReadResult x) { page = std::move(x); });
  ASSERT_TRUE(d.runUntil([&] { return page.has_value(); }));
  ASSERT_TRUE(page->ok);
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].seq, 2);
  std::optional<std::optional<int64_t>> last;
  a.log.lastSeq("s1", [&](std::optional<int64_t> v) { last = v; });
  ASSERT_TRUE(d.runUntil([&] { return last.has_value(); }));
  EXPECT_EQ(*last, std::optional<int64_t>(3));
}

TEST(RedisEventLog, TwoNodesAppendingAtOnceNeverShareASeq) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  Node b(d, server, "b");
  constexpr int kBatches = 60;
  int answered = 0;
  std::vector<std::string> failures;
  auto collect = [&](RedisAppendResult r) {
    ++answered;
    if (r.status != RedisAppendResult::Status::Appended) failures.push_back(r.error);
  };
  // Interleaved: both nodes' batches in flight together, each node numbering from its guess.
  for (int i = 0; i < kBatches; ++i) {
    a.log.append("shared", deltas("a" + std::to_string(i), 1 + i % 3), std::nullopt, collect);
    b.log.append("shared", deltas("b" + std::to_string(i), 1 + i % 2), std::nullopt, collect);
  }
  ASSERT_TRUE(d.runUntil([&] { return answered == 2 * kBatches; }, 20000));
  EXPECT_TRUE(failures.empty()) << failures.front();
  auto stored = readAll(d, a.log, "shared");
  std::set<std::string> texts;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
    std::string t = deltaOf(stored[i], "shared");
    EXPECT_TRUE(texts.insert(t).second) << "twice: " << t;
  }
  std::size_t expected = 0;
  for (int i = 0; i < kBatches; ++i) expected += 1 + i % 3 + 1 + i % 2;
  EXPECT_EQ(stored.size(), expected);
  // The nodes did collide (and renumbered), and each node's own appends kept their order.
  EXPECT_GT(a.log.stats().conflicts + b.log.stats().conflicts, 0u);
  std::map<char, int> lastBatch{{'a', -1}, {'b', -1}};
  for (const auto& e : stored) {
    std::string t = deltaOf(e, "shared");
    int batch = std::stoi(t.substr(1, t.find('/') - 1));
    EXPECT_GE(batch, lastBatch[t[0]]) << t << " at seq " << e.seq;
    lastBatch[t[0]] = batch;
  }
}

TEST(RedisEventLog, AClientMessageIdIsAppliedOnceWhicheverNodeGetsIt) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  Node b(d, server, "b");
  std::optional<RedisAppendResult> first, resend;
  a.log.append("s", deltas("echo", 1), ProcessedRecord{"m-1", "{\"type\":\"ack\",\"id\":\"m-1\"}"},
               [&](RedisAppendResult r) { first = std::move(r); });
  ASSERT_TRUE(d.runUntil([&] { return first.has_value(); }));
  ASSERT_EQ(first->status, RedisAppendResult::Status::Appended) << first->error;
  // The client resends the unacked id to another node.
  b.log.append("s", deltas("echo", 1), ProcessedRecord{"m-1", "other"},
               [&](RedisAppendResult r) { resend = std::move(r); });
  ASSERT_TRUE(d.runUntil([&] { return resend.has_value(); }));
  EXPECT_EQ(resend->status, RedisAppendResult::Status::AlreadyApplied);
  EXPECT_EQ(resend->reply, "{\"type\":\"ack\",\"id\":\"m-1\"}");
  EXPECT_EQ(readAll(d, b.log, "s").size(), 1u);
  std::optional<std::optional<std::string>> stored;
  b.log.processedReply("m-1", [&](bool ok, std::optional<std::string> r) {
    EXPECT_TRUE(ok);
    stored = std::move(r);
  });
  ASSERT_TRUE(d.runUntil([&] { return stored.has_value(); }));
  EXPECT_EQ(*stored, std::optional<std::string>("{\"type\":\"ack\",\"id\":\"m-1\"}"));
}

TEST(RedisEventLog, AppendsInFlightWhenRedisIsKilledAreAppliedExactlyOnce) {
  RedisServer server(RedisServerOptions{true, ""});  // AOF, fsync always
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  ASSERT_TRUE(d.runUntil([&] { return a.client.ready(); }));
  constexpr int kAppends = 300;
  int answered = 0;
  std::vector<std::string> failures;
  for (int i = 0; i < kAppends; ++i) {
    a.log.append("k", deltas("n" + std::to_string(i), 1), std::nullopt, [&](RedisAppendResult r) {
      ++answered;
      if (r.status != RedisAppendResult::Status::Appended) failures.push_back(r.error);
    });
  }
  // Kill Redis while the appends are in flight: some are applied with their answers lost.
  d.runUntil([&] { return answered >= kAppends / 3; });
  server.stop(true);
  ASSERT_EQ(server.restart(), "");
  ASSERT_TRUE(d.runUntil([&] { return answered == kAppends; }, 20000));
  EXPECT_TRUE(failures.empty()) << failures.front();
  auto stored = readAll(d, a.log, "k");
  std::set<std::string> texts;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_TRUE(texts.insert(deltaOf(stored[i], "k")).second) << "twice at seq " << stored[i].seq;
  }
  EXPECT_EQ(stored.size(), static_cast<std::size_t>(kAppends));
  EXPECT_EQ(a.client.connects(), 2u);
}

TEST(RedisEventLog, AppendsWhoseAnswersAreCutOffAreRetriedAndAppliedOnce) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  // The connection to Redis dies after 200..1200 bytes of answers, up to five times: appends that
  // Redis applied lose their answers, and their retries must not apply them again.
  FaultProxy proxy(server.port());
  proxy.cutAtRandom(15, 200, 1200, 5);
  AsioDriver d;
  auto viaProxy = endpointOf(server);
  viaProxy.port = proxy.port();
  RedisClient client(d.ioc, viaProxy, quickOptions("cut"));
  // The proxy connects upstream once it has seen the end of an HTTP head ("\r\n\r\n"): an
  // empty RESP argument spells it, so each new connection starts with ECHO "".
  client.onReady([&] { client.command({"ECHO", ""}, [](gateway::redis::RedisReply) {}); });
  client.start();
  RedisEventLog log(d.ioc, client, "cut");
  constexpr int kAppends = 400;
  int answered = 0;
  std::vector<std::string> failures;
  for (int i = 0; i < kAppends; ++i) {  // four sessions: pipelined across them
    log.append("c" + std::to_string(i % 4), deltas("n" + std::to_string(i), 1 + i % 3),
               ProcessedRecord{"mid-" + std::to_string(i), "ack"}, [&](RedisAppendResult r) {
                 ++answered;
                 if (r.status != RedisAppendResult::Status::Appended) failures.push_back(r.error);
               });
  }
  ASSERT_TRUE(d.runUntil([&] { return answered == kAppends; }, 20000))
      << answered << " answered; retries " << log.stats().retries << ", appended "
      << log.stats().appended << ", cuts " << proxy.cuts() << ", connects " << client.connects()
      << ", ready " << client.ready();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  EXPECT_GE(proxy.cuts(), 3);
  EXPECT_EQ(log.stats().conflicts, 0u);  // one node: its own appends never collide
  EXPECT_GT(log.stats().retries, 0u);
  EXPECT_GT(log.stats().duplicates, 0u)
      << "no applied append lost its answer: the test proved nothing; retries "
      << log.stats().retries << ", connects " << client.connects();
  Node reader(d, server, "reader");
  std::size_t total = 0;
  for (int session = 0; session < 4; ++session) {
    std::string sid = "c" + std::to_string(session);
    auto stored = readAll(d, reader.log, sid);
    std::set<std::string> texts;
    int lastIndex = -1;
    for (std::size_t i = 0; i < stored.size(); ++i) {
      EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
      std::string t = deltaOf(stored[i], sid);
      EXPECT_TRUE(texts.insert(t).second) << "twice at seq " << stored[i].seq;
      // This node's appends stay in the order they were made.
      int index = std::stoi(t.substr(1, t.find('/') - 1));
      EXPECT_GE(index, lastIndex) << sid << " seq " << stored[i].seq;
      lastIndex = index;
    }
    total += stored.size();
  }
  std::size_t expected = 0;
  for (int i = 0; i < kAppends; ++i) expected += 1 + i % 3;
  EXPECT_EQ(total, expected);
}

// Every node's deliveries for the session: 1..n in order, each once, equal to the log.
void expectDeliveredEqualsLog(const std::vector<LoggedEvent>& got, const std::vector<LoggedEvent>& log,
                              const std::string& who) {
  ASSERT_EQ(got.size(), log.size()) << who;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].seq, log[i].seq) << who;
    EXPECT_EQ(got[i].json, log[i].json) << who;
  }
}

TEST(RedisFanout, EveryNodeDeliversEveryEventOnceInOrderAcrossARedisRestart) {
  RedisServer server(RedisServerOptions{true, ""});
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  Node b(d, server, "b");
  Node c(d, server, "c");  // only watches (a polling node)
  ASSERT_TRUE(d.runUntil([&] {
    return a.subscriber.ready() && b.subscriber.ready() && c.subscriber.ready();
  }));
  for (Node* n : {&a, &b, &c}) n->fanout.watch("live", 0);
  int answered = 0;
  auto appendFrom = [&](Node& n, const std::string& tag, int count) {
    n.log.append("live", deltas(tag, count), std::nullopt, [&n, &answered](RedisAppendResult r) {
      ++answered;
      if (r.status == RedisAppendResult::Status::Appended) n.fanout.offer("live", r.events);
    });
  };
  for (int i = 0; i < 40; ++i) {
    appendFrom(a, "a" + std::to_string(i), 2);
    appendFrom(b, "b" + std::to_string(i), 1);
  }
  ASSERT_TRUE(d.runUntil([&] { return answered == 80; }, 10000));
  // Redis restarts mid-stream: the subscribers miss what is published while they reconnect.
  server.stop(true);
  ASSERT_EQ(server.restart(), "");
  for (int i = 40; i < 80; ++i) {
    appendFrom(a, "a" + std::to_string(i), 2);
    appendFrom(b, "b" + std::to_string(i), 1);
  }
  ASSERT_TRUE(d.runUntil([&] { return answered == 160; }, 20000));
  auto log = readAll(d, a.log, "live");
  ASSERT_EQ(log.size(), 240u);
  ASSERT_TRUE(d.runUntil([&] {
    return a.delivered["live"].size() >= 240 && b.delivered["live"].size() >= 240 &&
           c.delivered["live"].size() >= 240;
  }, 10000)) << a.delivered["live"].size() << " " << b.delivered["live"].size() << " "
             << c.delivered["live"].size();
  d.runFor(50);  // nothing more (no duplicates) arrives later
  expectDeliveredEqualsLog(a.delivered["live"], log, "a");
  expectDeliveredEqualsLog(b.delivered["live"], log, "b");
  expectDeliveredEqualsLog(c.delivered["live"], log, "c");
}

TEST(RedisFanout, AWatcherJoiningLateGetsWhatFollowsItsPositionAndOthersSessionsAreIgnored) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  Node a(d, server, "a");
  Node b(d, server, "b");
  int answered = 0;
  a.log.append("late", deltas("early", 5), std::nullopt, [&](RedisAppendResult) { ++answered; });
  a.log.append("other", deltas("o", 2), std::nullopt, [&](RedisAppendResult) { ++answered; });
  ASSERT_TRUE(d.runUntil([&] { return answered == 2; }));
  // B read seqs 1..3 itself (its replay), then watches from 3: it gets 4, 5 and what follows.
  b.fanout.watch("late", 3);
  a.log.append("late", deltas("after", 2), std::nullopt, [&](RedisAppendResult) { ++answered; });
  ASSERT_TRUE(d.runUntil([&] { return b.delivered["late"].size() == 4; }));
  d.runFor(30);
  auto& got = b.delivered["late"];
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].seq, static_cast<int64_t>(4 + i));
  EXPECT_EQ(deltaOf(got[2], "late"), "after/0");
  EXPECT_EQ(b.delivered.count("other"), 0u);
  EXPECT_EQ(b.fanout.delivered("late"), 7);
  b.fanout.unwatch("late");
  EXPECT_FALSE(b.fanout.watching("late"));
}

}  // namespace
}  // namespace chat::itest
