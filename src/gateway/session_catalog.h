// The session list as a numbered feed, plus what users do to the list: page through it, rename,
// archive, delete, search: the SQLite SessionListStore (session_list_store.h, the default; with
// --redis the nodes share redis/redis_session_list.h instead). Lives in the event log's
// database (additive tables, created when missing, so older files open as is):
//
// - session_changes: one row per session ever seen, holding its LATEST list change and that
//   change's number. The numbers come from one gateway-wide counter (MAX + 1 inside the write
//   transaction, so every process sharing the file keeps them unique and increasing). A client
//   that saw changes up to N asks for the changes after N and gets, in order, the latest change
//   of every session that changed since: the list, caught up, however long it was away. A
//   deleted session keeps its row (kind "deleted") as the tombstone that tells those clients.
//   Streamed deltas and tool output are not list changes (lastSeq in the feed is as of the
//   session's last other event); every other session event is an "updated".
// - message_search: SQLite FTS5 over the user messages (at their chat.message) and the
//   assistant replies (their deltas joined, at their chat.stream.end), pointing at the message.
//
// The event log calls onEvent()/onAppended() inside its append transaction, so the list and
// the index are committed with the events that changed them. The other writes run their own
// transaction. Thread-safe through the event log's lock (`lock`, shared: the gateway commits on
// a worker thread, commit_worker.h, and calls the rest from the network thread).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/protocol/messages.h"
#include "gateway/event_log.h"
#include "gateway/session_list_store.h"

namespace chat::gateway {

class SqliteStatement;

class SessionCatalog : public SessionListStore {
 public:
  // Creates the tables when missing (throws EventLogError when it cannot).
  explicit SessionCatalog(sqlite3* db, std::recursive_mutex* lock = nullptr);
  ~SessionCatalog() override;
  SessionCatalog(const SessionCatalog&) = delete;
  SessionCatalog& operator=(const SessionCatalog&) = delete;

  // --- inside the event log's append transaction ---
  // False for a deleted session: its events are dropped (a turn still ending after a delete).
  bool acceptsEvents(const std::string& sessionId);
  void onEvent(const std::string& sessionId, int64_t seq, const proto::GatewayMessage& event);
  void onAppended(const std::string& sessionId, bool created, bool retitled);
  // The append transaction was rolled back: what onEvent gathered from it is forgotten.
  void onRolledBack();

  // --- reads ---
  int64_t lastChange() override;
  std::vector<SessionChange> changesAfter(int64_t afterChange, std::size_t limit) override;
  // `cursor` from the previous page's nextCursor (none: the first page). Throws
  // std::invalid_argument for a cursor this catalog did not make.
  SessionPage listPage(const std::optional<std::string>& cursor, std::size_t limit,
                       bool includeArchived) override;
  bool isDeleted(const std::string& sessionId) override;
  std::optional<LastUserMessage> lastUserMessage(const std::string& sessionId) override;
  // Titles (substring, any case of ASCII) first, then message text (FTS5, best first).
  std::vector<SearchHit> search(const std::string& query, std::size_t limit) override;

  // --- writes (each its own transaction); false when no such session exists ---
  bool rename(const std::string& sessionId, const std::string& title, int64_t nowMs) override;
  bool setArchived(const std::string& sessionId, bool archived, int64_t nowMs) override;
  // Removes the session's events, its turns, approvals and index rows; keeps the tombstone.
  bool remove(const std::string& sessionId) override;

  // True once since the last call when this catalog wrote a list change (the publisher reads
  // the feed only then).
  bool takeChangedFlag() override;

  // The FTS5 query for what a user typed: every word quoted (operators stay text), the last
  // one a prefix. Empty when there is no word.
  static std::string ftsQuery(const std::string& typed);

 private:
  SqliteStatement& stmt(int slot, const char* sql);
  void exec(const char* sql);
  void indexExistingMessages();
  void bump(const std::string& sessionId, const char* kind);
  void indexReply(const std::string& sessionId, int64_t endSeq, const std::string& requestId);
  // Runs `body` in a transaction of its own (rolled back when it throws).
  template <typename F>
  bool transaction(F&& body);

  // Held by every public call (none when constructed without a lock).
  std::unique_lock<std::recursive_mutex> hold() {
    return lock_ ? std::unique_lock<std::recursive_mutex>(*lock_) : std::unique_lock<std::recursive_mutex>();
  }

  sqlite3* db_;
  std::recursive_mutex* lock_ = nullptr;
  std::vector<std::unique_ptr<SqliteStatement>> statements_;
  bool meaningful_ = false;  // the current append has a list-relevant event
  bool changed_ = false;
  // Replies streaming now, by requestId: the seq of their chat.stream.start and their text so
  // far (the deltas as they are appended), indexed at their end without reading them back.
  struct ReplyText {
    int64_t startSeq = 0;
    std::string text;
  };
  std::map<std::string, ReplyText> replies_;
};

// The frame of a change: {type:"session.changed", changeSeq, change, session:{...}}.
std::string encodeSessionChange(const SessionChange& change);

}  // namespace chat::gateway
