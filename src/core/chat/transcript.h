// Private helpers shared by the reducer and the intents: small edits of one SessionState that
// keep its by-id lookups and its timeline consistent. Every helper is O(log n) in the history
// length: none copies or scans the transcript.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/chat/effects.h"

namespace chat::core::detail {

// Collects the effects of one reducer step or intent. Every change of a drawn entry goes
// through revise(), which bumps the entry's revision and says so.
class Step {
 public:
  explicit Step(std::vector<Effect>& out) : out_(out) {}
  void revise(const SessionState& s, Message& m);
  void revise(const SessionState& s, ToolCard& t);
  void revise(const SessionState& s, ApprovalCard& a);
  void completed(const SessionState& s, const Message& m);
  void failed(const SessionState& s, const Message& m);
  void toolFinished(const SessionState& s, const ToolCard& t);
  void approvalRequested(const SessionState& s, const ApprovalCard& a);
  void approvalResolved(const SessionState& s, const ApprovalCard& a);
  // Sets the shown error (ErrorRaised) / clears it when `clears` says so (ErrorCleared).
  void raise(ChatState& state, ChatError error);
  template <typename Pred>
  void clearErrorIf(ChatState& state, Pred clears) {
    if (state.error && clears(*state.error)) {
      state.error.reset();
      out_.push_back(ErrorCleared{});
    }
  }
  void emit(Effect e) { out_.push_back(std::move(e)); }

 private:
  std::vector<Effect>& out_;
};

// Index of an element of one of the session's vectors, from its address.
std::size_t indexOf(const SessionState& s, const Message& m);
std::size_t indexOf(const SessionState& s, const ToolCard& t);
std::size_t indexOf(const SessionState& s, const ApprovalCard& a);

// The key under which an assistant reply is indexed in messageById (see chat_state.h).
std::string replyKey(const std::string& requestId);

// The session with this id, created (empty, lastSeq 0) if absent.
SessionState& ensureSession(ChatState& state, const std::string& sessionId);

// Appends a message / card, indexes it under `key` and adds its timeline entry (before the
// restored echoes held at the end).
Message& appendMessage(SessionState& session, const std::string& key, Message message);
ToolCard& appendTool(SessionState& session, ToolCard card);
ApprovalCard& appendApproval(SessionState& session, ApprovalCard card);

// Appends a restored echo at the very end, held there (Message::heldAtEnd) until released.
Message& appendHeldMessage(SessionState& session, Message message);

// Moves the timeline entry of messages[index] to the end (the gateway logged it last), before
// the echoes still held there; a held message is released. Scans back from the end: a local
// echo is almost always among the last few entries.
void moveMessageToEnd(SessionState& session, std::size_t index);

// Lookups: nullptr when absent.
Message* findMessage(SessionState& session, const std::string& key);
ToolCard* findTool(SessionState& session, const std::string& toolCallId);
ApprovalCard* findApproval(SessionState& session, const std::string& toolCallId);

// A user message with this client id in any session (sessions are few; each lookup is by id).
Message* findUserMessageAnywhere(ChatState& state, const std::string& id);

// A user message with this client id in any session, with its session.
std::pair<SessionState*, Message*> findUserMessageWithSession(ChatState& state, const std::string& id);

// The gateway has the user message: Sending or Failed becomes Sent (revised, completed).
// Returns true if it changed.
bool markUserMessageSent(Step& step, const SessionState& session, Message& message);

// Gives an untitled session a title made from the first line of its first user message.
void defaultTitleFrom(SessionState& session, const std::string& text);

// The longest prefix of `text` of at most maxBytes that does not cut a UTF-8 sequence.
std::string utf8Prefix(const std::string& text, std::size_t maxBytes);

}  // namespace chat::core::detail
