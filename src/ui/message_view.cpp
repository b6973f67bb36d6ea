#include "ui/message_view.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/format.h"
#include "ui/markdown_blocks.h"
#include "ui/markdown_prose.h"
#include "ui/thinking_block.h"

namespace chat::ui {

namespace {

using core::MessageStatus;
using core::Role;

constexpr float kBubblePadX = 12.0f;
constexpr float kBubblePadY = 9.0f;
constexpr float kBubbleRounding = 12.0f;
constexpr int64_t kCaretBlinkMs = 530;

Role roleOf(const MessageModel& m) { return m.message ? m.message->role : Role::Assistant; }

ImU32 Palette::*textColorOf(Role role) {
  switch (role) {
    case Role::User: return &Palette::userText;
    case Role::Assistant: return &Palette::assistantText;
    case Role::System: return &Palette::systemText;
    case Role::Error: return &Palette::errorText;
  }
  return &Palette::text;
}

float maxBubbleWidth(Role role, float listWidth) {
  switch (role) {
    case Role::User: return std::max(80.0f, listWidth * 0.78f);
    case Role::System: return std::max(80.0f, listWidth * 0.9f);
    default: return std::max(80.0f, listWidth * 0.88f);
  }
}

}  // namespace

std::string messageNote(const MessageModel& m) {
  if (m.streaming || m.message == nullptr) return "";
  const core::Message& msg = *m.message;
  if (msg.role == Role::User) {
    if (msg.status == MessageStatus::Sending) return "sending\xE2\x80\xA6";
    if (msg.status == MessageStatus::Failed) {
      return msg.error.empty() ? "failed" : "failed: " + msg.error;
    }
    return "";
  }
  if (msg.role != Role::Assistant) return "";
  std::string note;
  if (msg.stopReason == "cancelled") note = "stopped";
  if (msg.stopReason == "error") note = "ended with an error";
  std::string meta;
  if (!msg.model.empty()) meta = msg.model;
  if (msg.usage.totalTokens > 0 || msg.usage.inputTokens > 0 || msg.usage.outputTokens > 0) {
    if (!meta.empty()) meta += " \xC2\xB7 ";
    meta += formatCount(msg.usage.inputTokens) + " in / " + formatCount(msg.usage.outputTokens) +
            " out tokens \xC2\xB7 " + (msg.cost ? formatCost(msg.cost->totalCost) : "cost unknown");
  }
  if (!meta.empty()) note = note.empty() ? meta : note + " \xC2\xB7 " + meta;
  return note;
}

float bubbleInnerWidth(core::Role role, float listWidth) {
  return std::max(1.0f, maxBubbleWidth(role, listWidth) - 2 * kBubblePadX);
}

void addMessageBlocks(CardBuilder& b, std::string_view text, core::Role role,
                      const std::function<Row*(bool code)>& earlierLast) {
  const std::vector<TextBlock> blocks = splitBlocks(text);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const TextBlock& block = blocks[i];
    const bool lastBlock = i + 1 == blocks.size();
    if (block.kind == TextBlock::Kind::Code) {
      b.addCode(block.text, block.lang, lastBlock && earlierLast ? earlierLast(true) : nullptr);
    } else if (role == Role::Assistant) {
      // An agent's prose is Markdown; what people type is shown as typed.
      const std::vector<ProseBlock> prose = parseProse(block.text);
      for (std::size_t k = 0; k < prose.size(); ++k) {
        const bool last = lastBlock && k + 1 == prose.size();
        b.addProse(prose[k], textColorOf(role), last && earlierLast ? earlierLast(false) : nullptr);
      }
    } else {
      b.addText(block.text, textColorOf(role));
    }
  }
}

CardLayout layoutMessage(const MessageModel& m, const ViewContext& ctx, float listWidth) {
  CardBuilder b(ctx, bubbleInnerWidth(roleOf(m), listWidth));
  addThinkingRows(b, m.message, ctx);
  addMessageBlocks(b, m.text, roleOf(m));
  return finishMessageLayout(m, b, listWidth);
}

CardLayout finishMessageLayout(const MessageModel& m, CardBuilder& b, float listWidth) {
  const Role role = roleOf(m);
  const float maxW = maxBubbleWidth(role, listWidth);
  if (b.pending().rows.empty()) b.addText("", textColorOf(role));  // room for the caret / an empty reply
  CardLayout& pending = b.pending();
  pending.note = messageNote(m);
  pending.noteRight = role == Role::User;
  const bool failed = m.message && m.message->status == MessageStatus::Failed;
  const bool errored = m.message && m.message->stopReason == "error";
  pending.noteColor = (failed || errored) ? &Palette::red : &Palette::textMuted;
  // Leave room for the caret after the last character, so the bubble does not jump as it blinks.
  const float minWidth = m.streaming ? b.contentWidth() + 4.0f : b.contentWidth();
  CardLayout layout = b.finish(kBubblePadX, kBubblePadY, std::min(maxW, minWidth + 2 * kBubblePadX));
  layout.width = std::max(layout.width, 2 * kBubblePadX + 8.0f);
  if (role == Role::User) {
    layout.x = listWidth - layout.width;
  } else if (role == Role::System) {
    layout.x = std::max(0.0f, (listWidth - layout.width) * 0.5f);
  }
  return layout;
}

void drawMessage(const MessageModel& m, const CardLayout& layout, ImVec2 origin, float listWidth,
                 ViewContext& ctx, const std::string& id) {
  const Role role = roleOf(m);
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(origin.x + layout.x, origin.y);
  const ImVec2 b(a.x + layout.width, a.y + layout.height);
  switch (role) {
    case Role::User: dl->AddRectFilled(a, b, p.userBubble, kBubbleRounding); break;
    case Role::Assistant: dl->AddRectFilled(a, b, p.assistantBubble, kBubbleRounding); break;
    case Role::Error:
      dl->AddRectFilled(a, b, p.errorBubble, kBubbleRounding);
      dl->AddRect(a, b, p.red, kBubbleRounding, 0, 1.0f);
      break;
    case Role::System: break;
  }
  const ImVec2 content(a.x + layout.padX, a.y + layout.padY);
  const float innerW = layout.width - 2 * layout.padX;
  int block = 0;
  for (const Row& row : layout.rows) {
    if (row.kind == RowKind::Code) {
      drawCodeRow(row, content, innerW, ctx, id + ":" + std::to_string(block));
    } else if (row.kind == RowKind::Text) {
      drawTextRow(row, content, ctx);
    } else if (row.tag == kThinkingHeaderTag && m.message != nullptr) {
      drawThinkingHeader(row, content, innerW, *m.message, ctx, id);
    }
    ++block;
  }

  // The caret: a thin bar after the last character of the reply, blinking.
  if (m.streaming && !layout.rows.empty() && layout.rows.back().kind != RowKind::Custom) {
    // A reply streaming is activity, not idleness: the frame loop keeps running (the caret
    // blinks on it), so a delta shows in the very next frame instead of having to start one.
    // Measured in the browser bench (10,000 messages): delta -> frame p50 1.9 ms with the loop,
    // 6.6 ms without.
    if (!ctx.streamStalled) ctx.animating = true;
    if (ctx.streamStalled || (ctx.nowMs / kCaretBlinkMs) % 2 == 0) {
      const Row& last = layout.rows.back();
      const bool code = last.kind == RowKind::Code;
      const FontMetrics& fm = code ? ctx.monoMetrics : ctx.sansMetrics;
      const float lineW = last.lines.empty() ? 0 : last.lines.back().width;
      const float lines = static_cast<float>(std::max<std::size_t>(1, last.lines.size()));
      float x = content.x + last.indent + lineW + 1.0f;
      float y = content.y + last.y + (lines - 1) * fm.lineHeight;
      if (code) {
        x += kCodePad;
        y += ctx.sansMetrics.lineHeight + 6.0f + kCodePad;
      }
      const float inset = fm.lineHeight * 0.15f;
      dl->AddRectFilled(ImVec2(x, y + inset), ImVec2(x + 2.0f, y + fm.lineHeight - inset),
                        code ? p.codeText : p.assistantText);
    }
  }

  if (!layout.note.empty()) {
    const float noteY = b.y + 3.0f;
    const float maxW = listWidth * 0.9f;
    const float w = std::min(maxW, textWidth(layout.note, ctx.sansMetrics) * 0.9f);
    const float x = layout.noteRight ? b.x - w : a.x + 4.0f;
    drawEllipsized(dl, ctx.sans, ctx.sansSize * 0.9f, ctx.sansMetrics, ImVec2(x, noteY),
                   p.*(layout.noteColor), layout.note, maxW);
  }

  // Copy affordance: a small button beside the bubble on hover, and a right-click menu.
  if (m.message == nullptr || m.streaming) return;  // a reply is copied once complete
  const float btnW = ctx.target(textWidth("Copy", ctx.sansMetrics) * 0.9f + 12.0f);  // a finger's size on touch
  const bool outsideLeft = role == Role::User && a.x - origin.x >= btnW + 6.0f;
  const bool outsideRight = role != Role::User && (origin.x + listWidth) - b.x >= btnW + 6.0f;
  ImVec2 btn = outsideLeft    ? ImVec2(a.x - btnW - 6.0f, a.y)
               : outsideRight ? ImVec2(b.x + 6.0f, a.y)
                              : ImVec2(b.x - btnW - 4.0f, a.y + 4.0f);
  const ImVec2 hoverMin(std::min(a.x, btn.x), a.y);
  const ImVec2 hoverMax(std::max(b.x, btn.x + btnW), b.y);
  const bool hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                       ImGui::IsMouseHoveringRect(hoverMin, hoverMax, false);
  // Its twin is always there (Copy is reachable without hovering); while the twin has the
  // keyboard focus the button is drawn as on hover, under the focus ring.
  const std::string copyId = "copy:" + id;
  // the button's place when it is not drawn (a finger's size on touch, as drawn)
  Rect twin{btn.x, btn.y, btnW, ctx.target(ctx.sansSize * 0.9f)};
  ImGui::PushID(id.c_str());
  if (hovered || a11yTree().focused() == copyId) {
    ImGui::SetCursorScreenPos(btn);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6.0f, 1.0f));
    ImGui::SetWindowFontScale(0.9f);
    const bool copy = smallNeutralButton("Copy", ctx);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleVar();
    ctx.recordItem(copyId);
    twin = Rect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectSize().x,
                ImGui::GetItemRectSize().y};
    if (copy) ctx.emit(UiIntent::Kind::Copy, {}, m.message->content);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) ImGui::OpenPopup("message-menu");
  }
  if (ImGui::BeginPopup("message-menu")) {
    if (ImGui::MenuItem("Copy message")) ctx.emit(UiIntent::Kind::Copy, {}, m.message->content);
    ImGui::EndPopup();
  }
  ImGui::PopID();
  if (ImGui::IsRectVisible(ImVec2(twin.x, twin.y), ImVec2(twin.x + twin.w, twin.y + twin.h))) {
    A11yControl c;
    c.id = copyId;
    c.name = "Copy message";
    c.rect = twin;
    // No intent: it would copy the whole message every frame. Activated, the view copies it
    // on the next frame, as a click does.
    if (reportControl(std::move(c))) ctx.emit(UiIntent::Kind::Copy, {}, m.message->content);
  }
}

}  // namespace chat::ui
