// The durable event log (SQLite, WAL): sessions, their numbered events, the client message ids
// already applied (dedup), the turns still streaming (so a restart can close them), the
// turns still waiting for their session's previous turn (so a restart continues them) and the
// tools approved "for the session" (so a restart does not ask again).
//
// Schema changes are additive (CREATE TABLE IF NOT EXISTS): a file made by an older build
// opens as is and gains the new tables.
//
// Every write is committed before the caller sends anything: a client that reconnects to any
// process sharing this file gets every event after its seq. appendBatch() commits many appends
// in one transaction (the gateway's commit_queue.h groups the events of one io_context turn).
// Thread-safe: every call holds the log's lock (the gateway commits on a worker thread,
// commit_worker.h, and reads on the network thread; a read waits for a commit in progress, so
// it never sees an uncommitted transaction of the same connection).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"
#include "gateway/event_store.h"

struct sqlite3;

namespace chat::gateway {

class CommittedReader;
class SessionCatalog;

class EventLog : public EventStore {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" allowed). Throws
  // EventLogError when the file cannot be opened or the schema cannot be created.
  explicit EventLog(const std::string& path);
  ~EventLog() override;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  bool sessionExists(const std::string& sessionId);
  int64_t lastSeq(const std::string& sessionId) override;  // 0 for an unknown session

  // Appends `events` (typed session events, their sessionId/seq unset) to the session, creating the session when
  // it is new, giving each the next seq and the sessionId, in ONE transaction together with
  // the optional processed record and the optional queued turn (recorded at the seq of its
  // chat.message echo). Maintains the session title (first user chat.message, 60 chars),
  // updated_at, the open-turn table, and the queued-turn table (a chat.stream.start removes
  // its turn from it). Returns the stored frames.
  std::vector<LoggedEvent> append(const std::string& sessionId,
                                  const std::vector<proto::GatewayMessage>& events, int64_t nowMs,
                                  const std::optional<ProcessedRecord>& processed = {},
                                  const std::optional<QueuedTurn>& queued = {});

  // The appends of `batch`, in order, as ONE transaction (all or nothing; throws
  // EventLogError and leaves no trace when it fails). Returns the stored frames of each append.
  std::vector<std::vector<LoggedEvent>> appendBatch(const std::vector<AppendRequest>& batch,
                                                    int64_t nowMs);
  // The same without copying the events: they are taken out of `batch` (each request's
  // `events` is left empty; the rest of it stays as it was). The group commit's path.
  std::vector<std::vector<LoggedEvent>> appendBatchConsuming(std::vector<AppendRequest>& batch,
                                                             int64_t nowMs) override;

  // Events with seq > afterSeq, oldest first, at most `limit`.
  std::vector<LoggedEvent> eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                       std::size_t limit) override;

  // Sessions, most recently updated first.
  std::vector<proto::SessionInfo> listSessions(bool includeArchived);
  void setArchived(const std::string& sessionId, bool archived);

  // Deleted (the session list's record): a chat.send to it is refused before anything is
  // queued. Read as of the last commit, like lastSeq, eventsAfter and processedReply: on a
  // file, through a second connection that never waits for a commit in progress
  // (committed_reader.h).
  bool sessionDeleted(const std::string& sessionId);

  // Dedup: the stored reply of an already applied client message id.
  std::optional<std::string> processedReply(const std::string& messageId) override;
  void markProcessed(const ProcessedRecord& record, int64_t nowMs);
  // Forgets processed ids older than `cutoffMs` (called at start; keeps the table bounded).
  void pruneProcessed(int64_t cutoffMs);

  std::vector<OpenTurn> openTurns();

  // Tools approved for the whole session ("Approve for session"). Recorded by append() with
  // the tool.approval.resolved {approved:true, sessionApprove:true} event, in its transaction:
  // the tool is the one of the open turn's pending approval (toolCallId).
  std::set<std::string> sessionApprovedTools(const std::string& sessionId);

  // Turns waiting to start, per session in the order of their echoes.
  std::vector<QueuedTurn> queuedTurns();
  // Marks a waiting turn cancelled, in one transaction with the chat.cancel's processed record.
  void cancelQueuedTurn(const std::string& requestId, const ProcessedRecord& record, int64_t nowMs);

  // The session list feed, paging, rename/archive/delete and search (session_catalog.h), in
  // this database; appends keep it current inside their transaction.
  SessionCatalog& catalog() { return *catalog_; }

 private:
  class Statement;
  void exec(const char* sql);
  Statement& stmt(int index, const char* sql);
  void begin();
  void commit();
  void rollback();
  // One append inside the open transaction.
  std::vector<LoggedEvent> appendInTransaction(AppendRequest& request, int64_t nowMs);

  // What an append needs to know of its session, kept between transactions so the hot path
  // reads nothing (one INSERT per event, one UPDATE per session per transaction). Valid only
  // while this connection alone wrote, and only through appends: checked at every BEGIN with
  // PRAGMA data_version (another connection committed) and sqlite3_total_changes64 (this
  // connection wrote outside an append: rename, delete, archive, cancel); dropped otherwise,
  // and on every rollback.
  struct SessionHead {
    int64_t lastSeq = 0;
    bool exists = false;   // a row in sessions
    bool titled = false;   // its title is set (a later user message does not retitle it)
    bool deleted = false;  // deleted: appends are refused
  };
  SessionHead& headOf(const std::string& sessionId);
  void validateHeads();   // after BEGIN
  void rememberHeads();   // after COMMIT
  void forgetHeads();     // after ROLLBACK
  std::unordered_map<std::string, SessionHead> heads_;
  // Sessions the open transaction appended to, with their new last seq: written once, at the
  // end of the batch.
  std::unordered_map<std::string, int64_t> touched_;
  int64_t headsDataVersion_ = -1;
  int64_t headsChanges_ = -1;

  std::recursive_mutex mutex_;  // recursive: public calls use one another inside a transaction
  sqlite3* db_ = nullptr;
  std::vector<std::unique_ptr<Statement>> statements_;
  std::unique_ptr<SessionCatalog> catalog_;
  std::unique_ptr<CommittedReader> reader_;  // files only; null: reads go through db_
};

}  // namespace chat::gateway
