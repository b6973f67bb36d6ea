// The current chat's actions on its last exchange, in a slim bar above the composer:
// "Regenerate" (a new reply to the last user message), "Retry" when the last reply failed or
// was interrupted (e.g. "internal: interrupted by gateway restart"), "Edit" (the last user
// message goes back into the composer and is sent again as chat.edit), and while editing,
// "Cancel edit". Every variant stays in the transcript: the gateway logs them all.
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "ui/view_context.h"

namespace chat::ui {

struct LastExchange {
  std::string userMessageId;  // the last user message the gateway has ("" when none)
  std::string userText;
  bool replyFailed = false;   // its last reply ended in an error, was stopped, or never came
  bool busy = false;          // a reply is streaming (or the user message is still sending)
};

// Reads the last exchange from the timeline (pure).
LastExchange lastExchange(const core::SessionState& session);

// The bar's height for this frame (0: nothing to offer).
float sessionActionsHeight(const core::SessionState* session, const FrameInput& in, const ViewContext& ctx);

// Draws the bar at the cursor (its height is sessionActionsHeight's).
void drawSessionActions(const core::SessionState* session, const FrameInput& in, ViewContext& ctx);

}  // namespace chat::ui
