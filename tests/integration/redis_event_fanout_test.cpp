// The Hub-shaped fan-out of a node on Redis (src/gateway/redis/redis_event_fanout.h): a
// subscriber on node B gets what node A commits, once and in order, from the session's head;
// a long-poll waiter on B is woken by A's commit; nodes stop listening when nobody here does.
#include <gtest/gtest.h>

#include "gateway/redis/redis_event_fanout.h"
#include "gateway/redis/redis_event_store.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::AppendRequest;
using gateway::EventSubscriber;
using gateway::LoggedEvent;
using gateway::redis::RedisEventFanout;
using gateway::redis::RedisEventStore;
using gateway::redis::RedisEventStoreOptions;

struct Recorder : EventSubscriber {
  void onSessionEvent(const std::string& sessionId, int64_t seq,
                      const std::shared_ptr<const std::string>& frame) override {
    got.push_back({sessionId, seq, *frame});
  }
  struct Got {
    std::string sessionId;
    int64_t seq;
    std::string frame;
  };
  std::vector<Got> got;
};

RedisEventStoreOptions storeOptions(const std::string& node) {
  RedisEventStoreOptions o;
  o.nodeId = node;
  o.client = quickOptions(node);
  return o;
}

std::vector<LoggedEvent> commit(RedisEventStore& store, const std::string& sid, const std::string& text) {
  std::vector<AppendRequest> batch;
  batch.push_back(AppendRequest{sid, {proto::StreamDelta{"", 0, "r", text}}, std::nullopt, std::nullopt, false});
  return store.appendBatchConsuming(batch, 0)[0];
}

TEST(RedisEventFanout, ASubscriberOnOneNodeGetsAnotherNodesCommitsOnceInOrder) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  RedisEventStore storeA(endpointOf(server), storeOptions("a"));
  RedisEventFanout fanA(d.ioc, endpointOf(server), "a", {}, quickOptions("a"));
  RedisEventFanout fanB(d.ioc, endpointOf(server), "b", {}, quickOptions("b"));
  ASSERT_TRUE(d.runUntil([&] { return fanA.connected() && fanB.connected(); }));
  d.runFor(30);
  // History before anyone listens on B: B's subscriber starts at the head, not replayed.
  for (int i = 0; i < 3; ++i) fanA.publish("s", commit(storeA, "s", "old" + std::to_string(i)));
  Recorder onA, onB;
  fanA.subscribe("s", &onA);
  fanB.subscribe("s", &onB);
  ASSERT_TRUE(d.runUntil([&] { return fanB.fanout().watching("s"); }));
  for (int i = 0; i < 20; ++i) {
    fanA.publish("s", commit(storeA, "s", "new" + std::to_string(i)));  // A's commit path
    d.runFor(1);
  }
  ASSERT_TRUE(d.runUntil([&] { return onB.got.size() >= 20 && onA.got.size() >= 20; }));
  d.runFor(30);
  for (auto* r : {&onA, &onB}) {
    ASSERT_EQ(r->got.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i) EXPECT_EQ(r->got[i].seq, static_cast<int64_t>(4 + i));
  }
  EXPECT_EQ(onA.got[5].frame, onB.got[5].frame);  // the very bytes the log stored
  fanB.unsubscribe("s", &onB);
  EXPECT_FALSE(fanB.fanout().watching("s"));
}

TEST(RedisEventFanout, ALongPollWaiterOnOneNodeIsWokenByAnotherNodesCommit) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  RedisEventStore storeA(endpointOf(server), storeOptions("a"));
  RedisEventFanout fanA(d.ioc, endpointOf(server), "a", {}, quickOptions("a"));
  RedisEventFanout fanC(d.ioc, endpointOf(server), "c", {}, quickOptions("c"));
  ASSERT_TRUE(d.runUntil([&] { return fanA.connected() && fanC.connected(); }));
  d.runFor(30);
  fanA.publish("p", commit(storeA, "p", "one"));
  int woken = 0;
  fanC.addWaiter("p", 1, [&] { ++woken; });
  d.runFor(50);
  EXPECT_EQ(woken, 0);  // nothing past seq 1 yet
  fanA.publish("p", commit(storeA, "p", "two"));
  ASSERT_TRUE(d.runUntil([&] { return woken == 1; }));
  EXPECT_EQ(fanC.waiterCount(), 0u);
  EXPECT_FALSE(fanC.fanout().watching("p"));  // the woken waiter was its only listener
  // A waiter behind the head is woken at once (the catch-up read finds its events).
  fanC.addWaiter("p", 0, [&] { ++woken; });
  ASSERT_TRUE(d.runUntil([&] { return woken == 2; }));
  // A removed waiter stops the listening too.
  uint64_t id = fanC.addWaiter("p", 2, [&] { ++woken; });
  fanC.removeWaiter(id);
  EXPECT_FALSE(fanC.fanout().watching("p"));
}

}  // namespace
}  // namespace chat::itest
