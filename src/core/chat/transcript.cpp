#include "core/chat/transcript.h"

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

std::string replyKey(const std::string& requestId) { return "reply:" + requestId; }

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
  session.timeline.push_back(Entry{EntryKind::Message, index});
  return session.messages.back();
}

ToolCard& appendTool(SessionState& session, ToolCard card) {
  const std::size_t index = session.tools.size();
  session.toolById[card.toolCallId] = index;
  session.tools.push_back(std::move(card));
  session.timeline.push_back(Entry{EntryKind::Tool, index});
  return session.tools.back();
}

ApprovalCard& appendApproval(SessionState& session, ApprovalCard card) {
  const std::size_t index = session.approvals.size();
  session.approvalById[card.toolCallId] = index;
  session.approvals.push_back(std::move(card));
  session.timeline.push_back(Entry{EntryKind::Approval, index});
  return session.approvals.back();
}

void moveMessageToEnd(SessionState& session, std::size_t index) {
  auto& t = session.timeline;
  for (std::size_t i = t.size(); i-- > 0;) {
    if (t[i].kind == EntryKind::Message && t[i].index == index) {
      const Entry e = t[i];
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(i));
      t.push_back(e);
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

Message* findUserMessageAnywhere(ChatState& state, const std::string& id) {
  // The current session first: that is where the user just typed.
  auto current = state.sessions.find(state.currentSessionId);
  if (current != state.sessions.end()) {
    Message* m = findMessage(current->second, id);
    if (m != nullptr && m->role == Role::User) return m;
  }
  for (auto& [sessionId, session] : state.sessions) {
    if (sessionId == state.currentSessionId) continue;
    Message* m = findMessage(session, id);
    if (m != nullptr && m->role == Role::User) return m;
  }
  return nullptr;
}

bool markUserMessageSent(Message& message) {
  if (message.status != MessageStatus::Sending && message.status != MessageStatus::Failed) {
    return false;
  }
  message.status = MessageStatus::Sent;
  message.error.clear();
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
