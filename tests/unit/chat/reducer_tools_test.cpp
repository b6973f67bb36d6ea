// Tool cards and approval cards.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

Driver streaming(const std::string& req = "c-1") {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.created("s-a");
  d.start("s-a", req);
  return d;
}

const ToolCard& tool(const Driver& d, const std::string& callId) {
  const SessionState& s = d.session("s-a");
  return s.tools.at(s.toolById.at(callId));
}

const ApprovalCard& approval(const Driver& d, const std::string& callId) {
  const SessionState& s = d.session("s-a");
  return s.approvals.at(s.approvalById.at(callId));
}

TEST(ChatReducerTools, ToolCallCreatesARunningCard) {
  Driver d = streaming();
  d.toolCall("s-a", "c-1", "t-1", "read_file", nlohmann::json{{"path", "/a"}});
  const ToolCard& t = tool(d, "t-1");
  EXPECT_EQ(t.status, ToolStatus::Running);
  EXPECT_EQ(t.toolName, "read_file");
  EXPECT_EQ(t.requestId, "c-1");
  EXPECT_EQ(t.args, (nlohmann::json{{"path", "/a"}}));
  EXPECT_EQ(t.startedAtSeq, 3);
  ASSERT_EQ(d.session("s-a").timeline.size(), 1u);
  EXPECT_EQ(d.session("s-a").timeline[0].kind, EntryKind::Tool);
}

TEST(ChatReducerTools, ToolOutputAppendsDeltas) {
  Driver d = streaming();
  d.toolCall("s-a", "c-1", "t-1");
  d.toolOutput("s-a", "c-1", "t-1", "line 1\n");
  d.toolOutput("s-a", "c-1", "t-1", "line 2\n");
  EXPECT_EQ(tool(d, "t-1").output, "line 1\nline 2\n");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Running);
}

TEST(ChatReducerTools, ToolResultCompletesTheCard) {
  Driver d = streaming();
  d.toolCall("s-a", "c-1", "t-1");
  d.toolResult("s-a", "c-1", "t-1", nlohmann::json{{"files", {"a", "b"}}});
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Completed);
  EXPECT_EQ(tool(d, "t-1").result, (nlohmann::json{{"files", {"a", "b"}}}));
  EXPECT_EQ(d.session("s-a").tools.size(), 1u);
}

TEST(ChatReducerTools, ToolErrorMarksTheCardError) {
  Driver d = streaming();
  d.toolCall("s-a", "c-1", "t-1");
  d.toolError("s-a", "c-1", "t-1", "exit code 2");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Error);
  EXPECT_EQ(tool(d, "t-1").error, "exit code 2");
}

TEST(ChatReducerTools, EventsWithoutToolCallStillMakeACard) {
  Driver d = streaming();
  d.toolOutput("s-a", "c-1", "t-1", "out");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Running);
  d.toolResult("s-a", "c-1", "t-2", 42, "calc");
  EXPECT_EQ(tool(d, "t-2").status, ToolStatus::Completed);
  EXPECT_EQ(tool(d, "t-2").toolName, "calc");
  EXPECT_EQ(d.session("s-a").timeline.size(), 2u);
}

TEST(ChatReducerTools, InterleavedEventsOfTwoToolsStaySeparate) {
  Driver d = streaming();
  d.toolCall("s-a", "c-1", "t-1", "shell");
  d.toolCall("s-a", "c-1", "t-2", "search");
  d.toolOutput("s-a", "c-1", "t-1", "a1 ");
  d.toolOutput("s-a", "c-1", "t-2", "b1 ");
  d.toolOutput("s-a", "c-1", "t-1", "a2");
  d.toolResult("s-a", "c-1", "t-2", "found", "search");
  d.toolOutput("s-a", "c-1", "t-2", "late");  // output after a result: kept, still Completed
  d.toolError("s-a", "c-1", "t-1", "killed");
  EXPECT_EQ(tool(d, "t-1").output, "a1 a2");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Error);
  EXPECT_EQ(tool(d, "t-1").error, "killed");
  EXPECT_EQ(tool(d, "t-2").output, "b1 late");
  EXPECT_EQ(tool(d, "t-2").status, ToolStatus::Completed);
  EXPECT_EQ(tool(d, "t-2").result, "found");
  const auto& tl = d.session("s-a").timeline;
  ASSERT_EQ(tl.size(), 2u);
  EXPECT_EQ(d.session("s-a").tools[tl[0].index].toolCallId, "t-1");
  EXPECT_EQ(d.session("s-a").tools[tl[1].index].toolCallId, "t-2");
}

TEST(ChatReducerTools, ApprovalRequestCreatesPendingApprovalAndToolCards) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1", "shell", "high");
  const ApprovalCard& a = approval(d, "t-1");
  EXPECT_EQ(a.status, ApprovalStatus::Pending);
  EXPECT_EQ(a.toolName, "shell");
  EXPECT_EQ(a.risk, "high");
  EXPECT_EQ(a.requestId, "c-1");
  EXPECT_EQ(a.args, (nlohmann::json{{"cmd", "ls"}}));
  EXPECT_FALSE(a.responseSent);
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Pending);
  EXPECT_EQ(tool(d, "t-1").toolName, "shell");
  const auto& tl = d.session("s-a").timeline;
  ASSERT_EQ(tl.size(), 2u);
  EXPECT_EQ(tl[0].kind, EntryKind::Approval);  // the question, then the tool it unlocks
  EXPECT_EQ(tl[1].kind, EntryKind::Tool);
}

TEST(ChatReducerTools, ApprovalRequestWithoutRiskHasEmptyRisk) {
  Driver d = streaming();
  d.feed(proto::ToolApprovalRequest{"s-a", d.next("s-a"), "c-1", "t-1", "x",
                                    nlohmann::json::object(), std::nullopt});
  EXPECT_EQ(approval(d, "t-1").risk, "");
}

TEST(ChatReducerTools, ApproveFlow) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1");
  IntentResult r = approveTool(d.state, "c-2", "t-1");
  ASSERT_EQ(r.error, "");
  const auto& resp = std::get<proto::ToolApprovalResponse>(*r.outgoing);
  EXPECT_EQ(resp.id, "c-2");
  EXPECT_EQ(resp.toolCallId, "t-1");
  EXPECT_TRUE(resp.approved);
  EXPECT_FALSE(resp.sessionApprove);
  d.state = std::move(r.state);
  EXPECT_TRUE(approval(d, "t-1").responseSent);
  d.approvalResolved("s-a", "t-1", true);
  EXPECT_EQ(approval(d, "t-1").status, ApprovalStatus::Approved);
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Pending);  // waits for tool.call
  d.toolCall("s-a", "c-1", "t-1");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Running);
  d.toolResult("s-a", "c-1", "t-1", "ok");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Completed);
  EXPECT_EQ(d.session("s-a").tools.size(), 1u);
  EXPECT_EQ(d.session("s-a").approvals.size(), 1u);
}

TEST(ChatReducerTools, DenyFlowResolvedThenToolError) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1");
  IntentResult r = denyTool(d.state, "c-2", "t-1");
  ASSERT_EQ(r.error, "");
  EXPECT_FALSE(std::get<proto::ToolApprovalResponse>(*r.outgoing).approved);
  d.state = std::move(r.state);
  d.approvalResolved("s-a", "t-1", false);
  EXPECT_EQ(approval(d, "t-1").status, ApprovalStatus::Denied);
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Error);
  EXPECT_EQ(tool(d, "t-1").error, "denied by user");
  d.toolError("s-a", "c-1", "t-1", "denied by user");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Error);
  EXPECT_EQ(tool(d, "t-1").error, "denied by user");
  d.delta("s-a", "c-1", "OK, I will not run it.");
  d.end("s-a", "c-1");
  EXPECT_EQ(d.session("s-a").tools.size(), 1u);
  EXPECT_EQ(d.session("s-a").timeline.size(), 3u);  // tool, approval, reply
}

TEST(ChatReducerTools, DenyFlowToolErrorBeforeResolved) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1");
  d.toolError("s-a", "c-1", "t-1", "denied by user (policy)");
  d.approvalResolved("s-a", "t-1", false);
  EXPECT_EQ(approval(d, "t-1").status, ApprovalStatus::Denied);
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Error);
  EXPECT_EQ(tool(d, "t-1").error, "denied by user (policy)");  // the first finish stays
}

TEST(ChatReducerTools, ApproveForSessionFlow) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1");
  IntentResult r = approveToolForSession(d.state, "c-2", "t-1");
  ASSERT_EQ(r.error, "");
  const auto& resp = std::get<proto::ToolApprovalResponse>(*r.outgoing);
  EXPECT_TRUE(resp.approved);
  EXPECT_TRUE(resp.sessionApprove);
  d.state = std::move(r.state);
  d.approvalResolved("s-a", "t-1", true, true);
  EXPECT_EQ(approval(d, "t-1").status, ApprovalStatus::Approved);
  EXPECT_TRUE(approval(d, "t-1").sessionApprove);
  d.toolCall("s-a", "c-1", "t-1");
  EXPECT_EQ(tool(d, "t-1").status, ToolStatus::Running);
}

TEST(ChatReducerTools, ResolvedByAnotherTabWithoutLocalResponse) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1");
  d.approvalResolved("s-a", "t-1", true);
  EXPECT_EQ(approval(d, "t-1").status, ApprovalStatus::Approved);
  EXPECT_FALSE(approval(d, "t-1").responseSent);
  EXPECT_EQ(approveTool(d.state, "c-9", "t-1").error, "this approval was already resolved");
}

TEST(ChatReducerTools, ResolvedForUnknownCallDoesNotCrash) {
  Driver d = streaming();
  EXPECT_EQ(d.approvalResolved("s-a", "t-x", true), Outcome::Applied);
  EXPECT_TRUE(d.session("s-a").approvals.empty());
  EXPECT_EQ(d.approvalResolved("s-a", "t-y", false), Outcome::Applied);
  EXPECT_EQ(tool(d, "t-y").status, ToolStatus::Error);
}

TEST(ChatReducerTools, RepeatedApprovalRequestDoesNotDuplicateCards) {
  Driver d = streaming();
  d.approvalRequest("s-a", "c-1", "t-1", "shell", "low");
  d.approvalRequest("s-a", "c-1", "t-1", "shell", "high");
  EXPECT_EQ(d.session("s-a").approvals.size(), 1u);
  EXPECT_EQ(d.session("s-a").tools.size(), 1u);
  EXPECT_EQ(approval(d, "t-1").risk, "high");
  EXPECT_EQ(d.session("s-a").timeline.size(), 2u);
}

}  // namespace
}  // namespace chat::core
