#include "core/chat/session_list_intents.h"

#include <utility>

#include "core/chat/message_text.h"
#include "core/chat/intent_result.h"
#include "core/chat/transcript.h"

namespace chat::core {

using detail::accept;
using detail::nothing;
using detail::refuse;

namespace {

// The protocol's bounds (PROTOCOL.md "The session list"), checked here so a refusal is said
// in words before anything is sent.
constexpr std::size_t kMaxTitleBytes = 800;
constexpr std::size_t kMaxQueryBytes = 500;




bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

IntentResult loadMoreSessions(ChatState state, const std::string& id, std::size_t pageSize) {
  SessionList& list = state.sessionList;
  if (!list.canLoadMore()) return nothing(std::move(state));
  proto::SessionListRequest request;
  request.id = id;
  request.limit = static_cast<int64_t>(pageSize);
  if (list.firstPageLoaded) request.cursor = list.nextCursor;
  // Archived chats come too: the sidebar's "Show archived" shows them without a new read.
  request.includeArchived = true;
  list.pendingPageId = id;
  return accept(std::move(state), std::move(request));
}

IntentResult watchSessions(ChatState state, const std::string& id) {
  proto::SessionWatch watch;
  watch.id = id;
  watch.afterChange = state.sessionList.lastChange;
  return accept(std::move(state), std::move(watch));
}

IntentResult renameSession(ChatState state, const std::string& id, const std::string& sessionId,
                           const std::string& title) {
  if (!detail::isValidSessionId(sessionId)) return refuse(std::move(state), "invalid session id");
  if (isBlank(title)) return refuse(std::move(state), "a title cannot be empty");
  if (title.size() > kMaxTitleBytes) return refuse(std::move(state), "a title is at most 800 bytes");
  proto::SessionRename rename;
  rename.id = id;
  rename.sessionId = sessionId;
  rename.title = title;
  return accept(std::move(state), std::move(rename));
}

IntentResult archiveSession(ChatState state, const std::string& id, const std::string& sessionId,
                            bool archived) {
  if (!detail::isValidSessionId(sessionId)) return refuse(std::move(state), "invalid session id");
  proto::SessionArchive archive;
  archive.id = id;
  archive.sessionId = sessionId;
  archive.archived = archived;
  return accept(std::move(state), std::move(archive));
}

IntentResult deleteSession(ChatState state, const std::string& id, const std::string& sessionId) {
  if (!detail::isValidSessionId(sessionId)) return refuse(std::move(state), "invalid session id");
  return accept(std::move(state), proto::SessionDelete{id, sessionId});
}

IntentResult searchSessions(ChatState state, const std::string& id, const std::string& query) {
  if (isBlank(query)) return clearSessionSearch(std::move(state));
  if (query.size() > kMaxQueryBytes) return refuse(std::move(state), "a search is at most 500 bytes");
  SessionSearch& search = state.sessionSearch;
  search.query = query;
  search.pendingId = id;  // an answer to an earlier query is ignored from now on
  search.error.clear();
  proto::SessionSearchRequest request;
  request.id = id;
  request.query = query;
  return accept(std::move(state), std::move(request));
}

IntentResult clearSessionSearch(ChatState state) {
  state.sessionSearch = SessionSearch{};
  return nothing(std::move(state));
}

IntentResult regenerateReply(ChatState state, const std::string& id) {
  const SessionState* session = state.current();
  if (session == nullptr || session->messages.empty()) {
    return refuse(std::move(state), "no message to answer again");
  }
  if (session->streaming) return refuse(std::move(state), "a reply is still streaming: stop it first");
  proto::ChatRegenerate regenerate{id, state.currentSessionId};  // before the state moves on
  return accept(std::move(state), std::move(regenerate));
}

IntentResult editLastMessage(ChatState state, const std::string& id, const std::string& messageId,
                             const std::string& text, int64_t nowMs) {
  if (state.currentSessionId.empty()) return refuse(std::move(state), "no session");
  if (std::string reason = detail::validateMessageText(text); !reason.empty()) {
    return refuse(std::move(state), std::move(reason));
  }
  SessionState& session = detail::ensureSession(state, state.currentSessionId);
  if (session.streaming) return refuse(std::move(state), "a reply is still streaming: stop it first");
  if (detail::findMessage(session, id) != nullptr) return refuse(std::move(state), "duplicate message id");
  // The edited message shows at once, as a send does; the gateway's echo (messageId = id)
  // confirms it, and the original stays where it was.
  Message m;
  m.id = id;
  m.role = Role::User;
  m.status = MessageStatus::Sending;
  m.content = text;
  m.timestamp = nowMs;
  detail::appendMessage(session, id, std::move(m));
  proto::ChatEdit edit;
  edit.id = id;
  edit.sessionId = state.currentSessionId;
  edit.messageId = messageId;
  edit.content = text;
  return accept(std::move(state), std::move(edit));
}

}  // namespace chat::core
