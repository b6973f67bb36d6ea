#include "core/chat/session_list_reduce.h"

#include <utility>

namespace chat::core::detail {

namespace {

// The gateway's titles win over the ones made from the first message (and a rename shows in
// the header at once).
void syncTitle(ChatState& state, const proto::SessionInfo& info) {
  auto it = state.sessions.find(info.sessionId);
  if (it != state.sessions.end() && !info.title.empty()) it->second.title = info.title;
}

}  // namespace

bool applyListMessage(ChatState& state, const proto::SessionList& m) {
  const ListStep step =
      applyListPage(state.sessionList, ListPage{m.requestId, m.sessions, m.lastChange, m.nextCursor});
  for (const proto::SessionInfo& info : m.sessions) {
    if (const proto::SessionInfo* kept = state.sessionList.find(info.sessionId)) syncTitle(state, *kept);
  }
  return step.applied;
}

bool applyListMessage(ChatState& state, const proto::SessionChanged& m, Step& step) {
  ListChange change;
  change.changeSeq = m.changeSeq;
  if (!parseListChangeKind(m.change, &change.kind)) return false;  // the codec admits only known kinds
  change.session = m.session;
  const ListStep done = applyListChange(state.sessionList, change);
  if (!done.applied) return false;
  if (change.kind != ListChangeKind::Deleted) {
    syncTitle(state, m.session);
    return true;
  }
  const std::string& id = m.session.sessionId;
  if (id == state.currentSessionId) {
    // Its row may not be loaded (a chat opened by its address): the next is then the newest.
    const std::size_t at = done.removedId.empty() ? 0 : done.removedIndex;
    step.emit(CurrentSessionDeleted{id, sessionAfterRemoval(state.sessionList, at)});
  } else {
    state.sessions.erase(id);  // its transcript is gone from the gateway too
  }
  return true;
}

bool applyListMessage(ChatState& state, const proto::SessionSearchResult& m) {
  SessionSearch& search = state.sessionSearch;
  if (m.requestId != search.pendingId) return false;  // the answer to an older query
  search.pendingId.clear();
  search.query = m.query;
  search.results = m.results;
  search.error.clear();
  return true;
}

void listRequestFailed(ChatState& state, const std::string& requestId, const std::string& text) {
  listPageFailed(state.sessionList, requestId);
  SessionSearch& search = state.sessionSearch;
  if (!requestId.empty() && requestId == search.pendingId) {
    search.pendingId.clear();
    search.results.clear();
    search.error = "Search failed: " + text;
  }
}

}  // namespace chat::core::detail
