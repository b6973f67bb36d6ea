// The status line under the composer: the session's token usage and cost on the right, the
// current error (or the keyboard hint) on the left.
#pragma once

#include <optional>
#include <string>

#include "core/chat/chat_state.h"
#include "ui/view_context.h"

namespace chat::ui {

float footerHeight(const ViewContext& ctx);

// "Tokens 1,234 in · 567 out · 1,801 total · $0.0123" (zeros for no session).
std::string usageText(const core::SessionState* session);

// The narrow-window form: "1,801 tokens · $0.0123".
std::string shortUsageText(const core::SessionState* session);

// The error the footer shows: the state's error while it lives (the reducer clears it, e.g. an
// "unauthorized" one on auth.ok), "" when there is none. `signInShown`: the sign-in panel asks
// for credentials (and says what went wrong itself), so the footer repeats no Unauthorized one.
std::string footerError(const std::optional<core::ChatError>& error, bool signInShown = false);

void drawFooter(const core::ChatState& state, ViewContext& ctx, float width, bool signInShown = false);

}  // namespace chat::ui
