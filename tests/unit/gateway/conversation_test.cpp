// The conversation rebuilt from a session's event log, and the --context-tokens budget.
#include <gtest/gtest.h>

#include "gateway/conversation.h"

namespace chat::gateway {
namespace {

using json = nlohmann::json;

json user(const std::string& id, const std::string& text) {
  return {{"type", "chat.message"}, {"messageId", id}, {"role", "user"}, {"content", text}};
}
json start(const std::string& id) { return {{"type", "chat.stream.start"}, {"requestId", id}}; }
json delta(const std::string& id, const std::string& text) {
  return {{"type", "chat.stream.delta"}, {"requestId", id}, {"delta", text}};
}
json end(const std::string& id) { return {{"type", "chat.stream.end"}, {"requestId", id}}; }

TEST(Conversation, UserAndAssistantTurnsWithSystemPrompt) {
  std::vector<json> events = {user("c1", "hi"), start("c1"), delta("c1", "Hel"), delta("c1", "lo"),
                              end("c1"), user("c2", "again")};
  json m = buildConversation(events, "c2", "be brief", 0);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0], (json{{"role", "system"}, {"content", "be brief"}}));
  EXPECT_EQ(m[1], (json{{"role", "user"}, {"content", "hi"}}));
  EXPECT_EQ(m[2], (json{{"role", "assistant"}, {"content", "Hello"}}));
  EXPECT_EQ(m[3], (json{{"role", "user"}, {"content", "again"}}));
}

TEST(Conversation, LaterQueuedMessagesAreLeftOut) {
  std::vector<json> events = {user("c1", "first"), user("c2", "second")};
  json m = buildConversation(events, "c1", "", 0);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]["content"], "first");
}

TEST(Conversation, ToolCallsAndResultsBecomeToolMessages) {
  std::vector<json> events = {
      user("c1", "list"), start("c1"), delta("c1", "Let me look."),
      {{"type", "tool.approval.request"}, {"requestId", "c1"}, {"toolCallId", "t1"}, {"toolName", "shell"}, {"args", {{"command", "ls"}}}},
      {{"type", "tool.approval.resolved"}, {"toolCallId", "t1"}, {"approved", true}},
      {{"type", "tool.call"}, {"requestId", "c1"}, {"toolCallId", "t1"}, {"toolName", "shell"}, {"args", {{"command", "ls"}}}},
      {{"type", "tool.output"}, {"requestId", "c1"}, {"toolCallId", "t1"}, {"delta", "a.txt\n"}},
      {{"type", "tool.result"}, {"requestId", "c1"}, {"toolCallId", "t1"}, {"toolName", "shell"}, {"result", {{"exitCode", 0}, {"output", "a.txt\n"}}}},
      {{"type", "tool.call"}, {"requestId", "c1"}, {"toolCallId", "t2"}, {"toolName", "time"}, {"args", json::object()}},
      {{"type", "tool.error"}, {"requestId", "c1"}, {"toolCallId", "t2"}, {"toolName", "time"}, {"error", "boom"}},
      delta("c1", "One file."), end("c1"), user("c2", "thanks")};
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
  std::vector<json> events = {
      user("c1", "go"), start("c1"),
      {{"type", "tool.call"}, {"requestId", "c1"}, {"toolCallId", "t1"}, {"toolName", "shell"}, {"args", {{"command", "sleep 9"}}}},
      end("c1"), user("c2", "next")};
  json m = buildConversation(events, "c2", "", 0);
  ASSERT_EQ(m.size(), 4u) << m.dump(2);
  EXPECT_TRUE(m[1]["content"].is_null());
  EXPECT_EQ(m[2]["role"], "tool");
  EXPECT_EQ(m[2]["tool_call_id"], "t1");
}

TEST(Conversation, BudgetDropsOldestTurnsKeepsSystemAndCurrent) {
  std::vector<json> events;
  for (int i = 0; i < 10; ++i) {
    std::string id = "c" + std::to_string(i);
    events.push_back(user(id, std::string(400, 'a' + i)));  // ~104 tokens each
    events.push_back(start(id));
    events.push_back(delta(id, std::string(400, 'A' + i)));
    events.push_back(end(id));
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
