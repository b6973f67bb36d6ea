// Private helpers shared by the reducer and the intents: small edits of one SessionState that
// keep its by-id lookups and its timeline consistent. Every helper is O(log n) in the history
// length: none copies or scans the transcript.
#pragma once

#include <string>

#include "core/chat/chat_state.h"

namespace chat::core::detail {

// The key under which an assistant reply is indexed in messageById (see chat_state.h).
std::string replyKey(const std::string& requestId);

// The session with this id, created (empty, lastSeq 0) if absent.
SessionState& ensureSession(ChatState& state, const std::string& sessionId);

// Appends a message / card, indexes it under `key` and adds its timeline entry.
Message& appendMessage(SessionState& session, const std::string& key, Message message);
ToolCard& appendTool(SessionState& session, ToolCard card);
ApprovalCard& appendApproval(SessionState& session, ApprovalCard card);

// Moves the timeline entry of messages[index] to the end (the gateway logged it last).
// Scans back from the end: a local echo is almost always among the last few entries.
void moveMessageToEnd(SessionState& session, std::size_t index);

// Lookups: nullptr when absent.
Message* findMessage(SessionState& session, const std::string& key);
ToolCard* findTool(SessionState& session, const std::string& toolCallId);
ApprovalCard* findApproval(SessionState& session, const std::string& toolCallId);

// A user message with this client id in any session (sessions are few; each lookup is by id).
Message* findUserMessageAnywhere(ChatState& state, const std::string& id);

// The gateway has the user message: Sending or Failed becomes Sent. Returns true if it changed.
bool markUserMessageSent(Message& message);

// Gives an untitled session a title made from the first line of its first user message.
void defaultTitleFrom(SessionState& session, const std::string& text);

// The longest prefix of `text` of at most maxBytes that does not cut a UTF-8 sequence.
std::string utf8Prefix(const std::string& text, std::size_t maxBytes);

}  // namespace chat::core::detail
