// Tool and approval cards. Each toolCallId has at most one ToolCard and one ApprovalCard;
// events may update them in any order without regressing a finished card.
#include <string>
#include <utility>

#include "core/chat/session_events.h"
#include "core/chat/transcript.h"

namespace chat::core::detail {

namespace {

const char* const kDeniedByUser = "denied by user";

bool isFinished(const ToolCard& card) {
  return card.status == ToolStatus::Completed || card.status == ToolStatus::Error;
}

// The card for this call, created (Pending, with its timeline entry) when it is the first
// event about it.
ToolCard& toolCard(SessionState& session, const std::string& toolCallId,
                   const std::string& requestId, const std::string& toolName, int64_t seq) {
  if (ToolCard* card = findTool(session, toolCallId)) {
    if (card->requestId.empty()) card->requestId = requestId;
    if (!toolName.empty()) card->toolName = toolName;
    return *card;
  }
  ToolCard card;
  card.toolCallId = toolCallId;
  card.requestId = requestId;
  card.toolName = toolName;
  card.startedAtSeq = seq;
  return appendTool(session, std::move(card));
}

}  // namespace

// A tool event changed `tool`: say so, and say once that it finished.
static void toolChanged(Step& step, const SessionState& session, ToolCard& tool, bool wasFinished) {
  step.revise(session, tool);
  if (!wasFinished && isFinished(tool)) step.toolFinished(session, tool);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolApprovalRequest& e, Step& step) {
  // The question comes first in the transcript, the tool card it unlocks right below it.
  ApprovalCard* approval = findApproval(session, e.toolCallId);
  if (approval != nullptr) {
    // Asked again for the same call: refresh what is shown, keep the answer state.
    approval->toolName = e.toolName;
    approval->args = e.args;
    approval->risk = e.risk.value_or(std::string());
    step.revise(session, *approval);
  } else {
    ApprovalCard card;
    card.toolCallId = e.toolCallId;
    card.requestId = e.requestId;
    card.toolName = e.toolName;
    card.args = e.args;
    card.risk = e.risk.value_or(std::string());
    approval = &appendApproval(session, std::move(card));
  }
  step.approvalRequested(session, *approval);
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  const bool was = isFinished(tool);
  if (tool.status == ToolStatus::Pending) tool.args = e.args;
  toolChanged(step, session, tool, was);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolApprovalResolved& e, Step& step) {
  ApprovalCard* approval = findApproval(session, e.toolCallId);
  if (approval != nullptr) {
    approval->status = e.approved ? ApprovalStatus::Approved : ApprovalStatus::Denied;
    approval->sessionApprove = e.sessionApprove;
    step.revise(session, *approval);
    step.approvalResolved(session, *approval);
  }
  if (e.approved) return;  // the tool card waits for tool.call
  // Denied: the tool will not run. tool.error {"denied by user"} follows; whichever comes
  // first finishes the card, and the other leaves it as it is.
  const std::string requestId = approval ? approval->requestId : std::string();
  const std::string toolName = approval ? approval->toolName : std::string();
  ToolCard& tool = toolCard(session, e.toolCallId, requestId, toolName, e.seq);
  if (isFinished(tool)) return;
  tool.status = ToolStatus::Error;
  tool.error = kDeniedByUser;
  toolChanged(step, session, tool, false);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolCall& e, Step& step) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  const bool was = isFinished(tool);
  tool.args = e.args;
  if (!isFinished(tool)) tool.status = ToolStatus::Running;
  toolChanged(step, session, tool, was);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolOutput& e, Step& step) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, std::string(), e.seq);
  const bool was = isFinished(tool);
  tool.output += e.delta;
  if (tool.status == ToolStatus::Pending) tool.status = ToolStatus::Running;
  toolChanged(step, session, tool, was);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolResult& e, Step& step) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  const bool was = isFinished(tool);
  tool.status = ToolStatus::Completed;
  tool.result = e.result;
  tool.error.clear();
  toolChanged(step, session, tool, was);
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolError& e, Step& step) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  const bool was = isFinished(tool);
  tool.status = ToolStatus::Error;
  tool.error = e.error;
  toolChanged(step, session, tool, was);
}

}  // namespace chat::core::detail
