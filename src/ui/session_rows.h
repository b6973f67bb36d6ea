// The sidebar's chat rows: date-group headings (Today, Yesterday, Previous 7 days, Older), one
// row per chat with its menu (Rename, Archive / Unarchive, Delete...), the title field of the
// row being renamed, and the next page asked for when the list is scrolled near its end.
#pragma once

#include "core/chat/chat_state.h"
#include "ui/sidebar.h"
#include "ui/view_context.h"

namespace chat::ui {

struct RowsResult {
  bool picked = false;  // a chat was picked (an overlay sidebar closes)
  Rect renameField;     // where the rename field goes (w = 0: no row is being renamed)
};

// Draws into the current (scrolling) child window.
RowsResult drawSessionRows(const core::ChatState& state, const FrameInput& in, SidebarUi& ui,
                           ViewContext& ctx);

}  // namespace chat::ui
