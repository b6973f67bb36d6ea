// A long history: events still apply correctly (and via the by-id lookups) at 10,000 messages.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

TEST(ChatReducerScale, TenThousandMessageSessionStillAppliesEvents) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.created("s-a");
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "c-" + std::to_string(i);
    ASSERT_EQ(d.send(id, "question " + std::to_string(i)).error, "");
    d.userEcho("s-a", id, "question");
    d.start("s-a", id);
    d.delta("s-a", id, "answer " + std::to_string(i));
    d.end("s-a", id, proto::Usage{1, 1, 2}, proto::Cost{0, 0, 0.5});
  }
  ASSERT_EQ(d.session("s-a").messages.size(), 10000u);

  // Echo of the very first message: found by id, not duplicated.
  d.userEcho("s-a", "c-0", "question");
  EXPECT_EQ(d.session("s-a").messages.size(), 10000u);
  // A fresh turn with a tool and an approval.
  ASSERT_EQ(d.send("c-new", "latest").error, "");
  d.start("s-a", "c-new");
  d.approvalRequest("s-a", "c-new", "t-1");
  d.approvalResolved("s-a", "t-1", true);
  d.toolCall("s-a", "c-new", "t-1");
  d.toolResult("s-a", "c-new", "t-1", "ok");
  d.delta("s-a", "c-new", "final");
  d.end("s-a", "c-new", proto::Usage{1, 1, 2}, proto::Cost{0, 0, 0.5});
  EXPECT_EQ(d.feed(proto::Ack{"c-new"}), Outcome::Applied);

  const SessionState& s = d.session("s-a");
  EXPECT_EQ(s.messages.size(), 10002u);
  EXPECT_EQ(s.messages[10000].status, MessageStatus::Sent);
  EXPECT_EQ(s.messages.back().content, "final");
  EXPECT_EQ(s.tools[0].status, ToolStatus::Completed);
  EXPECT_EQ(s.totalUsage.totalTokens, 2 * 5001);
  EXPECT_DOUBLE_EQ(s.totalCost.totalCost, 0.5 * 5001);
  EXPECT_EQ(s.timeline.size(), 10004u);
  EXPECT_EQ(s.lastSeq, 1 + 5000 * 4 + 1 + 7);
  // Old seqs are still dropped, a gap still reported.
  EXPECT_EQ(d.feed(proto::StreamStart{"s-a", 100, "r", "m", std::nullopt}), Outcome::Duplicate);
  EXPECT_EQ(d.feed(proto::StreamStart{"s-a", s.lastSeq + 2, "r", "m", std::nullopt}),
            Outcome::Gap);
  EXPECT_EQ(d.lastResumeFromSeq, d.session("s-a").lastSeq);
}

}  // namespace
}  // namespace chat::core
