// ChatState: everything the UI draws, as plain data. Changed only by the reducer (reducer.h)
// and the intents (intents.h); the UI reads it and never mutates it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/chat/chat_error.h"
#include "core/chat/session_list.h"
#include "core/protocol/messages.h"

namespace chat::core {

enum class Role { User, Assistant, System, Error };

// Lifecycle of a message in the transcript.
//   user:      Sending (local echo, not acked) -> Sent (acked or echoed by the gateway)
//   assistant: Streaming from its first chat.stream.delta (its content is the text so far; its
//              place in the timeline is where that delta arrived) -> Complete once
//              chat.stream.end arrived (stopReason tells how it ended)
//   system/error: Complete
// The timeline follows the gateway's log order; a local echo moves to where the gateway's
// echo of it lands, so a reload (which replays the log) shows the same order.
enum class MessageStatus { Sending, Sent, Complete, Failed, Streaming };

enum class ToolStatus { Pending, Running, Completed, Error };

enum class ApprovalStatus { Pending, Approved, Denied };

struct Message {
  std::string id;         // user: the client message id; assistant: the requestId
  Role role = Role::User;
  MessageStatus status = MessageStatus::Complete;
  std::string content;
  int64_t timestamp = 0;  // ms since epoch
  // Assistant replies only:
  std::string requestId;
  std::string model;
  std::string stopReason;  // "end", "cancelled", "error"
  proto::Usage usage;
  std::optional<proto::Cost> cost;  // nullopt: the gateway does not know the model's price
  // The reply's reasoning (chat.stream.reasoning), shown as a "Thinking" block above its text:
  // collapsed until the user opens it (reasoningOpen, toggleThinking in intents.h).
  std::string reasoning;
  bool reasoningOpen = false;
  // User messages only: why the send failed (status Failed), "" otherwise.
  std::string error;
  // Restored from the persisted outbox after a reload: kept at the end of the timeline until
  // the gateway's echo places it (SessionState::heldAtEnd).
  bool heldAtEnd = false;
  // Bumped by every change of what is drawn (EntryRevised carries it): caches key on it.
  uint64_t revision = 1;

  // The reasoning is still growing: the reply streams and its text has not started.
  bool thinking() const {
    return status == MessageStatus::Streaming && content.empty() && !reasoning.empty();
  }
};

struct ToolCard {
  std::string toolCallId;
  std::string requestId;
  std::string toolName;
  nlohmann::json args = nlohmann::json::object();
  ToolStatus status = ToolStatus::Pending;
  std::string output;      // live tool.output deltas, concatenated
  nlohmann::json result;   // tool.result
  std::string error;       // tool.error
  int64_t startedAtSeq = 0;
  uint64_t revision = 1;   // as Message::revision
};

struct ApprovalCard {
  std::string toolCallId;
  std::string requestId;
  std::string toolName;
  nlohmann::json args = nlohmann::json::object();
  std::string risk;  // "low", "medium", "high" or ""
  ApprovalStatus status = ApprovalStatus::Pending;
  bool sessionApprove = false;
  bool responseSent = false;  // this client answered; waiting for tool.approval.resolved
  uint64_t revision = 1;      // as Message::revision
};

// The transcript is one ordered list of entries; each points at a message, tool card or
// approval card of the session, so the UI can draw them interleaved in arrival order.
enum class EntryKind { Message, Tool, Approval };
struct Entry {
  EntryKind kind = EntryKind::Message;
  std::size_t index = 0;  // into messages / tools / approvals
};

// The reply being streamed right now (at most one per session). Its text is in its message
// (messageById["reply:" + requestId]), created by the first delta; before that the reply has
// no message, so the turn's tool cards come first in the timeline.
struct Streaming {
  std::string requestId;
  std::string model;
  int64_t startedAtSeq = 0;
};

struct SessionState {
  std::string sessionId;
  std::string title;
  std::vector<Message> messages;
  std::vector<ToolCard> tools;
  std::vector<ApprovalCard> approvals;
  std::vector<Entry> timeline;
  std::optional<Streaming> streaming;
  // How many entries at the end of the timeline are restored echoes (Message::heldAtEnd).
  // New entries go in before them.
  std::size_t heldAtEnd = 0;
  int64_t lastSeq = 0;  // last applied seq
  proto::Usage totalUsage;
  proto::Cost totalCost;      // of the replies whose cost is known
  int64_t unpricedReplies = 0;  // replies whose cost is unknown (not in totalCost)
  // Lookups so applying an event is O(log n) whatever the history length.
  // messageById keys: user messages by their client id, assistant replies by
  // "reply:" + requestId (a reply's requestId IS its user message's id), errors by their id.
  std::map<std::string, std::size_t> messageById;
  std::map<std::string, std::size_t> toolById;
  std::map<std::string, std::size_t> approvalById;
  // The model the user picked for this session's turns (sent with chat.send); "" = the
  // gateway's default.
  std::string model;

  // The index in `messages` of the reply being streamed, or SIZE_MAX while there is none (no
  // stream, or its first delta has not arrived).
  std::size_t streamingReplyIndex() const {
    if (!streaming) return SIZE_MAX;
    auto it = messageById.find("reply:" + streaming->requestId);
    return it == messageById.end() || it->second >= messages.size() ? SIZE_MAX : it->second;
  }
  // The text streamed so far into the reply being streamed ("" when there is none).
  std::string streamingText() const {
    const std::size_t i = streamingReplyIndex();
    return i == SIZE_MAX ? std::string() : messages[i].content;
  }
};

struct ChatState {
  std::map<std::string, SessionState> sessions;
  std::string currentSessionId;  // "" until the gateway created or resumed one
  // The sidebar's chats (session_list.h), kept current by the list feed; and its search.
  SessionList sessionList;
  SessionSearch sessionSearch;
  std::string currentModel;
  // The models the gateway offers (model.list), its default first; empty until it answered.
  std::vector<std::string> models;
  std::string modelsError;  // why the gateway could not list its upstream's models ("" = none)
  // The error shown to the user, if any (chat_error.h says what clears it).
  std::optional<ChatError> error;

  const SessionState* current() const {
    auto it = sessions.find(currentSessionId);
    return it == sessions.end() ? nullptr : &it->second;
  }
  // The shown error's text ("" when there is none).
  std::string errorText() const { return error ? error->text() : std::string(); }
  const SessionState* session(const std::string& id) const {
    auto it = sessions.find(id);
    return it == sessions.end() ? nullptr : &it->second;
  }
};

}  // namespace chat::core
