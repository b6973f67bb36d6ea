// The gateway's own commit path (commit_queue.h) on Redis: two nodes, each a CommitQueue over
// a RedisEventStore and a RedisEventFanout (the interfaces the SQLite log and the Hub
// implement), one Redis. Subscribers on both nodes see the same events, equal to the log; a
// client message id resent to the other node is applied once.
#include <gtest/gtest.h>

#include "core/protocol/codec.h"
#include "gateway/commit_queue.h"
#include "gateway/redis/redis_event_fanout.h"
#include "gateway/redis/redis_event_store.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::AppendRequest;
using gateway::CommitQueue;
using gateway::EventSubscriber;
using gateway::LoggedEvent;
using gateway::ProcessedRecord;
using gateway::redis::RedisEventFanout;
using gateway::redis::RedisEventStore;
using gateway::redis::RedisEventStoreOptions;

struct Transcript : EventSubscriber {
  void onSessionEvent(const std::string&, int64_t seq, const std::shared_ptr<const std::string>& frame) override {
    events.push_back(LoggedEvent{seq, *frame});
  }
  std::vector<LoggedEvent> events;
};

struct CommitNode {
  CommitNode(AsioDriver& d, const RedisServer& server, const std::string& name)
      : store(endpointOf(server), [&] {
          RedisEventStoreOptions o;
          o.nodeId = name;
          o.client = quickOptions(name);
          return o;
        }()),
        fanout(d.ioc, endpointOf(server), name, {}, quickOptions(name)),
        commits(d.ioc, store, fanout, [] { return int64_t{0}; }) {}
  RedisEventStore store;
  RedisEventFanout fanout;
  CommitQueue commits;
};

proto::GatewayMessage userMessage(const std::string& id, const std::string& text) {
  return proto::ChatMessageEvent{"", 0, id, "user", text, 1, std::nullopt};
}

TEST(RedisCommitPath, TwoNodesCommitPathsShareOneLogAndEveryoneSeesIt) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  CommitNode a(d, server, "a"), b(d, server, "b");
  ASSERT_TRUE(d.runUntil([&] { return a.fanout.connected() && b.fanout.connected(); }));
  Transcript onA, onB;
  a.fanout.subscribe("chat", &onA);
  b.fanout.subscribe("chat", &onB);
  ASSERT_TRUE(d.runUntil([&] {
    return a.fanout.fanout().watching("chat") && b.fanout.fanout().watching("chat");
  }));
  // A client on A sends m1; its ack is lost, it resends m1 to B together with B's own work.
  int committedOnA = 0, committedOnB = 0;
  a.commits.enqueue(AppendRequest{"chat", {userMessage("m1", "hello")}, ProcessedRecord{"m1", "ack-m1"},
                                  std::nullopt, true},
                    {}, [&](const std::vector<LoggedEvent>&) { ++committedOnA; });
  a.commits.flush();
  for (int i = 0; i < 10; ++i)
    a.commits.enqueue(AppendRequest{"chat", {proto::StreamDelta{"", 0, "m1", "w" + std::to_string(i)}},
                                    std::nullopt, std::nullopt, false});
  b.commits.enqueue(AppendRequest{"chat", {userMessage("m1", "hello")}, ProcessedRecord{"m1", "ack-m1"},
                                  std::nullopt, true},
                    {}, [&](const std::vector<LoggedEvent>& stored) { committedOnB += stored.empty() ? 10 : 1; });
  b.commits.enqueue(AppendRequest{"chat", {userMessage("m2", "second")}, ProcessedRecord{"m2", "ack-m2"},
                                  std::nullopt, true});
  a.commits.flush();
  b.commits.flush();
  auto log = a.store.eventsAfter("chat", 0, 100);
  ASSERT_EQ(log.size(), 13u);  // session.created, m1, 10 deltas, m2
  ASSERT_TRUE(d.runUntil([&] { return onA.events.size() >= 13 && onB.events.size() >= 13; }))
      << onA.events.size() << " " << onB.events.size();
  d.runFor(30);
  for (auto* t : {&onA, &onB}) {
    ASSERT_EQ(t->events.size(), log.size());
    for (std::size_t i = 0; i < log.size(); ++i) {
      EXPECT_EQ(t->events[i].seq, log[i].seq);
      EXPECT_EQ(t->events[i].json, log[i].json);
    }
  }
  int m1Echoes = 0;
  for (const auto& e : log) {
    auto m = proto::decodeGatewayMessage(std::string_view(e.json));
    ASSERT_TRUE(m);
    if (const auto* c = std::get_if<proto::ChatMessageEvent>(&m.value()); c && c->messageId == "m1") ++m1Echoes;
  }
  EXPECT_EQ(m1Echoes, 1);
  EXPECT_EQ(committedOnA, 1);
  EXPECT_EQ(committedOnB, 10);  // B's resend of m1 stored nothing: it was applied on A
}

}  // namespace
}  // namespace chat::itest
