#include "ui/sign_in_panel.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/card_layout.h"

namespace chat::ui {

namespace {

constexpr float kCardMaxWidth = 420.0f;
constexpr float kCardMargin = 16.0f;
constexpr float kPad = 20.0f;
constexpr float kRounding = 12.0f;
constexpr float kTitleScale = 1.25f;
constexpr float kFieldPadX = 10.0f;
constexpr float kFieldPadY = 6.0f;
constexpr const char* kTitle = "Sign in";
constexpr const char* kButton = "Sign in";
constexpr const char* kHint = "Paste a token or type a PIN";

float titleHeight(const ViewContext& ctx) { return ctx.sansSize * kTitleScale + 6.0f; }

float buttonHeight(const ViewContext& ctx) {
  return ctx.sansSize + 2 * ImGui::GetStyle().FramePadding.y + 4.0f;
}

}  // namespace

SignInPanelLayout signInPanelLayout(const SignInPrompt& prompt, const ViewContext& ctx, Rect area) {
  SignInPanelLayout l;
  const float w = std::max(160.0f, std::min(kCardMaxWidth, area.w - 2 * kCardMargin));
  const float inner = w - 2 * kPad;
  const float messageH =
      static_cast<float>(wrapText(prompt.message, inner, ctx.sansMetrics).size()) * ctx.sansMetrics.lineHeight;
  const float frameH = ctx.sansMetrics.lineHeight + 2 * (kFieldPadY + 4.0f);
  const float bh = buttonHeight(ctx);
  const float h = kPad + titleHeight(ctx) + 8.0f + messageH + 14.0f + frameH + 14.0f + bh + kPad;

  l.card.w = w;
  l.card.h = h;
  l.card.x = area.x + std::max(0.0f, (area.w - w) * 0.5f);
  // A little above the middle reads as centred; never above the top of the area.
  l.card.y = area.y + std::max(8.0f, (area.h - h) * 0.42f);
  l.messageY = kPad + titleHeight(ctx) + 8.0f;

  l.frame = Rect{l.card.x + kPad, l.card.y + l.messageY + messageH + 14.0f, inner, frameH};
  l.field = Rect{l.frame.x + kFieldPadX, l.frame.y + kFieldPadY, l.frame.w - 2 * kFieldPadX,
                 l.frame.h - 2 * kFieldPadY};
  const float bw = textWidth(kButton, ctx.sansMetrics) + 2 * ImGui::GetStyle().FramePadding.x + 20.0f;
  l.button = Rect{l.card.x + w - kPad - bw, l.frame.y + frameH + 14.0f, bw, bh};
  return l;
}

Rect drawSignInPanel(const SignInPrompt& prompt, ViewContext& ctx, Rect area, bool takeFocus) {
  const Palette& p = ctx.pal();
  const SignInPanelLayout l = signInPanelLayout(prompt, ctx, area);
  ImGui::SetNextWindowPos(ImVec2(l.card.x, l.card.y));
  ImGui::SetNextWindowSize(ImVec2(l.card.w, l.card.h));
  if (takeFocus) ImGui::SetNextWindowFocus();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##sign-in", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoScrollbar |
                   ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(l.card.x, l.card.y);
  const ImVec2 b(l.card.x + l.card.w, l.card.y + l.card.h);
  dl->AddRectFilled(a, b, p.cardBackground, kRounding);
  dl->AddRect(a, b, p.cardBorder, kRounding, 0, 1.0f);
  // A red strip on the left says "refused" at a glance, like the tool cards' status strip.
  const ImU32 accent = prompt.error ? p.red : p.accent;
  dl->AddRectFilled(a, ImVec2(a.x + 4.0f, b.y), accent, kRounding, ImDrawFlags_RoundCornersLeft);

  const float x = l.card.x + kPad;
  const float inner = l.card.w - 2 * kPad;
  dl->AddText(ctx.sans, ctx.sansSize * kTitleScale, ImVec2(x, l.card.y + kPad), p.text, kTitle);

  // The message, wrapped; red when it reports a refusal.
  const ImU32 messageColor = prompt.error ? p.red : p.textMuted;
  const float inset = (ctx.sansMetrics.lineHeight - ctx.sansSize) * 0.5f;
  float y = l.card.y + l.messageY;
  for (const WrappedLine& line : wrapText(prompt.message, inner, ctx.sansMetrics)) {
    if (line.end > line.begin) {
      dl->AddText(ctx.sans, ctx.sansSize, ImVec2(x, y + inset), messageColor,
                  prompt.message.data() + line.begin, prompt.message.data() + line.end);
    }
    y += ctx.sansMetrics.lineHeight;
  }

  // The field's frame; the DOM input covers l.field. Clicking there (if the input is not on
  // top yet) asks the app to focus it.
  const ImVec2 fa(l.frame.x, l.frame.y);
  const ImVec2 fb(l.frame.x + l.frame.w, l.frame.y + l.frame.h);
  dl->AddRectFilled(fa, fb, p.composerBackground, 8.0f);
  const ImU32 border = prompt.focused ? p.composerFocused : prompt.error ? p.red : p.composerBorder;
  dl->AddRect(fa, fb, border, 8.0f, 0, prompt.focused ? 2.0f : 1.0f);
  ImGui::SetCursorScreenPos(ImVec2(l.field.x, l.field.y));
  if (ImGui::InvisibleButton("##sign-in-field", ImVec2(std::max(1.0f, l.field.w), std::max(1.0f, l.field.h)))) {
    ctx.emit(UiIntent::Kind::FocusSignIn);
  }
  ctx.recordItem("sign-in-field");
  {
    A11yControl field;  // the DOM <input> laid over it, kept at this place of the Tab order
    field.id = "sign-in-field";
    field.role = A11yRole::Textbox;
    field.name = "Token or PIN";
    field.domId = "chat-signin";
    reportItem(std::move(field));
  }

  drawEllipsized(dl, ctx.sans, ctx.sansSize * 0.85f, ctx.sansMetrics,
                 ImVec2(x, l.button.y + (l.button.h - ctx.sansSize * 0.85f) * 0.5f), p.textMuted, kHint,
                 std::max(0.0f, l.button.x - x - 12.0f));
  ImGui::SetCursorScreenPos(ImVec2(l.button.x, l.button.y));
  const bool enabled = prompt.hasText && !prompt.busy;
  ImGui::BeginDisabled(!enabled);
  if (accentButton(kButton, ctx, ImVec2(l.button.w, l.button.h)) && enabled) ctx.emit(UiIntent::Kind::SignIn);
  ImGui::EndDisabled();
  ctx.recordItem("sign-in");
  A11yState st;
  st.disabled = !enabled;
  reportItem("sign-in", A11yRole::Button, kButton, UiIntent{UiIntent::Kind::SignIn, {}, {}}, st);
  ImGui::End();
  return l.field;
}

}  // namespace chat::ui
