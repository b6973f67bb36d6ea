// User intents: what the person did, turned into the next ChatState plus the client message
// to send. Ids are made by the caller (so tests are deterministic and the outbox owns them).
#pragma once

#include <optional>
#include <string>

#include "core/chat/chat_state.h"
#include "core/protocol/messages.h"

namespace chat::core {

struct IntentResult {
  ChatState state;
  std::optional<proto::ClientMessage> outgoing;  // nothing to send when error is set
  std::string error;                             // "" on success, else a user-facing reason
};

// Send: the message appears at once in the current session as Sending (local echo).
IntentResult sendMessage(ChatState state, const std::string& id, const std::string& text,
                         int64_t nowMs);
// Stop the active stream of the current session.
IntentResult cancelStream(ChatState state, const std::string& id);
// Answer an approval card: approve, deny, or approve for the rest of the session.
IntentResult approveTool(ChatState state, const std::string& id, const std::string& toolCallId);
IntentResult denyTool(ChatState state, const std::string& id, const std::string& toolCallId);
IntentResult approveToolForSession(ChatState state, const std::string& id,
                                   const std::string& toolCallId);
// Switch to another (or a new, client-named) session; emits session.resume from its lastSeq.
IntentResult switchSession(ChatState state, const std::string& id, const std::string& sessionId);

// The outbox reported a failure to queue (e.g. full): mark the local echo Failed.
ChatState markSendFailed(ChatState state, const std::string& id, const std::string& reason);
// The gateway acked a client message: a Sending user message becomes Sent.
ChatState markAcked(ChatState state, const std::string& id);

}  // namespace chat::core
