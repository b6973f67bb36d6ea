// TurnQueue bookkeeping and the log's record of waiting turns (what a restart continues).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/event_log.h"
#include "gateway/turn_queue.h"
#include "gateway/util.h"

using namespace chat::gateway;
using nlohmann::json;

namespace {
QueuedTurn turn(const std::string& session, const std::string& id) {
  return QueuedTurn{session, id, "words of " + id, "", false};
}
}  // namespace

TEST(TurnQueue, StartsOneTurnPerSessionAtATimeInOrder) {
  TurnQueue q;
  q.enqueue(turn("s", "c-1"));
  q.enqueue(turn("s", "c-2"));
  q.enqueue(turn("t", "c-3"));
  auto first = q.startNext("s");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->requestId, "c-1");
  EXPECT_FALSE(q.startNext("s").has_value()) << "c-1 still runs";
  EXPECT_EQ(q.running("s").value_or(""), "c-1");
  EXPECT_EQ(q.waiting("s"), 1u);
  EXPECT_EQ(q.startNext("t").value().requestId, "c-3") << "another session does not wait";

  q.finished("s", "c-9");  // not the running turn: ignored
  EXPECT_FALSE(q.startNext("s").has_value());
  q.finished("s", "c-1");
  EXPECT_EQ(q.startNext("s").value().requestId, "c-2");
  q.finished("s", "c-2");
  EXPECT_FALSE(q.startNext("s").has_value());
  EXPECT_FALSE(q.running("s").has_value());
  EXPECT_TRUE(q.sessionsWithWaitingTurns().empty());
}

TEST(TurnQueue, CancelMarksOnlyWaitingTurns) {
  TurnQueue q;
  q.enqueue(turn("s", "c-1"));
  q.enqueue(turn("s", "c-2"));
  ASSERT_TRUE(q.startNext("s").has_value());
  EXPECT_FALSE(q.cancel("c-1")) << "running, not waiting";
  EXPECT_FALSE(q.cancel("c-nope"));
  EXPECT_TRUE(q.isWaiting("c-2"));
  EXPECT_TRUE(q.cancel("c-2"));
  q.finished("s", "c-1");
  auto next = q.startNext("s");
  ASSERT_TRUE(next.has_value());
  EXPECT_TRUE(next->cancelled);
  EXPECT_FALSE(q.isWaiting("c-2"));
}

TEST(TurnQueue, PutBackReturnsATurnToTheHeadAndFreesTheSession) {
  TurnQueue q;
  q.enqueue(turn("s", "c-1"));
  q.enqueue(turn("s", "c-2"));
  auto first = q.startNext("s");
  q.putBack(*first);
  EXPECT_FALSE(q.running("s").has_value());
  EXPECT_EQ(q.waiting("s"), 2u);
  EXPECT_EQ(q.startNext("s").value().requestId, "c-1");
}

TEST(EventLogQueuedTurns, RecordedWithTheEchoRemovedByTheStartAndKeptAcrossReopening) {
  std::string path = ::testing::TempDir() + "/gw-queued-" + randomHex(4) + ".db";
  {
    EventLog log(path);
    chat::proto::ChatMessageEvent echo1{"", 0, "c-1", "user", "one", 1};
    chat::proto::ChatMessageEvent echo2{"", 0, "c-2", "user", "two", 2};
    log.append("s", {echo1}, 1, ProcessedRecord{"c-1", "ack1"},
               QueuedTurn{"s", "c-1", "one", "demo-mini", false});
    log.append("s", {echo2}, 2, ProcessedRecord{"c-2", "ack2"},
               QueuedTurn{"s", "c-2", "two", "", false});
    auto q = log.queuedTurns();
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[0].requestId, "c-1");
    EXPECT_EQ(q[0].model, "demo-mini");
    EXPECT_EQ(q[1].content, "two");

    log.append("s", {chat::proto::StreamStart{"", 0, "c-1", "m", std::nullopt}}, 3);
    log.cancelQueuedTurn("c-2", ProcessedRecord{"c-3", "ack3"}, 4);
    EXPECT_EQ(log.processedReply("c-3").value_or(""), "ack3");
  }
  EventLog again(path);
  auto q = again.queuedTurns();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].requestId, "c-2");
  EXPECT_EQ(q[0].sessionId, "s");
  EXPECT_TRUE(q[0].cancelled);
  std::remove(path.c_str());
}

TEST(TurnQueue, ASessionIsIdleOnlyWithNothingRunningWaitingOrOnItsWay) {
  TurnQueue q;
  EXPECT_TRUE(q.idle("s"));
  q.submitted("s");  // a message's commit is on its way: its turn must come first
  EXPECT_FALSE(q.idle("s"));
  EXPECT_TRUE(q.idle("t"));  // other sessions are not held up
  q.submitted("s");
  q.committed("s");
  EXPECT_FALSE(q.idle("s"));
  q.committed("s");
  EXPECT_TRUE(q.idle("s"));

  // Started at once (with its message's commit): running like any other, until finished.
  q.startAtOnce(QueuedTurn{"s", "c-1", "hi", "", false});
  EXPECT_FALSE(q.idle("s"));
  EXPECT_EQ(q.running("s").value_or(""), "c-1");
  q.enqueue(QueuedTurn{"s", "c-2", "next", "", false});
  EXPECT_FALSE(q.startNext("s").has_value()) << "one turn of a session at a time";
  q.finished("s", "c-1");
  EXPECT_FALSE(q.idle("s"));  // c-2 waits
  auto next = q.startNext("s");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->requestId, "c-2");
  q.finished("s", "c-2");
  EXPECT_TRUE(q.idle("s"));
}
