#include "page/a11y_focus.h"

namespace chat::web {

std::string oldestPendingApproval(const core::SessionState* session) {
  if (session == nullptr) return std::string();
  // The timeline is in arrival order; approvals without a timeline entry do not exist.
  for (const core::Entry& e : session->timeline) {
    if (e.kind != core::EntryKind::Approval || e.index >= session->approvals.size()) continue;
    const core::ApprovalCard& a = session->approvals[e.index];
    if (a.status == core::ApprovalStatus::Pending && !a.responseSent) return a.toolCallId;
  }
  return std::string();
}

}  // namespace chat::web
