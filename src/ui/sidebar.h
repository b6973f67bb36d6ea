// The session sidebar: "+ New chat", the search field, the chats in date groups (Today,
// Yesterday, Previous 7 days, Older) with a menu per row (Rename, Archive / Unarchive,
// Delete with a confirmation), the "Show archived" toggle, search results while the search
// field holds text, and the theme switch. The list is kept current by the session feed (no
// refresh button); scrolling near its end asks for the next page (LoadMoreSessions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "ui/view_context.h"

namespace chat::ui {

constexpr float kNarrowWidth = 640.0f;  // below this (CSS px) the sidebar collapses

struct SidebarItem {
  std::string sessionId;
  std::string title;  // shown; never empty
  bool current = false;
  bool archived = false;
  int64_t updatedAt = 0;
};

// The rows shown, in order: the loaded list (archived chats only with `showArchived`), the
// current session first if the list does not have it yet (a new chat before its first
// message). Untitled sessions are called "New chat".
std::vector<SidebarItem> sidebarItems(const core::ChatState& state, bool showArchived = false);

// The sidebar's own state between frames (kept by the view).
struct SidebarUi {
  bool showArchived = false;
  std::string confirmDeleteId;  // the chat whose deletion is being confirmed ("" when none)
  std::string confirmDeleteTitle;
};

// Where the app lays the DOM fields (w = 0: not drawn), and whether the user picked something
// (so an overlay sidebar can close itself).
struct SidebarResult {
  bool picked = false;
  Rect searchField;
  Rect renameField;
};

// The theme switch's next setting: auto -> light -> dark -> auto.
const char* nextThemeChoice(const std::string& current);
// Its label, e.g. "Theme: Auto".
std::string themeSwitchLabel(const std::string& current);

// Draws into the current window, filling `size`.
SidebarResult drawSidebar(const core::ChatState& state, const FrameInput& in, SidebarUi& ui,
                          ViewContext& ctx, ImVec2 size);

}  // namespace chat::ui
