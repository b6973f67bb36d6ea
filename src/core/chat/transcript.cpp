#include "core/chat/transcript.h"

#include <algorithm>
#include <utility>

namespace chat::core::detail {

namespace {

constexpr std::size_t kTitleMaxBytes = 60;

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// A UTF-8 continuation byte (10xxxxxx) never starts a character.
bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

void Step::revise(const SessionState& s, Message& m) {
  out_.push_back(EntryRevised{s.sessionId, EntryKind::Message, indexOf(s, m), ++m.revision});
}
void Step::revise(const SessionState& s, ToolCard& t) {
  out_.push_back(EntryRevised{s.sessionId, EntryKind::Tool, indexOf(s, t), ++t.revision});
}
void Step::revise(const SessionState& s, ApprovalCard& a) {
  out_.push_back(EntryRevised{s.sessionId, EntryKind::Approval, indexOf(s, a), ++a.revision});
}
void Step::completed(const SessionState& s, const Message& m) {
  out_.push_back(MessageCompleted{s.sessionId, indexOf(s, m)});
}
void Step::failed(const SessionState& s, const Message& m) {
  out_.push_back(MessageFailed{s.sessionId, indexOf(s, m)});
}
void Step::toolFinished(const SessionState& s, const ToolCard& t) {
  out_.push_back(ToolFinished{s.sessionId, indexOf(s, t)});
}
void Step::approvalRequested(const SessionState& s, const ApprovalCard& a) {
  out_.push_back(ApprovalRequested{s.sessionId, indexOf(s, a)});
}
void Step::approvalResolved(const SessionState& s, const ApprovalCard& a) {
  out_.push_back(ApprovalResolved{s.sessionId, indexOf(s, a)});
}
void Step::raise(ChatState& state, ChatError error) {
  state.error = error;
  out_.push_back(ErrorRaised{std::move(error)});
}

std::size_t indexOf(const SessionState& s, const Message& m) {
  return static_cast<std::size_t>(&m - s.messages.data());
}
std::size_t indexOf(const SessionState& s, const ToolCard& t) {
  return static_cast<std::size_t>(&t - s.tools.data());
}
std::size_t indexOf(const SessionState& s, const ApprovalCard& a) {
  return static_cast<std::size_t>(&a - s.approvals.data());
}

std::string replyKey(const std::string& requestId) { return "reply:" + requestId; }

namespace {

// New entries go before the restored echoes held at the end.
void addEntry(SessionState& session, Entry e) {
  auto& t = session.timeline;
  t.insert(t.end() - static_cast<std::ptrdiff_t>(std::min(session.heldAtEnd, t.size())), e);
}

}  // namespace

SessionState& ensureSession(ChatState& state, const std::string& sessionId) {
  auto it = state.sessions.find(sessionId);
  if (it == state.sessions.end()) {
    it = state.sessions.emplace(sessionId, SessionState{}).first;
    it->second.sessionId = sessionId;
  }
  return it->second;
}

Message& appendMessage(SessionState& session, const std::string& key, Message message) {
  const std::size_t index = session.messages.size();
  session.messages.push_back(std::move(message));
  session.messageById[key] = index;
  addEntry(session, Entry{EntryKind::Message, index});
  return session.messages.back();
}

Message& appendHeldMessage(SessionState& session, Message message) {
  const std::size_t index = session.messages.size();
  message.heldAtEnd = true;
  session.messageById[message.id] = index;
  session.messages.push_back(std::move(message));
  session.timeline.push_back(Entry{EntryKind::Message, index});
  ++session.heldAtEnd;
  return session.messages.back();
}

ToolCard& appendTool(SessionState& session, ToolCard card) {
  const std::size_t index = session.tools.size();
  session.toolById[card.toolCallId] = index;
  session.tools.push_back(std::move(card));
  addEntry(session, Entry{EntryKind::Tool, index});
  return session.tools.back();
}

ApprovalCard& appendApproval(SessionState& session, ApprovalCard card) {
  const std::size_t index = session.approvals.size();
  session.approvalById[card.toolCallId] = index;
  session.approvals.push_back(std::move(card));
  addEntry(session, Entry{EntryKind::Approval, index});
  return session.approvals.back();
}

void moveMessageToEnd(SessionState& session, std::size_t index) {
  auto& t = session.timeline;
  if (index < session.messages.size() && session.messages[index].heldAtEnd) {
    session.messages[index].heldAtEnd = false;
    if (session.heldAtEnd > 0) --session.heldAtEnd;
  }
  for (std::size_t i = t.size(); i-- > 0;) {
    if (t[i].kind == EntryKind::Message && t[i].index == index) {
      const Entry e = t[i];
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(i));
      addEntry(session, e);
      return;
    }
  }
}

Message* findMessage(SessionState& session, const std::string& key) {
  auto it = session.messageById.find(key);
  if (it == session.messageById.end() || it->second >= session.messages.size()) return nullptr;
  return &session.messages[it->second];
}

ToolCard* findTool(SessionState& session, const std::string& toolCallId) {
  auto it = session.toolById.find(toolCallId);
  if (it == session.toolById.end() || it->second >= session.tools.size()) return nullptr;
  return &session.tools[it->second];
}

ApprovalCard* findApproval(SessionState& session, const std::string& toolCallId) {
  auto it = session.approvalById.find(toolCallId);
  if (it == session.approvalById.end() || it->second >= session.approvals.size()) return nullptr;
  return &session.approvals[it->second];
}

std::pair<SessionState*, Message*> findUserMessageWithSession(ChatState& state,
                                                              const std::string& id) {
  // The current session first: that is where the user just typed.
  auto current = state.sessions.find(state.currentSessionId);
  if (current != state.sessions.end()) {
    Message* m = findMessage(current->second, id);
    if (m != nullptr && m->role == Role::User) return {&current->second, m};
  }
  for (auto& [sessionId, session] : state.sessions) {
    if (sessionId == state.currentSessionId) continue;
    Message* m = findMessage(session, id);
    if (m != nullptr && m->role == Role::User) return {&session, m};
  }
  return {nullptr, nullptr};
}

Message* findUserMessageAnywhere(ChatState& state, const std::string& id) {
  return findUserMessageWithSession(state, id).second;
}

bool markUserMessageSent(Step& step, const SessionState& session, Message& message) {
  if (message.status != MessageStatus::Sending && message.status != MessageStatus::Failed) {
    return false;
  }
  message.status = MessageStatus::Sent;
  message.error.clear();
  step.revise(session, message);
  step.completed(session, message);
  return true;
}

void defaultTitleFrom(SessionState& session, const std::string& text) {
  if (!session.title.empty()) return;
  std::size_t begin = 0;
  while (begin < text.size() && isAsciiSpace(text[begin])) ++begin;
  std::size_t end = text.find('\n', begin);
  if (end == std::string::npos) end = text.size();
  while (end > begin && isAsciiSpace(text[end - 1])) --end;
  session.title = utf8Prefix(text.substr(begin, end - begin), kTitleMaxBytes);
}

std::string utf8Prefix(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  std::size_t cut = maxBytes;
  // Step back to the start of the character the cut would split.
  while (cut > 0 && isContinuationByte(text[cut])) --cut;
  return text.substr(0, cut);
}

}  // namespace chat::core::detail
