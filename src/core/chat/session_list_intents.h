// User intents about the session list and the current chat's last exchange, like intents.h:
// each turns what the person did into the next ChatState plus the client message to send.
// "Nothing to do" (e.g. a page already being read) is a result with neither message nor error.
#pragma once

#include <cstddef>
#include <string>

#include "core/chat/intents.h"

namespace chat::core {

constexpr std::size_t kSessionPageSize = 50;

// The next page of the list (the first one when none was read): session.list with the cursor.
IntentResult loadMoreSessions(ChatState state, const std::string& id, std::size_t pageSize = kSessionPageSize);
// Watch the list feed from the last change applied (after each sign-in of a socket).
IntentResult watchSessions(ChatState state, const std::string& id);
IntentResult renameSession(ChatState state, const std::string& id, const std::string& sessionId,
                           const std::string& title);
IntentResult archiveSession(ChatState state, const std::string& id, const std::string& sessionId,
                            bool archived);
IntentResult deleteSession(ChatState state, const std::string& id, const std::string& sessionId);
// Search titles and messages; the answer replaces the results of any earlier query.
IntentResult searchSessions(ChatState state, const std::string& id, const std::string& query);
// The search field was emptied: no results shown, a late answer ignored.
IntentResult clearSessionSearch(ChatState state);
// A new reply to the current chat's last user message (regenerate, or retry a failed one).
IntentResult regenerateReply(ChatState state, const std::string& id);
// Sends `text` in place of the current chat's last user message `messageId` (chat.edit). Shown
// at once as Sending, like a send; the original stays in the transcript.
IntentResult editLastMessage(ChatState state, const std::string& id, const std::string& messageId,
                             const std::string& text, int64_t nowMs);

}  // namespace chat::core
