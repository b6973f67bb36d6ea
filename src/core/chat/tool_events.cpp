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

void applyEvent(ChatState&, SessionState& session, const proto::ToolApprovalRequest& e) {
  // The question comes first in the transcript, the tool card it unlocks right below it.
  if (ApprovalCard* existing = findApproval(session, e.toolCallId)) {
    // Asked again for the same call: refresh what is shown, keep the answer state.
    existing->toolName = e.toolName;
    existing->args = e.args;
    existing->risk = e.risk.value_or(std::string());
  } else {
    ApprovalCard card;
    card.toolCallId = e.toolCallId;
    card.requestId = e.requestId;
    card.toolName = e.toolName;
    card.args = e.args;
    card.risk = e.risk.value_or(std::string());
    appendApproval(session, std::move(card));
  }
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  if (tool.status == ToolStatus::Pending) tool.args = e.args;
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolApprovalResolved& e) {
  ApprovalCard* approval = findApproval(session, e.toolCallId);
  if (approval != nullptr) {
    approval->status = e.approved ? ApprovalStatus::Approved : ApprovalStatus::Denied;
    approval->sessionApprove = e.sessionApprove;
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
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolCall& e) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  tool.args = e.args;
  if (!isFinished(tool)) tool.status = ToolStatus::Running;
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolOutput& e) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, std::string(), e.seq);
  tool.output += e.delta;
  if (tool.status == ToolStatus::Pending) tool.status = ToolStatus::Running;
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolResult& e) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  tool.status = ToolStatus::Completed;
  tool.result = e.result;
  tool.error.clear();
}

void applyEvent(ChatState&, SessionState& session, const proto::ToolError& e) {
  ToolCard& tool = toolCard(session, e.toolCallId, e.requestId, e.toolName, e.seq);
  tool.status = ToolStatus::Error;
  tool.error = e.error;
}

}  // namespace chat::core::detail
