// Private to ChatClient: moving a message of a session's transcript, keeping messageById and
// the timeline consistent. Used for the `sending` echoes restored after a reload, which stay
// at the end of their session until the gateway's own echo (chat.message) places them.
#pragma once

#include <optional>
#include <string>

#include "core/chat/chat_state.h"

namespace chat::client {

// Removes the message indexed under `key` and returns it (nullopt if there is none). O(n).
std::optional<core::Message> detachMessage(core::SessionState& session, const std::string& key);

// Appends a message at the end of the transcript, indexed under its id.
void appendMessage(core::SessionState& session, core::Message message);

}  // namespace chat::client
