#include "ui/sidebar.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/card_layout.h"
#include "ui/markdown_plain.h"
#include "ui/session_rows.h"
#include "ui/session_search_view.h"

namespace chat::ui {

namespace {

// A title is often a message's Markdown: shown as the text the message shows.
std::string titleFor(const std::string& title) {
  std::string plain = plainTextOf(title);
  return plain.empty() ? "New chat" : plain;
}

// The search field's frame; the DOM input covers the returned rect. A click there (before the
// input is on top) asks the app to focus it.
Rect drawSearchFrame(const FrameInput& in, ViewContext& ctx, ImVec2 pos, ImVec2 size) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 b(pos.x + size.x, pos.y + size.y);
  dl->AddRectFilled(pos, b, p.composerBackground, 8.0f);
  dl->AddRect(pos, b, in.searchFocused ? p.composerFocused : p.composerBorder, 8.0f, 0,
              in.searchFocused ? 2.0f : 1.0f);
  const Rect field{pos.x + 10.0f, pos.y + 3.0f, size.x - 20.0f, size.y - 6.0f};
  ImGui::SetCursorScreenPos(pos);
  if (ImGui::InvisibleButton("##search-field", ImVec2(std::max(1.0f, size.x), std::max(1.0f, size.y)))) {
    ctx.emit(UiIntent::Kind::FocusSearch);
  }
  ctx.recordItem("search");
  // The DOM input itself is the control: kept at this place of the Tab order.
  A11yControl box;
  box.id = "search";
  box.role = A11yRole::Textbox;
  box.name = "Search chats";
  box.domId = "chat-field-search";
  reportItem(std::move(box));
  return field;
}

// The confirmation before a chat is deleted for good.
void drawDeleteConfirmation(SidebarUi& ui, ViewContext& ctx) {
  const char* kTitle = "Delete chat?##confirm-delete";
  if (!ui.confirmDeleteId.empty() && !ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(360.0f, display.x - 24.0f), 0.0f));
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings))
    return;
  // Its first frame only measures it (ImGui draws an auto-sized window from the next one).
  if (ImGui::IsWindowAppearing()) ctx.animating = true;
  ImGui::TextWrapped("\"%s\" and all its messages will be deleted on every device. This cannot be undone.",
                     ui.confirmDeleteTitle.c_str());
  ImGui::Spacing();
  const float h = ctx.target(0.0f);
  const bool clicked = dangerButton("Delete", ctx, ImVec2(0, h));
  if (reportItem("delete-confirm", A11yRole::Button, "Delete chat " + ui.confirmDeleteTitle + " for good") ||
      clicked) {
    ctx.emit(UiIntent::Kind::DeleteSession, ui.confirmDeleteId);
    ui.confirmDeleteId.clear();
    ImGui::CloseCurrentPopup();
  }
  ctx.recordItem("delete-confirm");
  ImGui::SameLine();
  const bool cancelled = neutralButton("Cancel", ctx, ImVec2(0, h));
  if (reportItem("delete-cancel", A11yRole::Button, "Keep chat " + ui.confirmDeleteTitle) || cancelled ||
      ImGui::IsKeyPressed(ImGuiKey_Escape)) {
    ui.confirmDeleteId.clear();
    ImGui::CloseCurrentPopup();
  }
  ctx.recordItem("delete-cancel");
  ImGui::EndPopup();
}

}  // namespace

std::vector<SidebarItem> sidebarItems(const core::ChatState& state, bool showArchived) {
  std::vector<SidebarItem> items;
  bool currentListed = state.currentSessionId.empty();
  for (const auto& info : state.sessionList) {
    const bool current = info.sessionId == state.currentSessionId;
    currentListed = currentListed || current;
    if (info.archived && !showArchived) continue;
    std::string title = info.title;
    if (title.empty()) {
      auto it = state.sessions.find(info.sessionId);
      if (it != state.sessions.end()) title = it->second.title;
    }
    items.push_back(SidebarItem{info.sessionId, titleFor(title), current, info.archived, info.updatedAt});
  }
  // A chat the gateway does not list yet (no message sent), or deleted: shown at the top while
  // it is the current one, so the user sees where they are.
  if (!currentListed && !state.sessionList.wasDeleted(state.currentSessionId)) {
    const core::SessionState* s = state.current();
    items.insert(items.begin(), SidebarItem{state.currentSessionId, titleFor(s ? s->title : ""),
                                            true, false, INT64_MAX});
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

SidebarResult drawSidebar(const core::ChatState& state, const FrameInput& in, SidebarUi& ui,
                          ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  SidebarResult result;
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
    result.picked = true;
  }
  ctx.recordItem("new-chat");
  reportItem("new-chat", A11yRole::Button, "New chat", UiIntent{UiIntent::Kind::NewChat, {}, {}});

  const float searchY = origin.y + pad + buttonH + 10.0f;
  result.searchField = drawSearchFrame(in, ctx, ImVec2(origin.x + pad, searchY), ImVec2(innerW, buttonH));
  const bool searching = !in.searchText.empty();

  const float labelY = searchY + buttonH + 14.0f;
  dl->AddText(ctx.sans, ctx.sansSize * 0.85f, ImVec2(origin.x + pad, labelY), p.textMuted,
              searching ? "RESULTS" : "CHATS");
  // Archived chats are left out unless asked for; while searching, the button clears instead.
  const char* toggle = searching ? "Clear##clear-search"
                                 : ui.showArchived ? "Hide archived##show-archived" : "Show archived##show-archived";
  const float toggleW = textWidth(searching ? "Clear" : ui.showArchived ? "Hide archived" : "Show archived",
                                  ctx.sansMetrics) * 0.9f + 12.0f;
  // A finger-sized button (touch) is centred on the label's line, in the gap above it.
  const float toggleY = ctx.minTarget > 0 ? labelY - 13.0f : labelY - 2.0f;
  ImGui::SetCursorScreenPos(ImVec2(origin.x + size.x - pad - toggleW, toggleY));
  ImGui::SetWindowFontScale(0.9f);
  bool toggled = smallNeutralButton(toggle, ctx);
  ImGui::SetWindowFontScale(1.0f);
  ctx.recordItem(searching ? "clear-search" : "show-archived");
  if (searching) {
    reportItem("clear-search", A11yRole::Button, "Clear the search", UiIntent{UiIntent::Kind::ClearSearch, {}, {}});
    if (toggled) ctx.emit(UiIntent::Kind::ClearSearch);
  } else {
    A11yState st;
    st.checked = ui.showArchived ? 1 : 0;
    toggled = reportItem("show-archived", A11yRole::Toggle, "Show archived chats", std::nullopt, st) || toggled;
    if (toggled) ui.showArchived = !ui.showArchived;
  }

  const float listTop = ctx.minTarget > 0 ? toggleY + ctx.minTarget + 6.0f : labelY + ctx.sansMetrics.lineHeight + 6.0f;
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
  if (searching) {
    result.picked = drawSearchResults(state, in, ctx) || result.picked;
  } else {
    const RowsResult rows = drawSessionRows(state, in, ui, ctx);
    result.picked = rows.picked || result.picked;
    result.renameField = rows.renameField;
  }
  ImGui::EndChild();
  reportControl(std::move(theme));
  drawDeleteConfirmation(ui, ctx);
  return result;
}

}  // namespace chat::ui
