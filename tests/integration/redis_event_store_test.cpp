// The synchronous Redis event store of the commit path (src/gateway/redis/redis_event_store.h)
// on a real redis-server: batches across sessions numbered densely and announced once, queued
// turns kept until their stream starts, two nodes appending to one session at once, a message
// id applied once across nodes, batches retried over cut connections applied once, and an
// error (not a hang) when Redis stays away.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/protocol/codec.h"
#include "fault_proxy.h"
#include "gateway/redis/redis_event_store.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::AppendRequest;
using gateway::EventLogError;
using gateway::LoggedEvent;
using gateway::ProcessedRecord;
using gateway::QueuedTurn;
using gateway::redis::RedisEventStore;
using gateway::redis::RedisEventStoreOptions;

RedisEventStoreOptions storeOptions(const std::string& node, int64_t retryForMs = 10000) {
  RedisEventStoreOptions o;
  o.nodeId = node;
  o.client = quickOptions(node);
  o.retryForMs = retryForMs;
  return o;
}

proto::GatewayMessage delta(const std::string& text) { return proto::StreamDelta{"", 0, "r", text}; }

std::string typeOf(const LoggedEvent& e) {
  auto m = proto::decodeGatewayMessage(std::string_view(e.json));
  if (!m) return "undecodable";
  return std::visit([](const auto& v) { return std::string(std::decay_t<decltype(v)>::kType); }, m.value());
}

std::string textOf(const LoggedEvent& e) {
  auto m = proto::decodeGatewayMessage(std::string_view(e.json));
  if (!m) return "undecodable";
  const auto* d = std::get_if<proto::StreamDelta>(&m.value());
  return d ? d->delta : "";
}

TEST(RedisEventStore, ABatchAcrossSessionsIsNumberedAnnouncedAndQueuedTurnsKept) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisEventStore store(endpointOf(server), storeOptions("a"));
  std::vector<AppendRequest> batch;
  AppendRequest send{"s1", {proto::ChatMessageEvent{"", 0, "m1", "user", "hello", 1, std::nullopt}},
                     ProcessedRecord{"m1", "ack-m1"}, QueuedTurn{"s1", "m1", "hello", "", false}, true};
  batch.push_back(std::move(send));
  batch.push_back(AppendRequest{"s2", {delta("x")}, std::nullopt, std::nullopt, true});
  batch.push_back(AppendRequest{"s1", {delta("y"), delta("z")}, std::nullopt, std::nullopt, false});
  auto stored = store.appendBatchConsuming(batch, 0);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_TRUE(batch[0].events.empty());  // consumed
  ASSERT_EQ(stored[0].size(), 2u);  // session.created + the echo
  EXPECT_EQ(typeOf(stored[0][0]), "session.created");
  EXPECT_EQ(stored[0][1].seq, 2);
  ASSERT_EQ(stored[1].size(), 2u);
  EXPECT_EQ(typeOf(stored[1][0]), "session.created");
  ASSERT_EQ(stored[2].size(), 2u);
  EXPECT_EQ(stored[2][0].seq, 3);
  EXPECT_EQ(stored[2][1].seq, 4);
  EXPECT_EQ(store.lastSeq("s1"), 4);
  EXPECT_EQ(store.lastSeq("s2"), 2);
  EXPECT_EQ(store.lastSeq("none"), 0);
  auto read = store.eventsAfter("s1", 2, 10);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].json, stored[2][0].json);
  // The queued turn waits at its echo's seq until its chat.stream.start is logged.
  auto queued = store.queuedTurns();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].requestId, "m1");
  EXPECT_EQ(queued[0].content, "hello");
  std::vector<AppendRequest> start;
  start.push_back(AppendRequest{"s1", {proto::StreamStart{"", 0, "m1", "demo", std::nullopt}}, std::nullopt,
                                std::nullopt, true});
  auto started = store.appendBatchConsuming(start, 0);
  ASSERT_EQ(started[0].size(), 1u);  // no second session.created
  EXPECT_EQ(started[0][0].seq, 5);
  EXPECT_TRUE(store.queuedTurns().empty());
}

TEST(RedisEventStore, TwoNodesAppendingToOneSessionAtOnceGetDenseSeqs) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisEventStore a(endpointOf(server), storeOptions("a"));
  RedisEventStore b(endpointOf(server), storeOptions("b"));
  auto run = [](RedisEventStore& store, const std::string& tag, std::atomic<int>& errors) {
    for (int i = 0; i < 100; ++i) {
      std::vector<AppendRequest> batch;
      batch.push_back(AppendRequest{"shared", {delta(tag + std::to_string(i) + ".0"), delta(tag + std::to_string(i) + ".1")},
                                    std::nullopt, std::nullopt, false});
      try {
        store.appendBatchConsuming(batch, 0);
      } catch (const EventLogError&) {
        ++errors;
      }
    }
  };
  std::atomic<int> errors{0};
  std::thread ta([&] { run(a, "a", errors); });
  std::thread tb([&] { run(b, "b", errors); });
  ta.join();
  tb.join();
  EXPECT_EQ(errors, 0);
  auto all = a.eventsAfter("shared", 0, 1000);
  ASSERT_EQ(all.size(), 400u);
  std::set<std::string> texts;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_TRUE(texts.insert(textOf(all[i])).second);
    // A batch's two events stay together (the script writes a batch at once).
    if (i % 2 == 1) EXPECT_EQ(textOf(all[i]).substr(0, textOf(all[i]).size() - 1),
                              textOf(all[i - 1]).substr(0, textOf(all[i - 1]).size() - 1));
  }
}

TEST(RedisEventStore, AMessageIdAppliedOnOneNodeIsSkippedOnAnother) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisEventStore a(endpointOf(server), storeOptions("a"));
  RedisEventStore b(endpointOf(server), storeOptions("b"));
  std::vector<AppendRequest> first;
  first.push_back(AppendRequest{"s", {delta("echo")}, ProcessedRecord{"m-9", "ack-9"}, std::nullopt, false});
  a.appendBatchConsuming(first, 0);
  // The resend reaches node B in a batch with other work: only the resend is skipped.
  std::vector<AppendRequest> resend;
  resend.push_back(AppendRequest{"s", {delta("echo")}, ProcessedRecord{"m-9", "other"}, std::nullopt, false});
  resend.push_back(AppendRequest{"s", {delta("other work")}, std::nullopt, std::nullopt, false});
  auto stored = b.appendBatchConsuming(resend, 0);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_TRUE(stored[0].empty());
  ASSERT_EQ(stored[1].size(), 1u);
  EXPECT_EQ(stored[1][0].seq, 2);
  ASSERT_EQ(b.appliedElsewhere().size(), 1u);
  EXPECT_EQ(b.appliedElsewhere()[0].first, 0u);
  EXPECT_EQ(b.appliedElsewhere()[0].second, "ack-9");
  auto all = b.eventsAfter("s", 0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(textOf(all[0]), "echo");
  EXPECT_EQ(textOf(all[1]), "other work");
}

TEST(RedisEventStore, BatchesRetriedOverCutConnectionsAreAppliedOnce) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  FaultProxy proxy(server.port());
  proxy.cutAtRandom(7, 30, 400, 6);
  auto viaProxy = endpointOf(server);
  viaProxy.port = proxy.port();
  // The proxy waits for "\r\n\r\n" before it connects upstream: every batch carries an empty
  // argument (an append without queued turn), which RESP spells "$0\r\n\r\n".
  RedisEventStore store(viaProxy, storeOptions("cut"));
  for (int i = 0; i < 150; ++i) {
    std::vector<AppendRequest> batch;
    batch.push_back(AppendRequest{"c", {delta("n" + std::to_string(i))}, std::nullopt, std::nullopt, false});
    ASSERT_NO_THROW(store.appendBatchConsuming(batch, 0)) << i;
  }
  EXPECT_GE(proxy.cuts(), 3);
  RedisEventStore reader(endpointOf(server), storeOptions("reader"));
  auto all = reader.eventsAfter("c", 0, 1000);
  ASSERT_EQ(all.size(), 150u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(textOf(all[i]), "n" + std::to_string(i));
}

TEST(RedisEventStore, RedisAwayLongerThanTheRetryWindowIsAnErrorNotAHang) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisEventStore store(endpointOf(server), storeOptions("a", 300));
  EXPECT_EQ(store.lastSeq("s"), 0);
  server.stop(true);
  std::vector<AppendRequest> batch;
  batch.push_back(AppendRequest{"s", {delta("lost")}, std::nullopt, std::nullopt, false});
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(store.appendBatchConsuming(batch, 0), EventLogError);
  EXPECT_THROW(store.eventsAfter("s", 0, 10), EventLogError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(6));
  // Back again: the store reconnects by itself.
  ASSERT_EQ(server.restart(), "");
  std::vector<AppendRequest> again;
  again.push_back(AppendRequest{"s", {delta("back")}, std::nullopt, std::nullopt, false});
  std::vector<std::vector<LoggedEvent>> stored;
  for (int tries = 0; tries < 50 && stored.empty(); ++tries) {
    try {
      stored = store.appendBatchConsuming(again, 0);
    } catch (const EventLogError&) {
      again[0].events = {delta("back")};  // consumed by the failed attempt
    }
  }
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0][0].seq, 1);
}

TEST(RedisEventStore, TheSessionListAndItsChangesAreSharedByAllNodes) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  RedisEventStore a(endpointOf(server), storeOptions("a"));
  RedisEventStore b(endpointOf(server), storeOptions("b"));
  auto say = [](RedisEventStore& store, const std::string& sid, const std::string& role,
                const std::string& text, int64_t now) {
    std::vector<AppendRequest> batch;
    batch.push_back(AppendRequest{sid, {proto::ChatMessageEvent{"", 0, sid + text, role, text, now, std::nullopt}},
                                  std::nullopt, std::nullopt, true});
    store.appendBatchConsuming(batch, now);
  };
  EXPECT_EQ(a.lastChange(), 0);
  say(a, "s1", "user", "Hello there, this title is longer than sixty characters in all, surely", 100);
  say(b, "s2", "assistant", "not a title", 200);
  say(b, "s2", "user", "Second chat", 250);
  say(a, "s1", "user", "a later message does not retitle", 300);
  for (RedisEventStore* store : {&a, &b}) {
    auto list = store->listSessions(10);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].sessionId, "s1");  // updated last
    EXPECT_EQ(list[0].title, "Hello there, this title is longer than sixty characters in a");
    EXPECT_EQ(list[0].createdAt, 100);
    EXPECT_EQ(list[0].updatedAt, 300);
    EXPECT_EQ(list[0].lastSeq, 3);  // session.created + two messages
    EXPECT_EQ(list[1].sessionId, "s2");
    EXPECT_EQ(list[1].title, "Second chat");
    EXPECT_EQ(list[1].lastSeq, 3);
  }
  EXPECT_EQ(a.listSessions(1).size(), 1u);
  // The push feed: four appends, four changes; each session listed once, at its latest change.
  EXPECT_EQ(b.lastChange(), 4);
  auto changed = b.sessionsChangedAfter(0, 10);
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0], (std::pair<int64_t, std::string>{3, "s2"}));
  EXPECT_EQ(changed[1], (std::pair<int64_t, std::string>{4, "s1"}));
  EXPECT_EQ(a.sessionsChangedAfter(3, 10).size(), 1u);
  EXPECT_TRUE(a.sessionsChangedAfter(4, 10).empty());
}

}  // namespace
}  // namespace chat::itest
