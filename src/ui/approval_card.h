// An approval request as a card: the tool, its arguments, a risk badge (high red, medium amber,
// low green) and Approve / Deny / Approve for session buttons (ordinary ImGui buttons, so they
// are reachable by Tab and operable by keyboard). A resolved card shows the decision, whichever
// tab made it.
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "ui/card_layout.h"

namespace chat::ui {

// "Approved", "Approved for session", "Denied", "Waiting for the gateway…" or "" (pending).
std::string approvalOutcome(const core::ApprovalCard& card);

CardLayout layoutApproval(const core::ApprovalCard& card, const ViewContext& ctx, float listWidth);

// The ids of the buttons' accessible twins (a11y_report.h): "approve:<toolCallId>",
// "deny:<toolCallId>", "approve-session:<toolCallId>".
std::string approveControlId(const std::string& toolCallId);

// Emits Approve, Deny or ApproveSession (target = toolCallId) when a button is pressed.
void drawApproval(const core::ApprovalCard& card, const CardLayout& layout, ImVec2 origin,
                  ViewContext& ctx);

}  // namespace chat::ui
