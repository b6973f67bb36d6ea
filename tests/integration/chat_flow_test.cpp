// The happy paths against the real gateway: a streamed round trip, the tool approval flow
// (approve and deny), and two clients sharing one session.
#include <gtest/gtest.h>

#include "fixture.h"

namespace chat::itest {
namespace {

using ChatFlowTest = GatewayTest;

// The event types of one turn in the gateway log, in seq order, with runs of deltas and of
// tool output lines folded into one entry each (their count varies, their place does not).
std::vector<std::string> typesOfTurn(const std::vector<nlohmann::json>& events,
                                     const std::string& requestId) {
  std::vector<std::string> types;
  std::string toolCallId;  // tool.approval.resolved names only the tool call
  for (const auto& e : events) {
    const bool ours = e.value("requestId", "") == requestId ||
                      e.value("messageId", "") == requestId ||
                      (!toolCallId.empty() && e.value("toolCallId", "") == toolCallId);
    if (!ours) continue;
    if (toolCallId.empty()) toolCallId = e.value("toolCallId", "");
    const std::string type = e.value("type", "");
    const bool repeatable = type == "chat.stream.delta" || type == "tool.output";
    if (repeatable && !types.empty() && types.back() == type) continue;
    types.push_back(type);
  }
  return types;
}

TEST_F(ChatFlowTest, RoundTripStreamsTheReplyAndMatchesTheLog) {
  ASSERT_TRUE(startGateway());
  TestClient client(loop, direct());
  ASSERT_TRUE(client.waitLive()) << client.status().lastError;
  EXPECT_EQ(client.status().health, net::Health::Full);

  const std::string id = client.chat().send("hello gateway, please stream a reply");
  ASSERT_FALSE(id.empty()) << client.state().errorText();
  // Watch the reply grow: it must arrive in pieces (streamed), not all at once.
  std::size_t partialSeen = 0;
  ASSERT_TRUE(client.waitFor(
      [&] {
        const auto* s = client.session();
        if (s && s->streaming && s->streaming->requestId == id && !s->streamingText().empty()) {
          partialSeen = std::max(partialSeen, s->streamingText().size());
        }
        return client.replyComplete(id);
      },
      15s));
  EXPECT_GT(partialSeen, 0u) << "no partial reply was ever visible";

  const auto* reply = client.reply(id);
  ASSERT_NE(reply, nullptr);
  EXPECT_NE(reply->content.find("hello gateway"), std::string::npos) << reply->content;
  EXPECT_EQ(reply->stopReason, "end");
  EXPECT_GT(reply->usage.totalTokens, 0);
  const auto* user = client.userMessage(id);
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->status, core::MessageStatus::Sent);
  EXPECT_EQ(client.status().outboxSize, 0u);
  // The observers heard of both ends of the turn exactly once (what a UI or a bot reacts to).
  EXPECT_EQ(client.completions(core::Role::User, id), 1);
  EXPECT_EQ(client.completions(core::Role::Assistant, id), 1) << "onMessageComplete for the reply";

  const auto turns = turnsOf(api().events(client.sessionId()));
  ASSERT_EQ(turns.count(id), 1u);
  EXPECT_GT(turns.at(id).deltas, 1) << "the reply should stream in several deltas";
  expectTranscriptMatchesLog(client);
}

TEST_F(ChatFlowTest, ApprovedShellToolStreamsOutputThenResult) {
  ASSERT_TRUE(startGateway());
  TestClient client(loop, direct());
  ASSERT_TRUE(client.waitLive()) << client.status().lastError;

  const std::string id = client.chat().send("/tool shell ls");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(client.waitFor([&] { return client.approvalFor(id) != nullptr; }, 10s));
  const core::ApprovalCard card = *client.approvalFor(id);
  EXPECT_EQ(card.status, core::ApprovalStatus::Pending);
  EXPECT_EQ(card.toolName, "shell");
  EXPECT_EQ(card.risk, "high");
  EXPECT_EQ(card.args.value("command", ""), "ls");
  EXPECT_FALSE(client.replyComplete(id)) << "the turn must wait for the approval";

  ASSERT_FALSE(client.chat().respondToApproval(card.toolCallId, true, false).empty());
  ASSERT_TRUE(client.waitReply(id));
  EXPECT_EQ(client.approvalFor(id)->status, core::ApprovalStatus::Approved);
  const auto* tool = client.toolFor(id);
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool->status, core::ToolStatus::Completed);
  EXPECT_FALSE(tool->output.empty()) << "tool.output lines expected";
  EXPECT_FALSE(tool->result.is_null());
  EXPECT_EQ(client.reply(id)->stopReason, "end");

  const auto events = api().events(client.sessionId());
  const auto types = typesOfTurn(events, id);
  const std::vector<std::string> expected = {
      "chat.message", "chat.stream.start", "tool.approval.request", "tool.approval.resolved",
      "tool.call",    "tool.output",       "tool.result",           "chat.stream.delta",
      "chat.stream.end"};
  EXPECT_EQ(types, expected);
  expectTranscriptMatchesLog(client);
}

TEST_F(ChatFlowTest, DeniedShellToolEndsWithToolErrorAndAReply) {
  ASSERT_TRUE(startGateway());
  TestClient client(loop, direct());
  ASSERT_TRUE(client.waitLive()) << client.status().lastError;

  const std::string id = client.chat().send("/tool shell rm -rf /tmp/nothing");
  ASSERT_TRUE(client.waitFor([&] { return client.approvalFor(id) != nullptr; }, 10s));
  ASSERT_FALSE(client.chat().respondToApproval(client.approvalFor(id)->toolCallId, false, false).empty());
  ASSERT_TRUE(client.waitReply(id));

  EXPECT_EQ(client.approvalFor(id)->status, core::ApprovalStatus::Denied);
  const auto* tool = client.toolFor(id);
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool->status, core::ToolStatus::Error);
  EXPECT_EQ(tool->error, "denied by user");
  EXPECT_TRUE(tool->output.empty()) << "a denied command must produce no output";

  const auto events = api().events(client.sessionId());
  const auto types = typesOfTurn(events, id);
  const std::vector<std::string> expected = {"chat.message", "chat.stream.start", "tool.approval.request",
                                             "tool.approval.resolved", "tool.error", "chat.stream.delta",
                                             "chat.stream.end"};
  EXPECT_EQ(types, expected);
  for (const auto& e : events) {
    if (e.value("type", "") == "tool.approval.resolved") {
      EXPECT_FALSE(e.value("approved", true));
    }
  }
  expectTranscriptMatchesLog(client);
}

TEST_F(ChatFlowTest, TwoClientsOnOneSessionSeeEachOthersMessagesAndApprovals) {
  ASSERT_TRUE(startGateway());
  const std::string session = newSessionId();
  TestClient alice(loop, direct(session));
  TestClient bob(loop, direct(session));
  ASSERT_TRUE(alice.waitLive());
  ASSERT_TRUE(bob.waitLive());

  const std::string hello = alice.chat().send("hello from alice");
  ASSERT_TRUE(alice.waitReply(hello));
  ASSERT_TRUE(bob.waitReply(hello)) << "bob must see alice's turn live";
  ASSERT_NE(bob.userMessage(hello), nullptr);
  EXPECT_EQ(bob.userMessage(hello)->content, "hello from alice");

  // Bob asks for a tool; alice sees the approval card and approves it; both see the result.
  const std::string tool = bob.chat().send("/tool shell ls");
  ASSERT_TRUE(alice.waitFor([&] { return alice.approvalFor(tool) != nullptr; }, 10s));
  ASSERT_NE(alice.userMessage(tool), nullptr);
  EXPECT_EQ(alice.userMessage(tool)->content, "/tool shell ls");
  ASSERT_FALSE(alice.chat().respondToApproval(alice.approvalFor(tool)->toolCallId, true, false).empty());
  ASSERT_TRUE(bob.waitReply(tool));
  ASSERT_TRUE(alice.waitReply(tool));
  ASSERT_NE(bob.approvalFor(tool), nullptr);
  EXPECT_EQ(bob.approvalFor(tool)->status, core::ApprovalStatus::Approved);
  EXPECT_EQ(bob.toolFor(tool)->status, core::ToolStatus::Completed);

  expectTranscriptMatchesLog(alice);
  expectTranscriptMatchesLog(bob);
}

}  // namespace
}  // namespace chat::itest
