// The session list's steps: rows kept in the gateway's order, stale news dropped by change
// number (see session_list.h).
#include "core/chat/session_list.h"

#include <algorithm>
#include <iterator>

namespace chat::core {

namespace {

constexpr const char* kKindNames[] = {"created",  "retitled",   "updated",
                                      "archived", "unarchived", "deleted"};

// The gateway's list order: newest update first, then by id (session_catalog.cpp).
bool comesBefore(const proto::SessionInfo& a, const proto::SessionInfo& b) {
  if (a.updatedAt != b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.sessionId < b.sessionId;
}

std::vector<proto::SessionInfo>::iterator findRow(SessionList& list, const std::string& id) {
  return std::find_if(list.rows.begin(), list.rows.end(),
                      [&](const proto::SessionInfo& r) { return r.sessionId == id; });
}

// Replaces (or adds) the row of `info.sessionId`, at its place in the order.
void upsert(SessionList& list, const proto::SessionInfo& info) {
  auto old = findRow(list, info.sessionId);
  if (old != list.rows.end()) list.rows.erase(old);
  auto at = std::lower_bound(list.rows.begin(), list.rows.end(), info, comesBefore);
  list.rows.insert(at, info);
}

// True when the news numbered `seq` about `id` is older than what the list reflects (a
// deleted row's tombstone included: a page that still has it was read before the deletion).
bool isStale(const SessionList& list, const std::string& id, int64_t seq) {
  auto it = list.knownAt.find(id);
  return it != list.knownAt.end() && it->second > seq;
}

void noteKnown(SessionList& list, const std::string& id, int64_t seq) {
  int64_t& known = list.knownAt[id];
  known = std::max(known, seq);
}

}  // namespace

bool parseListChangeKind(const std::string& name, ListChangeKind* out) {
  for (std::size_t i = 0; i < std::size(kKindNames); ++i) {
    if (name == kKindNames[i]) {
      *out = static_cast<ListChangeKind>(i);
      return true;
    }
  }
  return false;
}

const char* listChangeKindName(ListChangeKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < std::size(kKindNames) ? kKindNames[i] : "";
}

const proto::SessionInfo* SessionList::find(const std::string& sessionId) const {
  auto it = std::find_if(rows.begin(), rows.end(),
                         [&](const proto::SessionInfo& r) { return r.sessionId == sessionId; });
  return it == rows.end() ? nullptr : &*it;
}

bool SessionList::wasDeleted(const std::string& sessionId) const {
  return knownAt.count(sessionId) != 0 && find(sessionId) == nullptr;
}

ListStep applyListPage(SessionList& list, const ListPage& page) {
  ListStep step;
  for (const proto::SessionInfo& info : page.sessions) {
    if (info.sessionId.empty() || isStale(list, info.sessionId, page.lastChange)) continue;
    noteKnown(list, info.sessionId, page.lastChange);
    upsert(list, info);
    step.applied = true;
  }
  if (page.requestId.empty() || page.requestId != list.pendingPageId) return step;
  list.pendingPageId.clear();
  if (!list.firstPageLoaded) {
    list.firstPageLoaded = true;
    list.lastChange = std::max(list.lastChange, page.lastChange);
  }
  list.nextCursor = page.nextCursor;
  if (!page.sessions.empty()) list.boundary = page.sessions.back();
  step.applied = true;
  return step;
}

void listPageFailed(SessionList& list, const std::string& requestId) {
  if (!requestId.empty() && requestId == list.pendingPageId) list.pendingPageId.clear();
}

ListStep applyListChange(SessionList& list, const ListChange& change) {
  ListStep step;
  const std::string& id = change.session.sessionId;
  if (id.empty() || change.changeSeq <= 0) return step;
  list.lastChange = std::max(list.lastChange, change.changeSeq);
  auto known = list.knownAt.find(id);
  if (known != list.knownAt.end() && known->second >= change.changeSeq) return step;
  list.knownAt[id] = change.changeSeq;
  step.applied = true;
  auto row = findRow(list, id);
  if (change.kind == ListChangeKind::Deleted) {
    if (row != list.rows.end()) {
      step.removedId = id;
      step.removedIndex = static_cast<std::size_t>(row - list.rows.begin());
      list.rows.erase(row);
    }
    return step;
  }
  // A row older than the pages read so far comes with its page (which reflects this change).
  const bool beyondLoaded = row == list.rows.end() && list.nextCursor && list.boundary &&
                            comesBefore(*list.boundary, change.session);
  if (!beyondLoaded) upsert(list, change.session);
  return step;
}

std::string sessionAfterRemoval(const SessionList& list, std::size_t removedIndex) {
  const std::vector<proto::SessionInfo>& rows = list.rows;
  for (std::size_t i = removedIndex; i < rows.size(); ++i) {
    if (!rows[i].archived) return rows[i].sessionId;
  }
  for (std::size_t i = std::min(removedIndex, rows.size()); i > 0; --i) {
    if (!rows[i - 1].archived) return rows[i - 1].sessionId;
  }
  return std::string();
}

}  // namespace chat::core
