// chat.message, chat.stream.* and session errors.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

Driver withSession(const std::string& sid = "s-a") {
  Driver d;
  d.state = testing::stateWithSession(sid);
  d.created(sid);
  return d;
}

TEST(ChatReducerStream, StreamStartSetsStreamingAndCurrentModel) {
  Driver d = withSession();
  EXPECT_EQ(d.start("s-a", "c-1", "claude-x"), Outcome::Applied);
  const SessionState& s = d.session("s-a");
  ASSERT_TRUE(s.streaming.has_value());
  EXPECT_EQ(s.streaming->requestId, "c-1");
  EXPECT_EQ(s.streaming->model, "claude-x");
  EXPECT_EQ(d.streamText("s-a"), "");
  EXPECT_EQ(s.streaming->startedAtSeq, 2);
  EXPECT_EQ(d.state.currentModel, "claude-x");
}

TEST(ChatReducerStream, DeltasAccumulate) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "Hel");
  d.delta("s-a", "c-1", "lo");
  EXPECT_EQ(d.streamText("s-a"), "Hello");
  // The reply holds its place from the first delta, with its text so far, but is not complete
  // before the end.
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 1u);
  EXPECT_EQ(s.messages[0].status, MessageStatus::Streaming);
  EXPECT_EQ(s.messages[0].content, "Hello");
}

TEST(ChatReducerStream, StartAloneAddsNoMessageSoToolCardsComeFirst) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  EXPECT_TRUE(d.session("s-a").messages.empty());
}

TEST(ChatReducerStream, ReplyKeepsItsPlaceBeforeAMessageTypedWhileItStreamed) {
  Driver d = withSession();
  d.send("c-1", "first");
  d.userEcho("s-a", "c-1", "first");
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "reply one");
  d.send("c-2", "typed meanwhile");  // local echo appended after the streaming reply
  d.end("s-a", "c-1", {}, {});
  d.userEcho("s-a", "c-2", "typed meanwhile");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.timeline.size(), 3u);
  EXPECT_EQ(s.messages[s.timeline[0].index].content, "first");
  EXPECT_EQ(s.messages[s.timeline[1].index].content, "reply one");
  EXPECT_EQ(s.messages[s.timeline[2].index].content, "typed meanwhile");
}

TEST(ChatReducerStream, LocalEchoMovesToWhereTheGatewayLoggedIt) {
  // Typed while offline during the tool phase: the local echo is drawn before the reply, but
  // the gateway logged it after the reply ended, so it moves there when its echo arrives.
  Driver d = withSession();
  d.send("c-1", "first");
  d.userEcho("s-a", "c-1", "first");
  d.start("s-a", "c-1");
  d.send("c-2", "typed offline");
  d.delta("s-a", "c-1", "reply one");
  d.end("s-a", "c-1", {}, {});
  d.userEcho("s-a", "c-2", "typed offline");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.timeline.size(), 3u);
  EXPECT_EQ(s.messages[s.timeline[1].index].content, "reply one");
  EXPECT_EQ(s.messages[s.timeline[2].index].content, "typed offline");
  EXPECT_EQ(s.messages[s.timeline[2].index].status, MessageStatus::Sent);
}

TEST(ChatReducerStream, ThousandDeltasAccumulateInOrder) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    expected += piece;
    ASSERT_EQ(d.delta("s-a", "c-1", piece), Outcome::Applied);
  }
  EXPECT_EQ(d.streamText("s-a"), expected);
  d.end("s-a", "c-1");
  EXPECT_EQ(d.session("s-a").messages.back().content, expected);
  EXPECT_EQ(d.session("s-a").lastSeq, 1003);
}

TEST(ChatReducerStream, DeltaWithoutStartStartsABufferDefensively) {
  Driver d = withSession();
  d.delta("s-a", "c-7", "orphan");
  ASSERT_TRUE(d.session("s-a").streaming.has_value());
  EXPECT_EQ(d.session("s-a").streaming->requestId, "c-7");
  EXPECT_EQ(d.streamText("s-a"), "orphan");
}

TEST(ChatReducerStream, DeltaForAnotherRequestReplacesTheBuffer) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "old");
  d.delta("s-a", "c-2", "new");
  EXPECT_EQ(d.session("s-a").streaming->requestId, "c-2");
  EXPECT_EQ(d.streamText("s-a"), "new");
}

TEST(ChatReducerStream, StreamEndCommitsACompleteAssistantMessage) {
  Driver d = withSession();
  d.start("s-a", "c-1", "m-big");
  d.delta("s-a", "c-1", "Answer");
  d.end("s-a", "c-1", proto::Usage{10, 20, 30}, proto::Cost{0.01, 0.02, 0.03}, "end");
  const SessionState& s = d.session("s-a");
  EXPECT_FALSE(s.streaming.has_value());
  ASSERT_EQ(s.messages.size(), 1u);
  const Message& m = s.messages[0];
  EXPECT_EQ(m.id, "c-1");
  EXPECT_EQ(m.requestId, "c-1");
  EXPECT_EQ(m.role, Role::Assistant);
  EXPECT_EQ(m.status, MessageStatus::Complete);
  EXPECT_EQ(m.content, "Answer");
  EXPECT_EQ(m.model, "m-big");
  EXPECT_EQ(m.stopReason, "end");
  EXPECT_EQ(m.usage, (proto::Usage{10, 20, 30}));
  EXPECT_EQ(m.cost, (proto::Cost{0.01, 0.02, 0.03}));
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(s.timeline[0].kind, EntryKind::Message);
  EXPECT_EQ(s.timeline[0].index, 0u);
}

TEST(ChatReducerStream, ReplyIsIndexedApartFromTheUserMessageWithTheSameId) {
  Driver d = withSession();
  d.send("c-1", "question");
  d.userEcho("s-a", "c-1", "question");
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "reply");
  d.end("s-a", "c-1");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[s.messageById.at("c-1")].role, Role::User);
  EXPECT_EQ(s.messages[s.messageById.at("reply:c-1")].role, Role::Assistant);
}

TEST(ChatReducerStream, CancelledEmptyReplyIsStillRecorded) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.end("s-a", "c-1", {}, {}, "cancelled");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 1u);
  EXPECT_EQ(s.messages[0].content, "");
  EXPECT_EQ(s.messages[0].stopReason, "cancelled");
  EXPECT_EQ(s.messages[0].role, Role::Assistant);
  EXPECT_FALSE(s.streaming.has_value());
}

TEST(ChatReducerStream, CancelMidStreamKeepsThePartialText) {
  Driver d = withSession();
  d.send("c-1", "write a poem");
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "Roses are");
  IntentResult cancel = cancelStream(d.state, "c-2");
  ASSERT_EQ(cancel.error, "");
  ASSERT_TRUE(cancel.outgoing.has_value());
  const auto& msg = std::get<proto::ChatCancel>(*cancel.outgoing);
  EXPECT_EQ(msg.id, "c-2");
  EXPECT_EQ(msg.requestId, "c-1");
  d.end("s-a", "c-1", proto::Usage{5, 3, 8}, {}, "cancelled");
  const Message& reply = d.session("s-a").messages.back();
  EXPECT_EQ(reply.content, "Roses are");
  EXPECT_EQ(reply.stopReason, "cancelled");
  EXPECT_FALSE(d.session("s-a").streaming.has_value());
  EXPECT_EQ(cancelStream(d.state, "c-3").error, "nothing is streaming");
}

TEST(ChatReducerStream, StreamEndWithoutStartRecordsAnEmptyReply) {
  Driver d = withSession();
  d.end("s-a", "c-1", proto::Usage{1, 1, 2}, {}, "error");
  ASSERT_EQ(d.session("s-a").messages.size(), 1u);
  EXPECT_EQ(d.session("s-a").messages[0].stopReason, "error");
  EXPECT_EQ(d.session("s-a").totalUsage.totalTokens, 2);
}

TEST(ChatReducerStream, StreamEndOfAnotherRequestLeavesTheActiveStream) {
  Driver d = withSession();
  d.start("s-a", "c-2");
  d.delta("s-a", "c-2", "live");
  d.end("s-a", "c-1");
  ASSERT_TRUE(d.session("s-a").streaming.has_value());
  EXPECT_EQ(d.streamText("s-a"), "live");
}

TEST(ChatReducerStream, SecondEndForTheSameRequestIsNotCountedTwice) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.end("s-a", "c-1", proto::Usage{1, 1, 2}, proto::Cost{0, 0, 1.0});
  d.end("s-a", "c-1", proto::Usage{1, 1, 2}, proto::Cost{0, 0, 1.0});
  EXPECT_EQ(d.session("s-a").messages.size(), 1u);
  EXPECT_EQ(d.session("s-a").totalUsage.totalTokens, 2);
  EXPECT_DOUBLE_EQ(d.session("s-a").totalCost.totalCost, 1.0);
}

TEST(ChatReducerStream, UsageAndCostTotalsAddUpAcrossTurns) {
  Driver d = withSession();
  for (int turn = 1; turn <= 3; ++turn) {
    const std::string req = "c-" + std::to_string(turn);
    d.start("s-a", req);
    d.delta("s-a", req, "r");
    d.end("s-a", req, proto::Usage{10 * turn, turn, 10 * turn + turn},
          proto::Cost{0.5 * turn, 0.25 * turn, 0.75 * turn});
  }
  const SessionState& s = d.session("s-a");
  EXPECT_EQ(s.totalUsage, (proto::Usage{60, 6, 66}));
  EXPECT_DOUBLE_EQ(s.totalCost.inputCost, 3.0);
  EXPECT_DOUBLE_EQ(s.totalCost.outputCost, 1.5);
  EXPECT_DOUBLE_EQ(s.totalCost.totalCost, 4.5);
  EXPECT_EQ(s.messages.size(), 3u);
}

TEST(ChatReducerStream, ChatMessageFromAnotherTabIsAppendedAsSent) {
  Driver d = withSession();
  d.userEcho("s-a", "c-other-1", "from the phone", 123456);
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 1u);
  EXPECT_EQ(s.messages[0].id, "c-other-1");
  EXPECT_EQ(s.messages[0].role, Role::User);
  EXPECT_EQ(s.messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(s.messages[0].content, "from the phone");
  EXPECT_EQ(s.messages[0].timestamp, 123456);
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(s.title, "from the phone");
}

TEST(ChatReducerStream, EchoMarksLocalMessageSentWithoutDuplicating) {
  Driver d = withSession();
  d.send("c-1", "mine");
  d.userEcho("s-a", "c-other", "theirs");
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sending);
  d.userEcho("s-a", "c-1", "mine");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].id, "c-1");  // keeps its position
  EXPECT_EQ(s.messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(s.messages[1].id, "c-other");
  EXPECT_EQ(s.timeline.size(), 2u);
}

TEST(ChatReducerStream, AckThenEchoLeavesOneSentMessage) {
  Driver d = withSession();
  d.send("c-1", "hi");
  EXPECT_EQ(d.feed(proto::Ack{"c-1"}), Outcome::Applied);
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
  d.userEcho("s-a", "c-1", "hi");
  ASSERT_EQ(d.session("s-a").messages.size(), 1u);
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
}

TEST(ChatReducerStream, EchoThenAckLeavesOneSentMessage) {
  Driver d = withSession();
  d.send("c-1", "hi");
  d.userEcho("s-a", "c-1", "hi");
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(d.feed(proto::Ack{"c-1"}), Outcome::Ignored);  // nothing left to change
  ASSERT_EQ(d.session("s-a").messages.size(), 1u);
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
}

TEST(ChatReducerStream, EchoOfAFailedLocalMessageMarksItSent) {
  Driver d = withSession();
  d.send("c-1", "hi");
  d.state = refuseQueued(std::move(d.state), "c-1", "outbox full").state;
  d.userEcho("s-a", "c-1", "hi");
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(d.session("s-a").messages[0].error, "");
}

TEST(ChatReducerStream, SessionErrorAddsAnErrorMessageAndKeepsTheStream) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "partial");
  EXPECT_EQ(d.sessionError("s-a", "internal", "model failed", std::string("c-1")),
            Outcome::Applied);
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.messages.size(), 2u);  // the streaming reply, then the error
  EXPECT_EQ(s.messages[1].role, Role::Error);
  EXPECT_EQ(s.messages[1].id, "err-4");
  EXPECT_EQ(s.messages[1].requestId, "c-1");
  EXPECT_EQ(s.messages[1].content, "internal: model failed");
  ASSERT_TRUE(s.streaming.has_value());
  EXPECT_EQ(d.streamText("s-a"), "partial");
  EXPECT_EQ(d.errorText(), "");  // a session error is shown in its transcript only
  d.end("s-a", "c-1", {}, {}, "error");
  EXPECT_FALSE(d.session("s-a").streaming.has_value());
  EXPECT_EQ(d.session("s-a").messages[0].stopReason, "error");  // the reply, in its place
  EXPECT_EQ(d.session("s-a").messages[0].content, "partial");
}

TEST(ChatReducerStream, SessionErrorFollowsTheSeqRule) {
  Driver d = withSession();
  proto::ErrorEvent e;
  e.code = "internal";
  e.message = "x";
  e.sessionId = "s-a";
  e.seq = 1;  // already applied (session.created)
  EXPECT_EQ(d.feed(e), Outcome::Duplicate);
  e.seq = 9;
  EXPECT_EQ(d.feed(e), Outcome::Gap);
  EXPECT_TRUE(d.session("s-a").messages.empty());
}

TEST(ChatReducerStream, TimelineKeepsArrivalOrderOfMessagesAndCards) {
  Driver d = withSession();
  d.send("c-1", "run ls");
  d.userEcho("s-a", "c-1", "run ls");
  d.start("s-a", "c-1");
  d.toolCall("s-a", "c-1", "t-1");
  d.toolResult("s-a", "c-1", "t-1", "a b");
  d.delta("s-a", "c-1", "done");
  d.end("s-a", "c-1");
  const auto& tl = d.session("s-a").timeline;
  ASSERT_EQ(tl.size(), 3u);
  EXPECT_EQ(tl[0].kind, EntryKind::Message);
  EXPECT_EQ(tl[1].kind, EntryKind::Tool);
  EXPECT_EQ(tl[2].kind, EntryKind::Message);
  EXPECT_EQ(d.session("s-a").messages[tl[2].index].content, "done");
}

}  // namespace
}  // namespace chat::core
