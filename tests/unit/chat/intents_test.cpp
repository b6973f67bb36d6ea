// User intents: their validation, their state change and the message they send.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;
using testing::stateWithSession;

TEST(ChatIntents, SendMessageAppendsLocalEchoAndReturnsChatSend) {
  IntentResult r = sendMessage(stateWithSession("s-a"), "c-1", "Hello there", 4242);
  ASSERT_EQ(r.error, "");
  ASSERT_TRUE(r.outgoing.has_value());
  const auto& send = std::get<proto::ChatSend>(*r.outgoing);
  EXPECT_EQ(send.id, "c-1");
  EXPECT_EQ(send.content, "Hello there");
  EXPECT_EQ(send.sessionId, std::optional<std::string>("s-a"));
  const SessionState& s = r.state.sessions.at("s-a");
  ASSERT_EQ(s.messages.size(), 1u);
  EXPECT_EQ(s.messages[0].id, "c-1");
  EXPECT_EQ(s.messages[0].role, Role::User);
  EXPECT_EQ(s.messages[0].status, MessageStatus::Sending);
  EXPECT_EQ(s.messages[0].timestamp, 4242);
  EXPECT_EQ(s.messageById.at("c-1"), 0u);
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(s.title, "Hello there");
}

TEST(ChatIntents, SendMessageCreatesTheCurrentSessionIfAbsent) {
  ChatState state;
  state.currentSessionId = "s-new";
  IntentResult r = sendMessage(std::move(state), "c-1", "hi", 1);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.state.sessions.count("s-new"), 1u);
  EXPECT_EQ(r.state.sessions.at("s-new").sessionId, "s-new");
  EXPECT_EQ(r.state.sessions.at("s-new").messages.size(), 1u);
}

TEST(ChatIntents, SendMessageWithoutSessionIsRefused) {
  IntentResult r = sendMessage(ChatState{}, "c-1", "hi", 1);
  EXPECT_EQ(r.error, "no session");
  EXPECT_FALSE(r.outgoing.has_value());
  EXPECT_TRUE(r.state.sessions.empty());
}

TEST(ChatIntents, SendMessageRefusesEmptyAndWhitespaceOnly) {
  for (const std::string& text : {std::string(""), std::string("   "), std::string(" \t\r\n ")}) {
    IntentResult r = sendMessage(stateWithSession("s-a"), "c-1", text, 1);
    EXPECT_EQ(r.error, "message is empty") << "text: [" << text << "]";
    EXPECT_FALSE(r.outgoing.has_value());
    EXPECT_TRUE(r.state.sessions.at("s-a").messages.empty());
  }
}

TEST(ChatIntents, SendMessageAcceptsExactly32KiB) {
  IntentResult r = sendMessage(stateWithSession("s-a"), "c-1", std::string(32 * 1024, 'x'), 1);
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.outgoing.has_value());
}

TEST(ChatIntents, SendMessageRefusesMoreThan32KiB) {
  IntentResult r =
      sendMessage(stateWithSession("s-a"), "c-1", std::string(32 * 1024 + 1, 'x'), 1);
  EXPECT_EQ(r.error, "message is too long (at most 32 KiB)");
  EXPECT_FALSE(r.outgoing.has_value());
  EXPECT_TRUE(r.state.sessions.at("s-a").messages.empty());
}

TEST(ChatIntents, SendMessageCountsUtf8Bytes) {
  // "é" is 2 bytes: 16,385 of them are 32,770 bytes, over the limit in bytes.
  std::string text;
  for (int i = 0; i < 16385; ++i) text += "\xC3\xA9";
  EXPECT_EQ(sendMessage(stateWithSession("s-a"), "c-1", text, 1).error,
            "message is too long (at most 32 KiB)");
  text.resize(32 * 1024);
  EXPECT_EQ(sendMessage(stateWithSession("s-a"), "c-1", text, 1).error, "");
}

TEST(ChatIntents, SendMessageRefusesInvalidUtf8) {
  for (const std::string& text :
       {std::string("bad \xFF byte"), std::string("cut \xE2\x82"), std::string("\xC0\xAF"),
        std::string("\xED\xA0\x80 surrogate")}) {
    EXPECT_EQ(sendMessage(stateWithSession("s-a"), "c-1", text, 1).error,
              "message is not valid UTF-8");
  }
  EXPECT_EQ(sendMessage(stateWithSession("s-a"), "c-1", "emoji \xF0\x9F\x98\x80 ok", 1).error,
            "");
}

TEST(ChatIntents, SendMessageRefusesADuplicateId) {
  Driver d;
  d.state = stateWithSession("s-a");
  ASSERT_EQ(d.send("c-1", "one").error, "");
  IntentResult r = d.send("c-1", "two");
  EXPECT_EQ(r.error, "duplicate message id");
  EXPECT_EQ(d.session("s-a").messages.size(), 1u);
}

TEST(ChatIntents, TitleDefaultsToTheFirstLineOfTheFirstMessage) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.send("c-1", "  first line  \nsecond line");
  d.send("c-2", "another message");
  EXPECT_EQ(d.session("s-a").title, "first line");
}

TEST(ChatIntents, LongTitleIsCutOnACharacterBoundary) {
  Driver d;
  d.state = stateWithSession("s-a");
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xC3\xA9";  // 80 bytes
  d.send("c-1", text);
  const std::string& title = d.session("s-a").title;
  EXPECT_EQ(title.size(), 60u);
  EXPECT_EQ(title, text.substr(0, 60));
}

TEST(ChatIntents, CancelStreamSendsChatCancelForTheActiveRequest) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.created("s-a");
  d.start("s-a", "c-1");
  IntentResult r = cancelStream(d.state, "c-2");
  ASSERT_EQ(r.error, "");
  const auto& cancel = std::get<proto::ChatCancel>(*r.outgoing);
  EXPECT_EQ(cancel.id, "c-2");
  EXPECT_EQ(cancel.requestId, "c-1");
  EXPECT_TRUE(r.state.sessions.at("s-a").streaming.has_value());  // ends on chat.stream.end
}

TEST(ChatIntents, CancelStreamWithNothingStreamingIsRefused) {
  EXPECT_EQ(cancelStream(stateWithSession("s-a"), "c-2").error, "nothing is streaming");
  IntentResult r = cancelStream(ChatState{}, "c-2");
  EXPECT_EQ(r.error, "nothing is streaming");
  EXPECT_FALSE(r.outgoing.has_value());
}

TEST(ChatIntents, CancelStreamOnlyLooksAtTheCurrentSession) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.created("s-b");
  d.start("s-b", "c-1");
  EXPECT_EQ(cancelStream(d.state, "c-2").error, "nothing is streaming");
}

TEST(ChatIntents, ApprovalIntentsRefuseAnUnknownCard) {
  ChatState s = stateWithSession("s-a");
  EXPECT_EQ(approveTool(s, "c-1", "t-x").error, "no such approval request");
  EXPECT_EQ(denyTool(s, "c-1", "t-x").error, "no such approval request");
  IntentResult r = approveToolForSession(s, "c-1", "t-x");
  EXPECT_EQ(r.error, "no such approval request");
  EXPECT_FALSE(r.outgoing.has_value());
}

TEST(ChatIntents, ApprovalCanBeAnsweredOnlyOnce) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.created("s-a");
  d.approvalRequest("s-a", "c-1", "t-1");
  IntentResult first = approveTool(d.state, "c-2", "t-1");
  ASSERT_EQ(first.error, "");
  IntentResult second = denyTool(std::move(first.state), "c-3", "t-1");
  EXPECT_EQ(second.error, "this approval was already answered");
  EXPECT_FALSE(second.outgoing.has_value());
  const SessionState& s = second.state.sessions.at("s-a");
  EXPECT_TRUE(s.approvals[0].responseSent);
  EXPECT_EQ(s.approvals[0].status, ApprovalStatus::Pending);
}

TEST(ChatIntents, ApprovalInANonCurrentSessionCanBeAnswered) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.created("s-b");
  d.approvalRequest("s-b", "c-1", "t-1");
  IntentResult r = approveTool(d.state, "c-2", "t-1");
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.state.sessions.at("s-b").approvals[0].responseSent);
}

TEST(ChatIntents, SwitchSessionSetsCurrentAndResumesFromLastSeq) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.created("s-b");
  d.userEcho("s-b", "c-1", "x");
  IntentResult r = switchSession(d.state, "c-9", "s-b");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.state.currentSessionId, "s-b");
  const auto& resume = std::get<proto::SessionResume>(*r.outgoing);
  EXPECT_EQ(resume.id, "c-9");
  EXPECT_EQ(resume.sessionId, "s-b");
  EXPECT_EQ(resume.lastSeq, 2);
}

TEST(ChatIntents, SwitchSessionToANewSessionCreatesItAtSeqZero) {
  IntentResult r = switchSession(stateWithSession("s-a"), "c-1", "s-0123456789abcdef");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.state.sessions.count("s-0123456789abcdef"), 1u);
  EXPECT_EQ(r.state.sessions.at("s-0123456789abcdef").sessionId, "s-0123456789abcdef");
  EXPECT_EQ(std::get<proto::SessionResume>(*r.outgoing).lastSeq, 0);
  ASSERT_NE(r.state.current(), nullptr);
  EXPECT_EQ(r.state.current()->sessionId, "s-0123456789abcdef");
}

TEST(ChatIntents, SwitchSessionRefusesInvalidIds) {
  for (const std::string& id :
       {std::string(""), std::string("has space"), std::string(65, 'a'), std::string("s/x")}) {
    IntentResult r = switchSession(stateWithSession("s-a"), "c-1", id);
    EXPECT_EQ(r.error, "invalid session id") << id;
    EXPECT_EQ(r.state.currentSessionId, "s-a");
    EXPECT_FALSE(r.outgoing.has_value());
  }
  EXPECT_EQ(switchSession(ChatState{}, "c-1", std::string(64, 'a')).error, "");
}

TEST(ChatIntents, RefuseQueuedMarksOnlyASendingMessageFailed) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.send("c-1", "one");
  d.send("c-2", "two");
  d.feed(proto::Ack{"c-2"});
  d.state = refuseQueued(std::move(d.state), "c-1", "outbox full").state;
  d.state = refuseQueued(std::move(d.state), "c-2", "outbox full").state;
  d.state = refuseQueued(std::move(d.state), "c-unknown", "outbox full").state;
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Failed);
  EXPECT_EQ(d.session("s-a").messages[0].error, "outbox full");
  EXPECT_EQ(d.session("s-a").messages[1].status, MessageStatus::Sent);
  EXPECT_EQ(d.session("s-a").messages[1].error, "");
}

TEST(ChatIntents, AckMarksSendingSentAndIgnoresOthers) {
  Driver d;
  d.state = stateWithSession("s-a");
  d.send("c-1", "one");
  d.created("s-a");
  d.start("s-a", "c-1");
  d.end("s-a", "c-1");
  d.feed(proto::Ack{"c-1"});
  d.feed(proto::Ack{"c-nope"});
  const SessionState& s = d.session("s-a");
  EXPECT_EQ(s.messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(s.messages[1].status, MessageStatus::Complete);  // the reply is untouched
}

}  // namespace
}  // namespace chat::core
