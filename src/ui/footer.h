// The status line under the composer: the session's token usage and cost on the right, the
// last connection-level error (or the keyboard hint) on the left.
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "core/net/connection_engine.h"
#include "ui/view_context.h"

namespace chat::ui {

float footerHeight(const ViewContext& ctx);

// "Tokens 1,234 in · 567 out · 1,801 total · $0.0123" (zeros for no session).
std::string usageText(const core::SessionState* session);

// The narrow-window form: "1,801 tokens · $0.0123".
std::string shortUsageText(const core::SessionState* session);

// The error the footer shows: the state's last error, except an "unauthorized" one once the
// gateway has accepted the credentials again (signed in from the page): it no longer applies.
// `signInShown`: the sign-in panel asks for credentials (and says what went wrong itself), so
// the footer repeats no "unauthorized".
std::string footerError(const std::string& lastError, net::Phase phase, bool signInShown = false);

void drawFooter(const core::ChatState& state, net::Phase phase, ViewContext& ctx, float width,
                bool signInShown = false);

}  // namespace chat::ui
