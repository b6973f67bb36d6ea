// The per-session seq rule: apply N+1, drop <= N, report (and do not apply) a gap.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;
using chat::core::MessageStatus;

TEST(ChatReducerSeq, FirstEventForUnknownSessionCreatesIt) {
  Driver d;
  EXPECT_EQ(d.created("s-a"), Outcome::Applied);
  ASSERT_EQ(d.state.sessions.count("s-a"), 1u);
  EXPECT_EQ(d.session("s-a").sessionId, "s-a");
  EXPECT_EQ(d.session("s-a").lastSeq, 1);
}

TEST(ChatReducerSeq, SessionCreatedChangesNothingButSeq) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.created("s-a");
  const SessionState& s = d.session("s-a");
  EXPECT_EQ(s.lastSeq, 1);
  EXPECT_TRUE(s.messages.empty());
  EXPECT_TRUE(s.timeline.empty());
  EXPECT_FALSE(s.streaming.has_value());
}

TEST(ChatReducerSeq, SessionCreatedBecomesCurrentWhenNoneIs) {
  Driver d;
  d.created("s-a");
  EXPECT_EQ(d.state.currentSessionId, "s-a");
  d.created("s-b");
  EXPECT_EQ(d.state.currentSessionId, "s-a");  // an existing choice is kept
}

TEST(ChatReducerSeq, DuplicateSeqIsDroppedAndStateUnchanged) {
  Driver d;
  d.created("s-a");
  d.userEcho("s-a", "c-1", "hello");
  const proto::GatewayMessage replay = proto::ChatMessageEvent{"s-a", 2, "c-9", "user", "dup", 0};
  EXPECT_EQ(d.feed(replay), Outcome::Duplicate);
  EXPECT_EQ(d.session("s-a").messages.size(), 1u);
  EXPECT_EQ(d.session("s-a").messages[0].content, "hello");
  EXPECT_EQ(d.session("s-a").lastSeq, 2);
  // An older seq too.
  EXPECT_EQ(d.feed(proto::StreamStart{"s-a", 1, "c-1", "other", std::nullopt}),
            Outcome::Duplicate);
  EXPECT_FALSE(d.session("s-a").streaming.has_value());
}

TEST(ChatReducerSeq, SeqZeroIsNeverApplied) {
  Driver d;
  EXPECT_EQ(d.feed(proto::SessionCreated{"s-a", 0, "k"}), Outcome::Duplicate);
  EXPECT_TRUE(d.state.sessions.empty());
}

TEST(ChatReducerSeq, GapIsReportedAndNotApplied) {
  Driver d;
  d.created("s-a");  // seq 1
  const Outcome o = d.feed(proto::ChatMessageEvent{"s-a", 3, "c-2", "user", "later", 0});
  EXPECT_EQ(o, Outcome::Gap);
  EXPECT_EQ(d.lastGapSessionId, "s-a");
  EXPECT_EQ(d.lastResumeFromSeq, 1);
  EXPECT_EQ(d.session("s-a").lastSeq, 1);
  EXPECT_TRUE(d.session("s-a").messages.empty());
}

TEST(ChatReducerSeq, GapOnUnknownSessionResumesFromZeroWithoutCreatingIt) {
  Driver d;
  EXPECT_EQ(d.feed(proto::StreamStart{"s-new", 4, "r", "m", std::nullopt}), Outcome::Gap);
  EXPECT_EQ(d.lastGapSessionId, "s-new");
  EXPECT_EQ(d.lastResumeFromSeq, 0);
  EXPECT_EQ(d.state.sessions.count("s-new"), 0u);
}

TEST(ChatReducerSeq, GappedEventAppliesAfterTheMissingOneArrives) {
  Driver d;
  d.created("s-a");
  const proto::GatewayMessage third = proto::ChatMessageEvent{"s-a", 3, "c-3", "user", "three", 0};
  ASSERT_EQ(d.feed(third), Outcome::Gap);
  ASSERT_EQ(d.feed(proto::ChatMessageEvent{"s-a", 2, "c-2", "user", "two", 0}), Outcome::Applied);
  ASSERT_EQ(d.feed(third), Outcome::Applied);
  const SessionState& s = d.session("s-a");
  EXPECT_EQ(s.lastSeq, 3);
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].content, "two");
  EXPECT_EQ(s.messages[1].content, "three");
}

TEST(ChatReducerSeq, SessionsHaveIndependentSeqs) {
  Driver d;
  d.created("s-a");
  d.userEcho("s-a", "c-1", "in a");
  d.created("s-b");  // seq 1 of s-b is not a duplicate of s-a's seq 1
  EXPECT_EQ(d.lastOutcome, Outcome::Applied);
  EXPECT_EQ(d.session("s-a").lastSeq, 2);
  EXPECT_EQ(d.session("s-b").lastSeq, 1);
  // A gap in s-b does not affect s-a.
  EXPECT_EQ(d.feed(proto::StreamStart{"s-b", 5, "r", "m", std::nullopt}), Outcome::Gap);
  EXPECT_EQ(d.lastResumeFromSeq, 1);
  EXPECT_EQ(d.start("s-a", "c-1"), Outcome::Applied);
  EXPECT_TRUE(d.session("s-a").streaming.has_value());
  EXPECT_FALSE(d.session("s-b").streaming.has_value());
}

TEST(ChatReducerSeq, MultipleSessionsStreamIndependently) {
  Driver d;
  d.created("s-a");
  d.created("s-b");
  d.start("s-a", "ra", "model-a");
  d.start("s-b", "rb", "model-b");
  d.delta("s-a", "ra", "alpha");
  d.delta("s-b", "rb", "beta");
  d.end("s-a", "ra", proto::Usage{1, 2, 3}, proto::Cost{0.1, 0.2, 0.3});
  EXPECT_FALSE(d.session("s-a").streaming.has_value());
  ASSERT_TRUE(d.session("s-b").streaming.has_value());
  EXPECT_EQ(d.streamText("s-b"), "beta");
  EXPECT_EQ(d.session("s-a").messages.back().content, "alpha");
  EXPECT_EQ(d.session("s-a").totalUsage.totalTokens, 3);
  EXPECT_EQ(d.session("s-b").totalUsage.totalTokens, 0);
  // s-b's reply holds its place in s-b's transcript, still streaming.
  ASSERT_EQ(d.session("s-b").messages.size(), 1u);
  EXPECT_EQ(d.session("s-b").messages[0].status, MessageStatus::Streaming);
}

}  // namespace
}  // namespace chat::core
