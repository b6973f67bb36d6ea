// The sidebar while its search field holds text: the results of session.search (titles first,
// then messages with a snippet), each opening its chat at the matching message.
#pragma once

#include "core/chat/chat_state.h"
#include "ui/view_context.h"

namespace chat::ui {

// Draws into the current (scrolling) child window; true when a result was picked.
bool drawSearchResults(const core::ChatState& state, const FrameInput& in, ViewContext& ctx);

}  // namespace chat::ui
