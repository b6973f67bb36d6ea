#include "ui/header.h"

#include <algorithm>

#include <imgui_internal.h>  // OpenPopupEx, ImHashStr: opening the combo from its twin

#include "ui/a11y_report.h"
#include "ui/card_layout.h"
#include "ui/markdown_plain.h"

namespace chat::ui {

HeaderModel headerModel(const core::ChatState& state, const net::Status& status, int64_t retryInMs) {
  HeaderModel h;
  const core::SessionState* s = state.current();
  if (s && !s->title.empty()) h.title = s->title;
  if (h.title.empty()) {
    for (const auto& info : state.sessionList) {
      if (info.sessionId == state.currentSessionId && !info.title.empty()) h.title = info.title;
    }
  }
  h.title = plainTextOf(h.title);  // a title is often a message's Markdown: shown as its text
  if (h.title.empty()) h.title = "New chat";
  if (s && s->streaming && !s->streaming->model.empty()) {
    h.model = s->streaming->model;
  } else {
    h.model = state.currentModel;
  }
  // A picker only when there is a choice (the demo agent offers one model: shown as text).
  if (state.models.size() > 1) h.models = state.models;
  if (!h.models.empty()) {
    h.chosenModel = s && !s->model.empty() ? s->model : h.models.front();
  }
  h.pill = connectionPill(status, retryInMs);
  return h;
}

namespace {

void pillColors(PillTone tone, const Palette& p, ImU32* fg, ImU32* bg) {
  switch (tone) {
    case PillTone::Green: *fg = p.green; *bg = p.pillGreenBg; return;
    case PillTone::Amber: *fg = p.amber; *bg = p.pillAmberBg; return;
    case PillTone::Red: *fg = p.red; *bg = p.pillRedBg; return;
    case PillTone::Grey: *fg = p.grey; *bg = p.sidebar; return;
  }
}

// Three bars: the "menu" glyph, drawn so it does not depend on the font's coverage.
void drawMenuIcon(ImDrawList* dl, ImVec2 center, float w, ImU32 color) {
  for (int k = -1; k <= 1; ++k) {
    const float y = center.y + static_cast<float>(k) * w * 0.33f;
    dl->AddLine(ImVec2(center.x - w * 0.5f, y), ImVec2(center.x + w * 0.5f, y), color, 2.0f);
  }
}

// The model picker under the title: a small combo listing the gateway's models. Picking one
// emits SetModel; the session's next chat.send carries it.
void drawModelPicker(const HeaderModel& model, ViewContext& ctx, ImVec2 at, float maxWidth) {
  const Palette& p = ctx.pal();
  float widest = 0;
  for (const std::string& m : model.models) widest = std::max(widest, textWidth(m, ctx.sansMetrics));
  const float width = std::min(maxWidth, widest * 0.8f + 36.0f);
  if (width < 40.0f) return;
  ImGui::SetCursorScreenPos(at);
  ImGui::SetWindowFontScale(0.8f);
  ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, p.header);
  ImGui::SetNextItemWidth(width);
  // On a touch screen the picker is a full-size target (ctx.minTarget), like every button.
  const float frameH = ctx.sansSize * 0.8f + 2.0f;
  if (ctx.target(frameH) > frameH) {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6.0f, (ctx.target(frameH) - ctx.sansSize * 0.8f) * 0.5f));
  } else {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6.0f, 1.0f));
  }
  // Where the combo is (while open, ImGui's "last item" is inside its popup instead).
  const Rect pickerRect{at.x, at.y, width, ImGui::GetFrameHeight()};
  const ImGuiID comboId = ImGui::GetID("##model");
  const bool open = ImGui::BeginCombo("##model", model.chosenModel.c_str());
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
  if (ctx.debug) ctx.debug->widgets["model-picker"] = pickerRect;
  if (!open && ImGui::IsItemHovered()) ImGui::SetTooltip("Model for this chat's next replies");
  // Its accessible twin (a11y_report.h): a combobox; activating it opens the list, whose
  // models are buttons.
  A11yControl twin;
  twin.id = "model-picker";
  twin.role = A11yRole::Combobox;
  twin.name = "Model: " + model.chosenModel;
  twin.state.expanded = open ? 1 : 0;
  twin.rect = pickerRect;
  if (reportControl(std::move(twin)) && !open) {
    ImGui::OpenPopupEx(ImHashStr("##ComboPopup", 0, comboId));  // BeginCombo's own popup id
    ctx.animating = true;  // shown on the next frame
  }
  if (open) {
    // A popup's first frame only measures it (hidden, not yet placed): draw the next frame at
    // once so it shows, and name its items only once they are where they are drawn.
    ctx.animating = true;
    const bool placed = !ImGui::IsWindowAppearing();
    for (std::size_t i = 0; i < model.models.size(); ++i) {
      const std::string& m = model.models[i];
      const bool selected = m == model.chosenModel;
      ImGui::PushID(static_cast<int>(i));
      bool picked = ImGui::Selectable(m.c_str(), selected);
      if (placed) {
        ctx.recordItem("model-option:" + m);
        A11yState optionState;
        optionState.selected = selected;
        if (reportItem("model-option:" + m, A11yRole::Button, "Use model " + m, std::nullopt,
                       optionState)) {
          picked = true;
          ImGui::CloseCurrentPopup();
        }
      }
      if (picked && !selected) ctx.emit(UiIntent::Kind::SetModel, {}, m);
      if (selected) ImGui::SetItemDefaultFocus();
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  ImGui::SetWindowFontScale(1.0f);
}

}  // namespace

bool drawHeader(const HeaderModel& model, ViewContext& ctx, float width) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float h = kHeaderHeight;
  dl->AddRectFilled(o, ImVec2(o.x + width, o.y + h), p.header);
  dl->AddLine(ImVec2(o.x, o.y + h - 1), ImVec2(o.x + width, o.y + h - 1), p.border);
  float x = o.x + 14.0f;
  bool toggled = false;
  if (model.showToggle) {
    const float s = ctx.target(34.0f);
    ImGui::SetCursorScreenPos(ImVec2(o.x + 8.0f, o.y + (h - s) * 0.5f));
    toggled = ImGui::Button("##sidebar-toggle", ImVec2(s, s));
    ctx.recordItem("sidebar-toggle");
    A11yState st;
    st.expanded = model.drawerOpen ? 1 : 0;
    if (reportItem("sidebar-toggle", A11yRole::Button, "Chats", std::nullopt, st)) {
      toggled = true;
      if (!model.drawerOpen) a11yTree().requestFocus("new-chat");  // the keyboard goes into the drawer
    }
    drawMenuIcon(dl, ImVec2(o.x + 8.0f + s * 0.5f, o.y + h * 0.5f), s * 0.45f, p.textOnAccent);
    // Not once the drawer is open: a tap leaves the pointer on the toggle, and the tooltip
    // would stay over the drawer it opened.
    if (!model.drawerOpen && !toggled && ImGui::IsItemHovered()) ImGui::SetTooltip("Chats");
    x = o.x + 8.0f + s + 10.0f;
  }

  // Right side first: the pill and its button decide how much room the title gets.
  float right = o.x + width - 14.0f;
  if (model.pill.showRetry) {
    const char* label = "Retry now";
    const float bw = textWidth(label, ctx.sansMetrics) + 2 * ImGui::GetStyle().FramePadding.x;
    const float bh = ctx.target(ctx.sansSize + 2 * ImGui::GetStyle().FramePadding.y);
    right -= bw;
    ImGui::SetCursorScreenPos(ImVec2(right, o.y + (h - bh) * 0.5f));
    if (neutralButton(label, ctx, ImVec2(bw, bh))) ctx.emit(UiIntent::Kind::RetryNow);
    ctx.recordItem("retry");
    reportItem("retry", A11yRole::Button, "Retry now", UiIntent{UiIntent::Kind::RetryNow, {}, {}});
    right -= 8.0f;
  }
  ImU32 fg = 0, bg = 0;
  pillColors(model.pill.tone, p, &fg, &bg);
  const float textSize = ctx.sansSize * 0.9f;
  // The pill (with its countdown) wins over the title when space is short.
  const float maxPill = std::max(60.0f, right - x - 48.0f);
  const float pillTextW = std::min(textWidth(model.pill.text, ctx.sansMetrics) * 0.9f, maxPill - 30.0f);
  const float pillW = pillTextW + 30.0f;
  const float pillH = textSize + 10.0f;
  const ImVec2 pa(right - pillW, o.y + (h - pillH) * 0.5f);
  dl->AddRectFilled(pa, ImVec2(right, pa.y + pillH), bg, pillH * 0.5f);
  dl->AddCircleFilled(ImVec2(pa.x + 12.0f, pa.y + pillH * 0.5f), 4.0f, fg);
  drawEllipsized(dl, ctx.sans, textSize, ctx.sansMetrics, ImVec2(pa.x + 22.0f, pa.y + 5.0f), fg,
                 model.pill.text, pillTextW + 2.0f);
  if (ctx.debug) ctx.debug->pillText = model.pill.text;

  const float titleMax = std::max(0.0f, pa.x - x - 12.0f);
  // The open chat's title as the page's heading (a screen reader's first stop, its H key).
  reportArea("title", A11yRole::Heading, model.title, Rect{x, o.y, titleMax, h});
  // The connection as a polite live status after it. A countdown's seconds are left out: a
  // screen reader would read every one of them.
  const std::string& pill = model.pill.text;
  const std::size_t countdown = model.pill.counting ? pill.rfind(" in ") : std::string::npos;
  reportArea("connection", A11yRole::Status, "Connection: " + pill.substr(0, countdown),
             Rect{pa.x, pa.y, pillW, pillH});
  const bool withModel = !model.model.empty();
  const float titleY = withModel ? o.y + 8.0f : o.y + (h - ctx.sansSize) * 0.5f;
  drawEllipsized(dl, ctx.sans, ctx.sansSize * 1.05f, ctx.sansMetrics, ImVec2(x, titleY), p.text,
                 model.title, titleMax);
  if (!model.models.empty()) {
    drawModelPicker(model, ctx, ImVec2(x, titleY + ctx.sansSize * 1.05f + 2.0f), titleMax);
  } else if (withModel) {
    drawEllipsized(dl, ctx.sans, ctx.sansSize * 0.8f, ctx.sansMetrics,
                   ImVec2(x, titleY + ctx.sansSize * 1.05f + 4.0f), p.textMuted, model.model, titleMax);
  }
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + h));
  return toggled;
}

}  // namespace chat::ui
