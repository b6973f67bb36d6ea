#include "ui/sidebar.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/card_layout.h"
#include "ui/markdown_plain.h"

namespace chat::ui {

namespace {

// A title is often a message's Markdown: shown as the text the message shows.
std::string titleFor(const std::string& title) {
  std::string plain = plainTextOf(title);
  return plain.empty() ? "New chat" : plain;
}

}  // namespace

std::vector<SidebarItem> sidebarItems(const core::ChatState& state) {
  std::vector<SidebarItem> items;
  bool currentListed = state.currentSessionId.empty();
  for (const auto& info : state.sessionList) {
    if (info.archived) continue;
    std::string title = info.title;
    if (title.empty()) {
      auto it = state.sessions.find(info.sessionId);
      if (it != state.sessions.end()) title = it->second.title;
    }
    const bool current = info.sessionId == state.currentSessionId;
    currentListed = currentListed || current;
    items.push_back(SidebarItem{info.sessionId, titleFor(title), current});
  }
  if (!currentListed) {
    const core::SessionState* s = state.current();
    items.insert(items.begin(), SidebarItem{state.currentSessionId,
                                            titleFor(s ? s->title : ""), true});
  }
  return items;
}

const char* nextThemeChoice(const std::string& current) {
  if (current == "auto") return "light";
  if (current == "light") return "dark";
  return "auto";
}

std::string themeSwitchLabel(const std::string& current) {
  if (current == "light") return "Theme: Light";
  if (current == "dark") return "Theme: Dark";
  return "Theme: Auto";
}

bool drawSidebar(const core::ChatState& state, ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  bool picked = false;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), p.sidebar);
  dl->AddLine(ImVec2(origin.x + size.x - 1, origin.y), ImVec2(origin.x + size.x - 1, origin.y + size.y),
              p.border);
  const float pad = 12.0f;
  const float innerW = size.x - 2 * pad;
  const float buttonH = ctx.target(ctx.sansSize + 2 * ImGui::GetStyle().FramePadding.y + 4.0f);

  ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + pad));
  if (accentButton("+ New chat", ctx, ImVec2(innerW, buttonH))) {
    ctx.emit(UiIntent::Kind::NewChat);
    picked = true;
  }
  ctx.recordItem("new-chat");
  reportItem("new-chat", A11yRole::Button, "New chat", UiIntent{UiIntent::Kind::NewChat, {}, {}});

  const float labelY = origin.y + pad + buttonH + 14.0f;
  dl->AddText(ctx.sans, ctx.sansSize * 0.85f, ImVec2(origin.x + pad, labelY), p.textMuted, "CHATS");
  const float refreshW = textWidth("Refresh", ctx.sansMetrics) * 0.9f + 12.0f;
  // A finger-sized Refresh (touch) is centred on the label's line, in the gap above it.
  const float refreshY = ctx.minTarget > 0 ? labelY - 13.0f : labelY - 2.0f;
  ImGui::SetCursorScreenPos(ImVec2(origin.x + size.x - pad - refreshW, refreshY));
  ImGui::SetWindowFontScale(0.9f);
  if (smallNeutralButton("Refresh", ctx)) ctx.emit(UiIntent::Kind::RefreshSessions);
  ImGui::SetWindowFontScale(1.0f);
  ctx.recordItem("refresh-sessions");
  reportItem("refresh-sessions", A11yRole::Button, "Refresh chats", UiIntent{UiIntent::Kind::RefreshSessions, {}, {}});

  const float listTop = ctx.minTarget > 0 ? refreshY + ctx.minTarget + 6.0f : labelY + ctx.sansMetrics.lineHeight + 6.0f;
  // The theme switch sits at the bottom; the list takes the rest.
  const float themeY = origin.y + size.y - pad - buttonH;
  ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, themeY));
  const std::string themeLabel = themeSwitchLabel(ctx.themeChoice) + "##theme";
  if (neutralButton(themeLabel.c_str(), ctx, ImVec2(innerW, buttonH)))
    ctx.emit(UiIntent::Kind::SetTheme, {}, nextThemeChoice(ctx.themeChoice));
  ctx.recordItem("theme");
  // Its twin comes after the chat rows: the Tab order follows the sidebar top to bottom.
  A11yControl theme;
  theme.id = "theme";
  theme.name = themeSwitchLabel(ctx.themeChoice) + " (switch theme)";
  theme.intent = UiIntent{UiIntent::Kind::SetTheme, {}, nextThemeChoice(ctx.themeChoice)};
  theme.rect = Rect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectSize().x,
                    ImGui::GetItemRectSize().y};
  const float listH = std::max(10.0f, themeY - 6.0f - listTop);
  ImGui::SetCursorScreenPos(ImVec2(origin.x + pad * 0.5f, listTop));
  ImGui::BeginChild("##sessions", ImVec2(size.x - pad, listH), ImGuiChildFlags_None,
                    ImGuiWindowFlags_NavFlattened);  // reachable by Tab
  const std::vector<SidebarItem> items = sidebarItems(state);
  const float rowH = ctx.target(ctx.sansMetrics.lineHeight + 14.0f);
  const float rowW = ImGui::GetContentRegionAvail().x;
  if (items.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
    ImGui::SetCursorPos(ImVec2(pad * 0.5f, 4.0f));
    ImGui::TextUnformatted("No chats yet");
    ImGui::PopStyleColor();
  }
  for (const SidebarItem& item : items) {
    ImGui::PushID(item.sessionId.c_str());
    const ImVec2 rowPos = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::Selectable("##session", item.current, 0, ImVec2(rowW, rowH));
    ctx.recordItem("session:" + item.sessionId);
    A11yState rowState;
    rowState.selected = item.current;
    // Its twin acts through the click's path (no intent): picking a chat also closes the drawer.
    if (reportItem("session:" + item.sessionId, A11yRole::Button, item.title, std::nullopt, rowState) || clicked) {
      if (!item.current) ctx.emit(UiIntent::Kind::SwitchSession, item.sessionId);
      picked = true;
    }
    ImGui::GetWindowDrawList()->PushClipRect(rowPos, ImVec2(rowPos.x + rowW, rowPos.y + rowH), true);
    drawEllipsized(ImGui::GetWindowDrawList(), ctx.sans, ctx.sansSize, ctx.sansMetrics,
                   ImVec2(rowPos.x + 8.0f, rowPos.y + (rowH - ctx.sansSize) * 0.5f),
                   item.current ? p.text : p.textMuted, item.title, rowW - 16.0f);
    ImGui::GetWindowDrawList()->PopClipRect();
    ImGui::PopID();
  }
  ImGui::EndChild();
  reportControl(std::move(theme));
  return picked;
}

}  // namespace chat::ui
