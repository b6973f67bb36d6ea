// The session sidebar: "New chat", the gateway's session list (plus the current session if the
// list does not have it yet), a refresh button. Emits NewChat, SwitchSession, RefreshSessions.
#pragma once

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
};

// The rows shown, in order: the list as the gateway sent it, the current session first if it
// is not in the list yet. Untitled sessions are called "New chat".
std::vector<SidebarItem> sidebarItems(const core::ChatState& state);

// Draws into the current window, filling `size`. Returns true when the user picked something
// (so an overlay sidebar can close itself).
// The theme switch's next setting: auto -> light -> dark -> auto.
const char* nextThemeChoice(const std::string& current);
// Its label, e.g. "Theme: Auto".
std::string themeSwitchLabel(const std::string& current);

bool drawSidebar(const core::ChatState& state, ViewContext& ctx, ImVec2 size);

}  // namespace chat::ui
