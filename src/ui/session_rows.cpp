#include "ui/session_rows.h"

#include <algorithm>

#include "core/chat/session_list_groups.h"
#include "ui/a11y_report.h"
#include "ui/card_layout.h"

namespace chat::ui {

namespace {

constexpr float kMenuButtonW = 26.0f;

// The row's menu: Rename, Archive / Unarchive, Delete (confirmed by the sidebar).
void drawRowMenu(const SidebarItem& item, SidebarUi& ui, ViewContext& ctx) {
  if (!ImGui::BeginPopup("##row-menu")) return;
  if (ImGui::IsWindowAppearing()) ctx.animating = true;  // drawn from its second frame
  const UiIntent rename{UiIntent::Kind::BeginRename, item.sessionId, item.title};
  if (ImGui::MenuItem("Rename")) ctx.emit(rename.kind, rename.target, rename.text);
  ctx.recordItem("rename:" + item.sessionId);
  reportItem("rename:" + item.sessionId, A11yRole::Button, "Rename chat " + item.title, rename);
  const UiIntent archive{UiIntent::Kind::ArchiveSession, item.sessionId, item.archived ? "unarchive" : "archive"};
  if (ImGui::MenuItem(item.archived ? "Unarchive" : "Archive")) ctx.emit(archive.kind, archive.target, archive.text);
  ctx.recordItem("archive:" + item.sessionId);
  reportItem("archive:" + item.sessionId, A11yRole::Button,
             std::string(item.archived ? "Unarchive" : "Archive") + " chat " + item.title, archive);
  // Deleting asks first (the sidebar's confirmation): the twin does what the click does.
  const bool clicked = ImGui::MenuItem("Delete...");
  if (reportItem("delete:" + item.sessionId, A11yRole::Button, "Delete chat " + item.title + "...") || clicked) {
    ui.confirmDeleteId = item.sessionId;
    ui.confirmDeleteTitle = item.title;
    ImGui::CloseCurrentPopup();
  }
  ctx.recordItem("delete:" + item.sessionId);
  ImGui::EndPopup();
}

// The title field's frame over the row; the DOM input covers the returned rect.
Rect drawRenameFrame(const FrameInput& in, ViewContext& ctx, ImVec2 pos, ImVec2 size) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 b(pos.x + size.x, pos.y + size.y);
  dl->AddRectFilled(pos, b, p.composerBackground, 6.0f);
  dl->AddRect(pos, b, p.composerFocused, 6.0f, 0, in.renameFocused ? 2.0f : 1.0f);
  ImGui::SetCursorScreenPos(pos);
  ImGui::Dummy(size);
  A11yControl box;
  box.id = "rename-field";
  box.role = A11yRole::Textbox;
  box.name = "Chat title";
  box.domId = "chat-field-rename";
  reportItem(std::move(box));
  return Rect{pos.x + 8.0f, pos.y + 2.0f, size.x - 16.0f, size.y - 4.0f};
}

}  // namespace

RowsResult drawSessionRows(const core::ChatState& state, const FrameInput& in, SidebarUi& ui,
                           ViewContext& ctx) {
  const Palette& p = ctx.pal();
  RowsResult result;
  const std::vector<SidebarItem> items = sidebarItems(state, ui.showArchived);
  const float rowH = ctx.target(ctx.sansMetrics.lineHeight + 14.0f);
  const float menuW = std::max(kMenuButtonW, ctx.minTarget);
  const float rowW = ImGui::GetContentRegionAvail().x;
  const float pad = 6.0f;
  if (items.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
    ImGui::SetCursorPos(ImVec2(pad, 4.0f));
    ImGui::TextUnformatted(state.sessionList.firstPageLoaded ? "No chats yet" : "Loading chats...");
    ImGui::PopStyleColor();
  }

  std::vector<int64_t> updatedAt;
  updatedAt.reserve(items.size());
  for (const SidebarItem& item : items) updatedAt.push_back(item.updatedAt);
  for (const core::DateSection& section : core::groupByDate(updatedAt, ctx.nowMs, in.utcOffsetMs)) {
    ImGui::SetCursorPosX(pad);
    ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
    ImGui::SetWindowFontScale(0.85f);
    ImGui::TextUnformatted(core::dateGroupLabel(section.group));
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    for (std::size_t n = section.first; n < section.first + section.count; ++n) {
      const SidebarItem& item = items[n];
      ImGui::PushID(item.sessionId.c_str());
      const ImVec2 rowPos = ImGui::GetCursorScreenPos();
      if (item.sessionId == in.renamingSessionId) {
        result.renameField = drawRenameFrame(in, ctx, rowPos, ImVec2(rowW, rowH));
        ImGui::PopID();
        continue;
      }
      const float titleW = rowW - menuW - 4.0f;
      const bool clicked = ImGui::Selectable("##session", item.current, ImGuiSelectableFlags_AllowOverlap,
                                             ImVec2(titleW, rowH));
      ctx.recordItem("session:" + item.sessionId);
      A11yState rowState;
      rowState.selected = item.current;
      // Its twin acts through the click's path (no intent): picking a chat also closes the drawer.
      if (reportItem("session:" + item.sessionId, A11yRole::Button,
                     item.archived ? item.title + " (archived)" : item.title, std::nullopt, rowState) ||
          clicked) {
        if (!item.current) ctx.emit(UiIntent::Kind::SwitchSession, item.sessionId);
        result.picked = true;
      }
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->PushClipRect(rowPos, ImVec2(rowPos.x + titleW, rowPos.y + rowH), true);
      const char* tag = item.archived ? "Archived" : nullptr;
      const float tagW = tag ? textWidth(tag, ctx.sansMetrics) * 0.8f + 8.0f : 0.0f;
      drawEllipsized(dl, ctx.sans, ctx.sansSize, ctx.sansMetrics,
                     ImVec2(rowPos.x + 8.0f, rowPos.y + (rowH - ctx.sansSize) * 0.5f),
                     item.current ? p.text : p.textMuted, item.title, titleW - 16.0f - tagW);
      if (tag) {
        dl->AddText(ctx.sans, ctx.sansSize * 0.8f,
                    ImVec2(rowPos.x + titleW - tagW, rowPos.y + (rowH - ctx.sansSize * 0.8f) * 0.5f),
                    p.textMuted, tag);
      }
      dl->PopClipRect();
      // The row's menu button: on every row, so the keyboard reaches it too.
      const float menuH = ctx.target(ctx.sansSize + 8.0f);
      ImGui::SetCursorScreenPos(ImVec2(rowPos.x + titleW + 4.0f, rowPos.y + (rowH - menuH) * 0.5f));
      const bool menuOpen = ImGui::IsPopupOpen("##row-menu");
      A11yState menuState;
      menuState.expanded = menuOpen ? 1 : 0;
      // Quiet until pointed at: a list of accent buttons would outshout the titles.
      ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.sidebarSelected);
      ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.sidebarSelected);
      ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
      const bool menuClicked = ImGui::Button("...##menu", ImVec2(menuW, menuH));
      ImGui::PopStyleColor(4);
      if (reportItem("session-menu:" + item.sessionId, A11yRole::Button, "More for chat " + item.title,
                     std::nullopt, menuState) || menuClicked) {
        ImGui::OpenPopup("##row-menu");
      }
      ctx.recordItem("session-menu:" + item.sessionId);
      drawRowMenu(item, ui, ctx);
      ImGui::SetCursorScreenPos(ImVec2(rowPos.x, rowPos.y + rowH + ImGui::GetStyle().ItemSpacing.y));
      ImGui::Dummy(ImVec2(0, 0));
      ImGui::PopID();
    }
  }

  // The next page: asked for when the end of the list comes near (or the list is too short to
  // scroll at all); the client asks once at a time.
  const core::SessionList& list = state.sessionList;
  if (!list.pendingPageId.empty() && list.firstPageLoaded) {
    ImGui::SetCursorPosX(pad);
    ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
    ImGui::TextUnformatted("Loading more...");
    ImGui::PopStyleColor();
  }
  // Where the rows end, measured from the top of what is visible (this frame's layout, so the
  // first frame of a new page already knows).
  const float endBelowTop = ImGui::GetCursorPosY() - ImGui::GetScrollY();
  if (list.firstPageLoaded && list.canLoadMore() && endBelowTop < 2.0f * ImGui::GetWindowHeight()) {
    ctx.emit(UiIntent::Kind::LoadMoreSessions);
  }
  return result;
}

}  // namespace chat::ui
