#include "ui/thinking_block.h"

#include <algorithm>

#include "ui/a11y_report.h"

namespace chat::ui {

namespace {

constexpr float kArrowBox = 14.0f;   // room for the open / closed arrow left of the label
constexpr float kHeaderPadY = 3.0f;  // above and below the label
constexpr float kGapAfter = 6.0f;    // between the block and the reply's text
constexpr int64_t kDotsStepMs = 400;

// A small triangle pointing right (closed) or down (open), drawn rather than taken from the
// font, whose coverage of arrow glyphs is not guaranteed.
void drawArrow(ImDrawList* dl, ImVec2 center, float size, bool open, ImU32 color) {
  const float h = size * 0.5f;
  if (open) {
    dl->AddTriangleFilled(ImVec2(center.x - h, center.y - h * 0.6f),
                          ImVec2(center.x + h, center.y - h * 0.6f),
                          ImVec2(center.x, center.y + h * 0.7f), color);
  } else {
    dl->AddTriangleFilled(ImVec2(center.x - h * 0.6f, center.y - h),
                          ImVec2(center.x - h * 0.6f, center.y + h),
                          ImVec2(center.x + h * 0.7f, center.y), color);
  }
}

}  // namespace

std::string thinkingLabel(const core::Message& m) {
  return m.thinking() ? "Thinking\xE2\x80\xA6" : "Thought";
}

void addThinkingRows(CardBuilder& b, const core::Message* m, const ViewContext& ctx) {
  if (m == nullptr || m->reasoning.empty()) return;
  // The header's width: the widest label, so it does not change when the thinking ends.
  const float labelW = std::max(textWidth("Thinking\xE2\x80\xA6", ctx.sansMetrics),
                                textWidth("Thought", ctx.sansMetrics));
  // A full-size touch target on a coarse pointer (ctx.minTarget), like every button.
  b.addCustom(kThinkingHeaderTag, ctx.target(ctx.sansMetrics.lineHeight + 2 * kHeaderPadY),
              kArrowBox + 6.0f + labelW);
  if (m->reasoningOpen) b.addText(m->reasoning, &Palette::textMuted);
  b.addGap(kGapAfter);
}

void drawThinkingHeader(const Row& row, ImVec2 origin, float innerWidth, const core::Message& m,
                        ViewContext& ctx, const std::string& id) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(origin.x, origin.y + row.y);
  const std::string label = thinkingLabel(m);
  const float labelW = textWidth(label, ctx.sansMetrics);
  const float w = std::min(innerWidth, kArrowBox + 6.0f + labelW + 4.0f);

  // A real ImGui item: hover, click, keyboard focus (Tab) and Enter / Space all reach it.
  ImGui::SetCursorScreenPos(a);
  ImGui::PushID(("thinking:" + id).c_str());
  bool activated = ImGui::InvisibleButton("##thinking", ImVec2(std::max(1.0f, w), row.h));
  // Space activates a focused item through ImGui's keyboard navigation; Enter does here too.
  if (!activated && ImGui::IsItemFocused() && ImGui::IsKeyPressed(ImGuiKey_Enter, false)) activated = true;
  const bool hovered = ImGui::IsItemHovered();
  ImGui::PopID();
  ctx.recordItem("thinking:" + m.requestId);
  if (activated) ctx.emit(UiIntent::Kind::ToggleThinking, m.requestId);
  // Its accessible twin (a11y_report.h): a button that says whether the block is open.
  A11yState twin;
  twin.expanded = m.reasoningOpen ? 1 : 0;
  reportItem("thinking:" + m.requestId, A11yRole::Button,
             m.reasoningOpen ? "Hide the model's reasoning" : "Show the model's reasoning",
             UiIntent{UiIntent::Kind::ToggleThinking, m.requestId, {}}, twin);
  if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);

  const ImU32 color = hovered ? p.text : p.textMuted;
  const float midY = a.y + row.h * 0.5f;
  drawArrow(dl, ImVec2(a.x + kArrowBox * 0.5f, midY), 8.0f, m.reasoningOpen, color);
  std::string shown = label;
  if (m.thinking()) {
    // "Thinking" with its dots counting up while the reasoning grows. The stream keeps the
    // frame loop running (message_view's caret), so no extra frame is asked for.
    const int dots = static_cast<int>((ctx.nowMs / kDotsStepMs) % 4);
    shown = "Thinking" + std::string(static_cast<std::size_t>(dots), '.');
    ctx.redrawAt(ctx.nowMs + kDotsStepMs - ctx.nowMs % kDotsStepMs);
  }
  dl->AddText(ctx.sans, ctx.sansSize, ImVec2(a.x + kArrowBox + 6.0f, midY - ctx.sansMetrics.lineHeight * 0.5f), color,
              shown.c_str());
}

}  // namespace chat::ui
