// Where the session list lives, as the session manager, the list channel of the WebSocket and
// GET /api/session-changes see it: pages of sessions, the numbered feed of list changes, what
// users do to the list (rename, archive, delete, search) and the two reads a regenerate or an
// edit needs. Two implementations with the same promises:
//   - SessionCatalog (session_catalog.h): the event log's SQLite file, kept by its appends
//     (the default, one process);
//   - redis::RedisSessionList (redis/redis_session_list.h): the Redis keys the append script
//     keeps, shared by every node of a --redis deployment.
// The feed: every session has ONE latest change, numbered by one counter; changesAfter(N) is,
// in order, the latest change of every session that changed after N (a deleted session keeps
// its "deleted" change as the tombstone that tells clients that were away).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/protocol/messages.h"

namespace chat::gateway {

// One list change as sent to clients (session.changed: changeSeq, change, session; only the
// session's id for a "deleted" change).
using SessionChange = proto::SessionChanged;

struct SessionPage {
  std::vector<proto::SessionInfo> sessions;  // most recently updated first
  std::optional<std::string> nextCursor;     // none: this was the last page
  int64_t lastChange = 0;  // the feed's number when the page was read: watch from here
};

// One search hit (session.search's results[]): match "title" (the title matched) or "message"
// (then seq, messageId, role and snippet say which message: a user message's chat.message, or
// a reply's chat.stream.start and requestId).
using SearchHit = proto::SearchResult;

// The user message a regenerate answers again (or an edit replaces), with the model of the
// latest reply.
struct LastUserMessage {
  std::string messageId;
  std::string content;
  std::string model;  // "" when no reply started yet
};

class SessionListStore {
 public:
  static constexpr std::size_t kMaxPage = proto::rule::kMaxListPage;
  static constexpr std::size_t kMaxTitleChars = 200;

  virtual ~SessionListStore() = default;

  // --- reads (throw on a storage error) ---
  virtual int64_t lastChange() = 0;
  virtual std::vector<SessionChange> changesAfter(int64_t afterChange, std::size_t limit) = 0;
  // `cursor` from the previous page's nextCursor (none: the first page). Throws
  // std::invalid_argument for a cursor this store did not make.
  virtual SessionPage listPage(const std::optional<std::string>& cursor, std::size_t limit,
                               bool includeArchived) = 0;
  virtual bool isDeleted(const std::string& sessionId) = 0;
  virtual std::optional<LastUserMessage> lastUserMessage(const std::string& sessionId) = 0;
  // Titles (substring, any case of ASCII) first, then message text.
  virtual std::vector<SearchHit> search(const std::string& query, std::size_t limit) = 0;

  // --- writes, atomic each; false when no such session exists ---
  virtual bool rename(const std::string& sessionId, const std::string& title, int64_t nowMs) = 0;
  virtual bool setArchived(const std::string& sessionId, bool archived, int64_t nowMs) = 0;
  // Removes the session's events (unreadable from then on, later appends dropped), its turns,
  // approvals and search text; keeps the tombstone.
  virtual bool remove(const std::string& sessionId) = 0;

  // True once since the last call when the feed may have moved (the publisher reads it only
  // then).
  virtual bool takeChangedFlag() = 0;
  // Called (on the thread of the io_context the store was given, if any) when a change made
  // elsewhere (another node) may have moved the feed. Stores that only learn of changes
  // through this process's commits never call it.
  virtual void onExternalChange(std::function<void()> handler) { (void)handler; }
};

}  // namespace chat::gateway
