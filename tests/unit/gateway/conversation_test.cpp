// The conversation rebuilt from a session's event log, and the --context-tokens budget.
#include <gtest/gtest.h>

#include "gateway/conversation.h"

namespace chat::gateway {
namespace {

using json = nlohmann::json;
using Events = std::vector<proto::GatewayMessage>;

// Session events as the log holds them (sessionId and seq do not matter here).
proto::GatewayMessage user(const std::string& id, const std::string& text) {
  proto::ChatMessageEvent m;
  m.messageId = id;
  m.role = "user";
  m.content = text;
  return m;
}
proto::GatewayMessage start(const std::string& id) {
  proto::StreamStart m;
  m.requestId = id;
  m.model = "demo";
  return m;
}
proto::GatewayMessage delta(const std::string& id, const std::string& text) {
  proto::StreamDelta m;
  m.requestId = id;
  m.delta = text;
  return m;
}
proto::GatewayMessage streamEnd(const std::string& id) {
  proto::StreamEnd m;
  m.requestId = id;
  m.stopReason = "end";
  return m;
}
proto::GatewayMessage approvalRequest(const std::string& toolCallId, const json& args) {
  proto::ToolApprovalRequest m;
  m.requestId = "c1";
  m.toolCallId = toolCallId;
  m.toolName = "shell";
  m.args = args;
  return m;
}
proto::GatewayMessage approved(const std::string& toolCallId) {
  proto::ToolApprovalResolved m;
  m.toolCallId = toolCallId;
  m.approved = true;
  return m;
}
proto::GatewayMessage call(const std::string& toolCallId, const std::string& name, const json& args) {
  proto::ToolCall m;
  m.requestId = "c1";
  m.toolCallId = toolCallId;
  m.toolName = name;
  m.args = args;
  return m;
}
proto::GatewayMessage output(const std::string& toolCallId, const std::string& text) {
  proto::ToolOutput m;
  m.requestId = "c1";
  m.toolCallId = toolCallId;
  m.delta = text;
  return m;
}
proto::GatewayMessage result(const std::string& toolCallId, const std::string& name, const json& value) {
  proto::ToolResult m;
  m.requestId = "c1";
  m.toolCallId = toolCallId;
  m.toolName = name;
  m.result = value;
  return m;
}
proto::GatewayMessage toolError(const std::string& toolCallId, const std::string& name,
                                const std::string& error) {
  proto::ToolError m;
  m.requestId = "c1";
  m.toolCallId = toolCallId;
  m.toolName = name;
  m.error = error;
  return m;
}

TEST(Conversation, UserAndAssistantTurnsWithSystemPrompt) {
  Events events = {user("c1", "hi"), start("c1"), delta("c1", "Hel"), delta("c1", "lo"),
                              streamEnd("c1"), user("c2", "again")};
  json m = buildConversation(events, "c2", "be brief", 0);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0], (json{{"role", "system"}, {"content", "be brief"}}));
  EXPECT_EQ(m[1], (json{{"role", "user"}, {"content", "hi"}}));
  EXPECT_EQ(m[2], (json{{"role", "assistant"}, {"content", "Hello"}}));
  EXPECT_EQ(m[3], (json{{"role", "user"}, {"content", "again"}}));
}

TEST(Conversation, LaterQueuedMessagesAreLeftOut) {
  Events events = {user("c1", "first"), user("c2", "second")};
  json m = buildConversation(events, "c1", "", 0);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]["content"], "first");
}

TEST(Conversation, ToolCallsAndResultsBecomeToolMessages) {
  Events events = {
      user("c1", "list"), start("c1"), delta("c1", "Let me look."),
      approvalRequest("t1", {{"command", "ls"}}),
      approved("t1"),
      call("t1", "shell", {{"command", "ls"}}),
      output("t1", "a.txt\n"),
      result("t1", "shell", {{"exitCode", 0}, {"output", "a.txt\n"}}),
      call("t2", "time", json::object()),
      toolError("t2", "time", "boom"),
      delta("c1", "One file."), streamEnd("c1"), user("c2", "thanks")};
  json m = buildConversation(events, "c2", "", 0);
  ASSERT_EQ(m.size(), 6u) << m.dump(2);
  EXPECT_EQ(m[1]["role"], "assistant");
  EXPECT_EQ(m[1]["content"], "Let me look.");
  ASSERT_EQ(m[1]["tool_calls"].size(), 2u);
  EXPECT_EQ(m[1]["tool_calls"][0]["id"], "t1");
  EXPECT_EQ(m[1]["tool_calls"][0]["function"]["name"], "shell");
  EXPECT_EQ(json::parse(m[1]["tool_calls"][0]["function"]["arguments"].get<std::string>()),
            (json{{"command", "ls"}}));
  EXPECT_EQ(m[2]["role"], "tool");
  EXPECT_EQ(m[2]["tool_call_id"], "t1");
  EXPECT_EQ(json::parse(m[2]["content"].get<std::string>())["output"], "a.txt\n");
  EXPECT_EQ(m[3]["tool_call_id"], "t2");
  EXPECT_EQ(m[3]["content"], "error: boom");
  EXPECT_EQ(m[4], (json{{"role", "assistant"}, {"content", "One file."}}));
  EXPECT_EQ(m[5]["content"], "thanks");
}

TEST(Conversation, CallWithoutResultStillGetsAnAnswer) {
  Events events = {
      user("c1", "go"), start("c1"),
      call("t1", "shell", {{"command", "sleep 9"}}),
      streamEnd("c1"), user("c2", "next")};
  json m = buildConversation(events, "c2", "", 0);
  ASSERT_EQ(m.size(), 4u) << m.dump(2);
  EXPECT_TRUE(m[1]["content"].is_null());
  EXPECT_EQ(m[2]["role"], "tool");
  EXPECT_EQ(m[2]["tool_call_id"], "t1");
}

TEST(Conversation, BudgetDropsOldestTurnsKeepsSystemAndCurrent) {
  Events events;
  for (int i = 0; i < 10; ++i) {
    std::string id = "c" + std::to_string(i);
    events.push_back(user(id, std::string(400, 'a' + i)));  // ~104 tokens each
    events.push_back(start(id));
    events.push_back(delta(id, std::string(400, 'A' + i)));
    events.push_back(streamEnd(id));
  }
  events.push_back(user("now", std::string(4000, 'z')));  // alone over the budget
  json all = buildConversation(events, "now", "sys", 0);
  EXPECT_EQ(all.size(), 22u);
  json some = buildConversation(events, "now", "sys", 1000 + 500);
  // system + current (~1004) + two turns of ~208 each fit in 1500; the third does not.
  ASSERT_EQ(some.size(), 1u + 4u + 1u) << some.size();
  EXPECT_EQ(some[0]["role"], "system");
  EXPECT_EQ(some[1]["content"], std::string(400, 'a' + 8));
  EXPECT_EQ(some.back()["content"], std::string(4000, 'z'));
  json tiny = buildConversation(events, "now", "sys", 10);
  ASSERT_EQ(tiny.size(), 2u);  // the system prompt and the current turn are always kept
  EXPECT_EQ(tiny[1]["content"], std::string(4000, 'z'));
}

}  // namespace
}  // namespace chat::gateway
