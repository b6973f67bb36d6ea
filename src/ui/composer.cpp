#include "ui/composer.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/card_layout.h"

namespace chat::ui {

namespace {

constexpr float kOuterPad = 12.0f;   // around the frame
constexpr float kInnerPadX = 12.0f;  // frame to text area
constexpr float kInnerPadY = 9.0f;
constexpr int kMaxLines = 6;

float buttonWidth(const ViewContext& ctx) {
  return std::max(textWidth("Send", ctx.sansMetrics), textWidth("Stop", ctx.sansMetrics)) +
         2 * ImGui::GetStyle().FramePadding.x + 16.0f;
}

float textAreaWidth(const ViewContext& ctx, float width) {
  return std::max(20.0f, width - 2 * kOuterPad - 2 * kInnerPadX - buttonWidth(ctx) - 8.0f);
}

}  // namespace

bool hasSendableText(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\v\f") != std::string::npos;
}

float composerHeight(const std::string& text, const ViewContext& ctx, float width) {
  const std::size_t lines = wrapText(text, textAreaWidth(ctx, width), ctx.sansMetrics).size();
  const int shown = std::clamp(static_cast<int>(lines), 1, kMaxLines);
  const float h = static_cast<float>(shown) * ctx.sansMetrics.lineHeight + 2 * kInnerPadY + 2 * kOuterPad;
  // Room for a finger-sized Send (6 px above and below it inside the frame) on a coarse pointer.
  return ctx.minTarget > 0 ? std::max(h, ctx.minTarget + 12.0f + 2 * kOuterPad) : h;
}

Rect drawComposer(const FrameInput& in, bool streaming, ViewContext& ctx, float width, float height) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(o, ImVec2(o.x + width, o.y + height), p.background);
  const ImVec2 fa(o.x + kOuterPad, o.y + kOuterPad);
  const ImVec2 fb(o.x + width - kOuterPad, o.y + height - kOuterPad);
  dl->AddRectFilled(fa, fb, p.composerBackground, 12.0f);
  dl->AddRect(fa, fb, in.composerFocused ? p.composerFocused : p.composerBorder, 12.0f, 0,
              in.composerFocused ? 2.0f : 1.0f);

  const float bw = buttonWidth(ctx) - 8.0f;
  const float bh = ctx.target(ctx.sansSize + 2 * ImGui::GetStyle().FramePadding.y + 4.0f);
  Rect text;
  text.x = fa.x + kInnerPadX;
  text.y = fa.y + kInnerPadY;
  text.w = std::max(20.0f, fb.x - bw - 8.0f - kInnerPadX - text.x);
  text.h = std::max(ctx.sansMetrics.lineHeight, fb.y - kInnerPadY - text.y);

  // Clicking the (normally covered) text area asks the app to focus the DOM textarea.
  ImGui::SetCursorScreenPos(ImVec2(text.x, text.y));
  if (ImGui::InvisibleButton("##composer", ImVec2(text.w, text.h))) {
    ctx.emit(UiIntent::Kind::FocusComposer);
  }
  ctx.recordItem("composer");
  {
    // The composer's DOM textarea keeps its place in the Tab order: after the transcript.
    A11yControl c;
    c.id = "composer";
    c.role = A11yRole::Textbox;
    c.name = "Message";
    c.domId = "chat-composer";
    c.shortcut = "Enter PageUp PageDown Control+Home Control+End Alt+A Escape";
    reportItem(std::move(c));
  }

  ImGui::SetCursorScreenPos(ImVec2(fb.x - bw - 6.0f, fb.y - bh - 6.0f));
  if (streaming) {
    if (dangerButton("Stop", ctx, ImVec2(bw, bh))) ctx.emit(UiIntent::Kind::Cancel);
    ctx.recordItem("stop");
    A11yControl c;
    c.id = "stop";
    c.name = "Stop";
    c.shortcut = "Escape";
    c.intent = UiIntent{UiIntent::Kind::Cancel, {}, {}};
    reportItem(std::move(c));
  } else {
    const bool sendable = hasSendableText(in.composerText);
    ImGui::BeginDisabled(!sendable);
    // Disabled: neutral, not a faded accent (60% of the dark theme's indigo still read as a
    // live button).
    const bool clicked = sendable ? accentButton("Send", ctx, ImVec2(bw, bh))
                                  : neutralButton("Send", ctx, ImVec2(bw, bh));
    if (clicked && sendable) {
      ctx.emit(UiIntent::Kind::Send, {}, in.composerText);
    }
    ImGui::EndDisabled();
    ctx.recordItem("send");
    A11yState st;
    st.disabled = !sendable;
    reportItem("send", A11yRole::Button, "Send", UiIntent{UiIntent::Kind::Send, {}, in.composerText}, st);
  }
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + height));
  return text;
}

}  // namespace chat::ui
