// User intents: what the person did, turned into the next ChatState plus the client message
// to send, and what changed (effects.h), like the reducer. Ids are made by the caller (so tests
// are deterministic and the outbox owns them). A refusal is also the shown error (Refused).
#pragma once

#include <optional>
#include <string>

#include <vector>

#include "core/chat/chat_state.h"
#include "core/chat/effects.h"
#include "core/protocol/messages.h"

namespace chat::core {

struct IntentResult {
  ChatState state;
  std::optional<proto::ClientMessage> outgoing;  // nothing to send when error is set
  std::string error;                             // "" on success, else a user-facing reason
  std::vector<Effect> effects;
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
// Errors about the session left behind are cleared.
IntentResult switchSession(ChatState state, const std::string& id, const std::string& sessionId);

// Open or close the "Thinking" block (the reasoning) of the current session's reply to
// `requestId`. Local: nothing to send; refused when that reply has no reasoning.
IntentResult toggleThinking(ChatState state, const std::string& requestId);

// Pick the model of the current session's next turns ("" = the gateway's default). Local:
// chat.send carries it. Refused without a current session.
IntentResult chooseModel(ChatState state, const std::string& model);
// Ask the gateway for the models it offers (model.list).
IntentResult refreshModels(ChatState state, const std::string& id);

// After a reload: a chat.send still waiting in the persisted outbox is shown again as Sending,
// held at the end of its session until the gateway's echo places it. Nothing to send (the
// outbox resends it); refused if it is already shown.
IntentResult restorePendingSend(ChatState state, const proto::ChatSend& send, int64_t nowMs);

// The outbox refused to queue a message (e.g. full): the reason becomes the shown error, and a
// chat.send's local echo (if `id` names one still Sending) is marked Failed.
IntentResult refuseQueued(ChatState state, const std::string& id, const std::string& reason);

}  // namespace chat::core
