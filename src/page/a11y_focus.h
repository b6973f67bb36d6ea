// Where the keyboard goes for "answer the approval" (Alt+A, page/composer_keys.h).
#pragma once

#include <string>

#include "core/chat/chat_state.h"

namespace chat::web {

// The toolCallId of the session's oldest approval still waiting for this user's answer (pending
// and not answered from here), or "" when none waits or `session` is null.
std::string oldestPendingApproval(const core::SessionState* session);

}  // namespace chat::web
