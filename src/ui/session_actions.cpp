#include "ui/session_actions.h"

#include "ui/a11y_report.h"
#include "ui/card_layout.h"

namespace chat::ui {

LastExchange lastExchange(const core::SessionState& session) {
  LastExchange x;
  x.busy = session.streaming.has_value();
  bool sawReply = false, replyOk = false;
  // Newest first: what follows the last user message is its replies (and their errors).
  for (auto it = session.timeline.rbegin(); it != session.timeline.rend(); ++it) {
    if (it->kind != core::EntryKind::Message || it->index >= session.messages.size()) continue;
    const core::Message& m = session.messages[it->index];
    if (m.role == core::Role::User) {
      if (m.status == core::MessageStatus::Sending) {
        x.busy = true;
        continue;
      }
      if (m.status == core::MessageStatus::Failed) continue;  // never reached the gateway
      x.userMessageId = m.id;
      x.userText = m.content;
      break;
    }
    if (m.role == core::Role::Error) {
      if (!sawReply) x.replyFailed = true;
      continue;
    }
    if (m.role == core::Role::Assistant && !sawReply) {
      sawReply = true;
      if (m.status == core::MessageStatus::Streaming) x.busy = true;
      replyOk = m.status == core::MessageStatus::Complete && m.stopReason == "end";
      if (!replyOk) x.replyFailed = true;
    }
  }
  if (!x.userMessageId.empty() && !sawReply && !x.busy) x.replyFailed = true;
  if (x.userMessageId.empty()) x.replyFailed = false;
  return x;
}

float sessionActionsHeight(const core::SessionState* session, const FrameInput& in, const ViewContext& ctx) {
  const float h = ctx.target(ctx.sansSize + 10.0f) + 8.0f;
  if (!in.editingMessageId.empty()) return h;
  if (session == nullptr) return 0.0f;
  const LastExchange x = lastExchange(*session);
  return x.userMessageId.empty() || x.busy ? 0.0f : h;
}

void drawSessionActions(const core::SessionState* session, const FrameInput& in, ViewContext& ctx) {
  const Palette& p = ctx.pal();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float y = origin.y + 4.0f;
  float x = origin.x + 16.0f;
  auto place = [&](const char* label) {
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    const bool clicked = smallNeutralButton(label, ctx);
    x = ImGui::GetItemRectMax().x + 8.0f;
    return clicked;
  };
  if (!in.editingMessageId.empty()) {
    ImGui::GetWindowDrawList()->AddText(ctx.sans, ctx.sansSize * 0.9f, ImVec2(x, y + 3.0f), p.textMuted,
                                        "Editing your last message: Send replaces it.");
    x += textWidth("Editing your last message: Send replaces it.", ctx.sansMetrics) * 0.9f + 12.0f;
    if (place("Cancel edit")) ctx.emit(UiIntent::Kind::CancelEdit);
    ctx.recordItem("cancel-edit");
    reportItem("cancel-edit", A11yRole::Button, "Cancel the edit", UiIntent{UiIntent::Kind::CancelEdit, {}, {}});
    return;
  }
  if (session == nullptr) return;
  const LastExchange last = lastExchange(*session);
  if (last.userMessageId.empty() || last.busy) return;
  if (place(last.replyFailed ? "Retry##regenerate" : "Regenerate##regenerate")) ctx.emit(UiIntent::Kind::Regenerate);
  ctx.recordItem("regenerate");
  reportItem("regenerate", A11yRole::Button, last.replyFailed ? "Retry the reply" : "Regenerate the reply",
             UiIntent{UiIntent::Kind::Regenerate, {}, {}});
  const UiIntent edit{UiIntent::Kind::BeginEdit, last.userMessageId, last.userText};
  if (place("Edit last message##edit-last")) ctx.emit(edit.kind, edit.target, edit.text);
  ctx.recordItem("edit-last");
  reportItem("edit-last", A11yRole::Button, "Edit your last message", edit);
}

}  // namespace chat::ui
