#include "gateway/event_log.h"

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <variant>

#include "core/protocol/codec.h"
#include "gateway/committed_reader.h"
#include "gateway/log_integrity.h"
#include "gateway/log_queries.h"
#include "gateway/session_catalog.h"
#include "gateway/sqlite_statement.h"
#include "gateway/util.h"

namespace chat::gateway {

// The event log's cached statements are the gateway's one SQLite statement wrapper
// (sqlite_statement.h); the nested name lets event_log.h forward-declare it.
class EventLog::Statement : public SqliteStatement {
 public:
  using SqliteStatement::SqliteStatement;
};

namespace {
// Statement cache slots (one per distinct SQL text).
enum Slot {
  kSessionExists,
  kLastSeq,
  kSessionHead,
  kBegin,
  kCommit,
  kInsertSession,
  kSetTitle,
  kTouchSession,
  kInsertEvent,
  kEventsAfter,
  kListAll,
  kListActive,
  kSetArchived,
  kProcessedGet,
  kProcessedPut,
  kProcessedPrune,
  kOpenTurnInsert,
  kOpenTurnTool,
  kOpenTurnToolDone,
  kOpenTurnDelete,
  kOpenTurns,
  kQueuedInsert,
  kQueuedDelete,
  kQueuedTurns,
  kQueuedCancel,
  kApprovalInsert,
  kApprovalsOf,
  kDataVersion,
  kSlotCount
};

// Heads kept for at most this many sessions (a long-running gateway sees many; the cache is
// dropped and refilled on demand beyond it).
constexpr std::size_t kMaxHeads = 100000;

// RAII guard that rolls back unless committed (any exception mid-append leaves no trace).
struct Rollback {
  std::function<void()> undo;
  bool armed = true;
  ~Rollback() {
    if (armed) undo();
  }
};
}  // namespace

EventLog::EventLog(const std::string& path) {
  // SQLite's memory statistics take a global mutex on every allocation it makes (several per
  // INSERT); nothing here reads them. Only possible before SQLite is first used in the
  // process (otherwise refused, harmlessly).
  static const bool noMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)noMemoryStatistics;
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw EventLogError("cannot open " + path + ": " + message);
  }
  statements_.resize(kSlotCount);
  try {
    sqlite3_busy_timeout(db_, 5000);
    requireIntegrity(db_, path);  // a damaged file is refused before it is used (log_integrity.h)
    // WAL + synchronous=NORMAL: a commit survives the process being killed (SIGKILL); only
    // a power loss may lose the last commits.
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=OFF");
    // The appends' B-tree pages stay in memory (64 MiB page cache, reads through mmap)
    // instead of being read back from the file by pread on every transaction.
    exec("PRAGMA cache_size=-65536");
    exec("PRAGMA mmap_size=268435456");
    // Checkpoints (the WAL's pages copied into the file) stay at SQLite's default, every 1,000
    // pages. They run inside a commit, on the commit thread, and hold every event behind them:
    // every 16,384 pages gave 10-20% more events/s at 1,000 unpaced streams (fewer copies of the
    // same tail pages) but one ~40 ms stall every few seconds, so 100 streams paced at 20 ms
    // saw delta gaps p99 of 59-68 ms instead of 21-27 (4,096 pages: 36 ms). Smooth streams win;
    // checkpointing off the commit thread would give both (not done).
    exec("PRAGMA wal_autocheckpoint=1000");
    exec("PRAGMA journal_size_limit=67108864");
    exec(
        "CREATE TABLE IF NOT EXISTS sessions("
        " id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '',"
        " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
        " last_seq INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0)");
    exec(
        "CREATE TABLE IF NOT EXISTS events("
        " session_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL,"
        " PRIMARY KEY(session_id, seq)) WITHOUT ROWID");
    exec(
        "CREATE TABLE IF NOT EXISTS processed("
        " message_id TEXT PRIMARY KEY, reply TEXT NOT NULL, created_at INTEGER NOT NULL)");
    exec(
        "CREATE TABLE IF NOT EXISTS open_turns("
        " request_id TEXT PRIMARY KEY, session_id TEXT NOT NULL,"
        " tool_call_id TEXT NOT NULL DEFAULT '', tool_name TEXT NOT NULL DEFAULT '')");
    exec(
        "CREATE TABLE IF NOT EXISTS queued_turns("
        " request_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, echo_seq INTEGER NOT NULL,"
        " content TEXT NOT NULL, model TEXT NOT NULL DEFAULT '',"
        " cancelled INTEGER NOT NULL DEFAULT 0)");
    exec(
        "CREATE TABLE IF NOT EXISTS session_approvals("
        " session_id TEXT NOT NULL, tool_name TEXT NOT NULL,"
        " PRIMARY KEY(session_id, tool_name)) WITHOUT ROWID");
    catalog_ = std::make_unique<SessionCatalog>(db_, &mutex_);
  } catch (...) {
    statements_.clear();
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
  // The reads of the network thread's hot paths, on a connection of their own (files only: a
  // memory database is private to its connection). Without it they read through db_.
  if (!path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0) {
    try {
      reader_ = std::make_unique<CommittedReader>(path);
    } catch (const EventLogError& e) {
      logLine(std::string("event log: reads share the writer's connection: ") + e.what());
    }
  }
}

EventLog::~EventLog() {
  reader_.reset();
  catalog_.reset();
  statements_.clear();
  if (db_) sqlite3_close(db_);
}

void EventLog::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw EventLogError(std::string("sqlite: ") + message + " in: " + sql);
  }
}

EventLog::Statement& EventLog::stmt(int index, const char* sql) {
  auto& slot = statements_[static_cast<std::size_t>(index)];
  if (!slot) slot = std::make_unique<Statement>(db_, sql);
  return *slot;
}

// Prepared once: the group commit runs them every turn of the loop.
void EventLog::begin() { stmt(kBegin, "BEGIN IMMEDIATE").run(); }
void EventLog::commit() { stmt(kCommit, "COMMIT").run(); }
void EventLog::rollback() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

bool EventLog::sessionExists(const std::string& sessionId) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto& s = stmt(kSessionExists, "SELECT 1 FROM sessions WHERE id = ?1");
  s.bind(1, sessionId);
  bool found = s.step();
  s.reset();
  return found;
}

int64_t EventLog::lastSeq(const std::string& sessionId) {
  if (reader_) return reader_->lastSeq(sessionId);
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto& s = stmt(kLastSeq, sql::kLastSeq);
  s.bind(1, sessionId);
  int64_t seq = s.step() ? s.integer(0) : 0;
  s.reset();
  return seq;
}

std::vector<LoggedEvent> EventLog::append(const std::string& sessionId,
                                          const std::vector<proto::GatewayMessage>& events,
                                          int64_t nowMs,
                                          const std::optional<ProcessedRecord>& processed,
                                          const std::optional<QueuedTurn>& queued) {
  std::vector<AppendRequest> batch(1);
  batch[0] = AppendRequest{sessionId, events, processed, queued};
  return std::move(appendBatch(batch, nowMs).front());
}

std::vector<std::vector<LoggedEvent>> EventLog::appendBatch(
    const std::vector<AppendRequest>& batch, int64_t nowMs) {
  std::vector<AppendRequest> copy = batch;
  return appendBatchConsuming(copy, nowMs);
}

std::vector<std::vector<LoggedEvent>> EventLog::appendBatchConsuming(
    std::vector<AppendRequest>& batch, int64_t nowMs) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<std::vector<LoggedEvent>> out;
  if (batch.empty()) return out;
  out.resize(batch.size());
  // Applied session by session (a stable sort: each session's appends keep their order, and
  // seqs are given per session, so nothing a client sees changes): 1,000 streams interleave
  // their steps in a batch, and in key order each session's rows go to the same B-tree leaf
  // one after the other instead of touching 1,000 leaves per round. The results keep the
  // batch's order.
  std::vector<std::size_t> order(batch.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&batch](std::size_t a, std::size_t b) {
    return batch[a].sessionId < batch[b].sessionId;
  });
  begin();
  Rollback guard{[this] {
    rollback();
    forgetHeads();
  }};
  validateHeads();
  touched_.clear();
  for (std::size_t i : order) out[i] = appendInTransaction(batch[i], nowMs);
  // Each session's head row once per transaction, however many appends it had.
  for (const auto& [sessionId, seq] : touched_) {
    stmt(kTouchSession, "UPDATE sessions SET last_seq = ?2, updated_at = ?3 WHERE id = ?1")
        .bindStatic(1, sessionId)
        .bind(2, seq)
        .bind(3, nowMs)
        .run();
  }
  touched_.clear();
  commit();
  guard.armed = false;
  rememberHeads();
  return out;
}

void EventLog::validateHeads() {
  auto& s = stmt(kDataVersion, "PRAGMA data_version");
  const int64_t version = s.step() ? s.integer(0) : -1;
  s.reset();
  if (version != headsDataVersion_ || sqlite3_total_changes64(db_) != headsChanges_)
    heads_.clear();
  headsDataVersion_ = version;
}

void EventLog::rememberHeads() { headsChanges_ = sqlite3_total_changes64(db_); }

void EventLog::forgetHeads() {
  catalog_->onRolledBack();
  heads_.clear();
  touched_.clear();
  headsChanges_ = -1;
}

EventLog::SessionHead& EventLog::headOf(const std::string& sessionId) {
  if (auto it = heads_.find(sessionId); it != heads_.end()) return it->second;
  if (heads_.size() >= kMaxHeads) heads_.clear();
  SessionHead head;
  head.deleted = !catalog_->acceptsEvents(sessionId);
  auto& s = stmt(kSessionHead, "SELECT last_seq, title FROM sessions WHERE id = ?1");
  s.bindStatic(1, sessionId);
  if (s.step()) {
    head.exists = true;
    head.lastSeq = s.integer(0);
    head.titled = !s.text(1).empty();
  }
  s.reset();
  return heads_.emplace(sessionId, head).first->second;
}

std::vector<LoggedEvent> EventLog::appendInTransaction(AppendRequest& request, int64_t nowMs) {
  const std::string& sessionId = request.sessionId;
  std::vector<proto::GatewayMessage>& events = request.events;
  const std::optional<ProcessedRecord>& processed = request.processed;
  const std::optional<QueuedTurn>& queued = request.queued;
  std::vector<LoggedEvent> out;
  if (events.empty() && !queued) {  // a dedup record alone (chat.cancel, approval answers)
    if (processed) markProcessed(*processed, nowMs);
    return out;
  }
  SessionHead& head = headOf(sessionId);
  if (head.deleted) {  // deleted: a turn still ending after the delete
    if (processed) markProcessed(*processed, nowMs);
    return out;
  }

  // The seq continues from the head read inside a write transaction (or kept since this
  // connection's last commit, when nobody else wrote): correct with another process appending.
  int64_t seq = head.lastSeq;
  const bool newSession = !head.exists;
  bool retitled = false;
  if (newSession) {
    stmt(kInsertSession,
         "INSERT OR IGNORE INTO sessions(id, title, created_at, updated_at, last_seq, archived)"
         " VALUES(?1, '', ?2, ?2, 0, 0)")
        .bind(1, sessionId)
        .bind(2, nowMs)
        .run();
    head.exists = true;
  }

  int64_t echoSeq = 0;  // the seq the queued turn waits at (its echo's)
  out.reserve(events.size() + 1);
  // Each event is taken (moved), not copied: the caller hands its events over.
  auto appendOne = [&](proto::GatewayMessage&& event) {
    proto::setSessionEventKey(event, sessionId, ++seq);
    std::string frame = proto::encode(event);
    stmt(kInsertEvent, "INSERT INTO events(session_id, seq, json) VALUES(?1, ?2, ?3)")
        .bindStatic(1, sessionId)
        .bind(2, seq)
        .bindStatic(3, frame)
        .run();
    // The bookkeeping some events carry: titles, open turns, approvals for the session.
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, proto::ChatMessageEvent>) {
            if (queued && e.messageId == queued->requestId) echoSeq = seq;
            if (!head.titled && e.role == "user") {
              const std::string title = truncateUtf8(e.content, 60);
              head.titled = !title.empty();
              retitled = true;
              stmt(kSetTitle, "UPDATE sessions SET title = ?2 WHERE id = ?1")
                  .bind(1, sessionId)
                  .bind(2, title)
                  .run();
            }
          } else if constexpr (std::is_same_v<T, proto::StreamStart>) {
            stmt(kOpenTurnInsert,
                 "INSERT OR REPLACE INTO open_turns(request_id, session_id) VALUES(?1, ?2)")
                .bind(1, e.requestId)
                .bind(2, sessionId)
                .run();
            stmt(kQueuedDelete, "DELETE FROM queued_turns WHERE request_id = ?1")
                .bind(1, e.requestId)
                .run();
          } else if constexpr (std::is_same_v<T, proto::ToolApprovalResolved>) {
            if (e.approved && e.sessionApprove) {
              // Before tool.call/tool.result of this turn can clear the open turn's tool.
              stmt(kApprovalInsert,
                   "INSERT OR IGNORE INTO session_approvals(session_id, tool_name)"
                   " SELECT session_id, tool_name FROM open_turns"
                   " WHERE session_id = ?1 AND tool_call_id = ?2 AND tool_name != ''")
                  .bind(1, sessionId)
                  .bind(2, e.toolCallId)
                  .run();
            }
          } else if constexpr (std::is_same_v<T, proto::ToolCall> ||
                               std::is_same_v<T, proto::ToolApprovalRequest>) {
            stmt(kOpenTurnTool,
                 "UPDATE open_turns SET tool_call_id = ?2, tool_name = ?3 WHERE request_id = ?1")
                .bind(1, e.requestId)
                .bind(2, e.toolCallId)
                .bind(3, e.toolName)
                .run();
          } else if constexpr (std::is_same_v<T, proto::ToolResult> ||
                               std::is_same_v<T, proto::ToolError>) {
            stmt(kOpenTurnToolDone,
                 "UPDATE open_turns SET tool_call_id = '', tool_name = '' WHERE request_id = ?1")
                .bind(1, e.requestId)
                .run();
          } else if constexpr (std::is_same_v<T, proto::StreamEnd>) {
            stmt(kOpenTurnDelete, "DELETE FROM open_turns WHERE request_id = ?1")
                .bind(1, e.requestId)
                .run();
          }
        },
        event);
    catalog_->onEvent(sessionId, seq, event);
    out.push_back(LoggedEvent{seq, std::move(frame)});
  };
  // Decided here, inside the transaction: exactly one session.created per session, however
  // the appends that create it are grouped.
  if (request.announceNewSession && newSession)
    appendOne(proto::SessionCreated{"", 0, sessionId});
  for (proto::GatewayMessage& event : events) appendOne(std::move(event));
  events.clear();

  head.lastSeq = seq;
  touched_[sessionId] = seq;  // the head row is written once, at the end of the batch
  catalog_->onAppended(sessionId, newSession, retitled);
  if (queued) {
    stmt(kQueuedInsert,
         "INSERT OR REPLACE INTO queued_turns(request_id, session_id, echo_seq, content, model,"
         " cancelled) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, queued->requestId)
        .bind(2, sessionId)
        .bind(3, echoSeq != 0 ? echoSeq : seq)
        .bind(4, queued->content)
        .bind(5, queued->model)
        .bind(6, static_cast<int64_t>(queued->cancelled ? 1 : 0))
        .run();
  }
  if (processed) {
    stmt(kProcessedPut,
         "INSERT OR IGNORE INTO processed(message_id, reply, created_at) VALUES(?1, ?2, ?3)")
        .bind(1, processed->messageId)
        .bind(2, processed->reply)
        .bind(3, nowMs)
        .run();
  }
  return out;
}

std::vector<LoggedEvent> EventLog::eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                               std::size_t limit) {
  if (reader_) return reader_->eventsAfter(sessionId, afterSeq, limit);
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<LoggedEvent> out;
  auto& s = stmt(kEventsAfter, sql::kEventsAfter);
  s.bind(1, sessionId).bind(2, afterSeq).bind(3, static_cast<int64_t>(limit));
  while (s.step()) out.push_back(LoggedEvent{s.integer(0), s.text(1)});
  s.reset();
  return out;
}

std::vector<proto::SessionInfo> EventLog::listSessions(bool includeArchived) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<proto::SessionInfo> out;
  auto& s = includeArchived
                ? stmt(kListAll,
                       "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                       " ORDER BY updated_at DESC, id")
                : stmt(kListActive,
                       "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                       " WHERE archived = 0 ORDER BY updated_at DESC, id");
  while (s.step()) {
    proto::SessionInfo info;
    info.sessionId = s.text(0);
    info.title = s.text(1);
    info.createdAt = s.integer(2);
    info.updatedAt = s.integer(3);
    info.lastSeq = s.integer(4);
    info.archived = s.integer(5) != 0;
    out.push_back(std::move(info));
  }
  s.reset();
  return out;
}

void EventLog::setArchived(const std::string& sessionId, bool archived) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  stmt(kSetArchived, "UPDATE sessions SET archived = ?2 WHERE id = ?1")
      .bind(1, sessionId)
      .bind(2, static_cast<int64_t>(archived ? 1 : 0))
      .run();
}

bool EventLog::sessionDeleted(const std::string& sessionId) {
  if (reader_) return reader_->sessionDeleted(sessionId);
  return catalog_->isDeleted(sessionId);
}

std::optional<std::string> EventLog::processedReply(const std::string& messageId) {
  if (reader_) return reader_->processedReply(messageId);
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto& s = stmt(kProcessedGet, sql::kProcessedReply);
  s.bind(1, messageId);
  std::optional<std::string> reply;
  if (s.step()) reply = s.text(0);
  s.reset();
  return reply;
}

void EventLog::markProcessed(const ProcessedRecord& record, int64_t nowMs) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  stmt(kProcessedPut,
       "INSERT OR IGNORE INTO processed(message_id, reply, created_at) VALUES(?1, ?2, ?3)")
      .bind(1, record.messageId)
      .bind(2, record.reply)
      .bind(3, nowMs)
      .run();
}

void EventLog::pruneProcessed(int64_t cutoffMs) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  stmt(kProcessedPrune, "DELETE FROM processed WHERE created_at < ?1").bind(1, cutoffMs).run();
}

std::vector<OpenTurn> EventLog::openTurns() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<OpenTurn> out;
  auto& s = stmt(kOpenTurns,
                 "SELECT session_id, request_id, tool_call_id, tool_name FROM open_turns"
                 " ORDER BY session_id, request_id");
  while (s.step()) out.push_back(OpenTurn{s.text(0), s.text(1), s.text(2), s.text(3)});
  s.reset();
  return out;
}

std::set<std::string> EventLog::sessionApprovedTools(const std::string& sessionId) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::set<std::string> out;
  auto& s = stmt(kApprovalsOf, "SELECT tool_name FROM session_approvals WHERE session_id = ?1");
  s.bind(1, sessionId);
  while (s.step()) out.insert(s.text(0));
  s.reset();
  return out;
}

std::vector<QueuedTurn> EventLog::queuedTurns() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::vector<QueuedTurn> out;
  auto& s = stmt(kQueuedTurns,
                 "SELECT session_id, request_id, content, model, cancelled FROM queued_turns"
                 " ORDER BY session_id, echo_seq");
  while (s.step())
    out.push_back(QueuedTurn{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4) != 0});
  s.reset();
  return out;
}

void EventLog::cancelQueuedTurn(const std::string& requestId, const ProcessedRecord& record,
                                int64_t nowMs) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  begin();
  Rollback guard{[this] { rollback(); }};
  stmt(kQueuedCancel, "UPDATE queued_turns SET cancelled = 1 WHERE request_id = ?1")
      .bind(1, requestId)
      .run();
  markProcessed(record, nowMs);
  commit();
  guard.armed = false;
}

}  // namespace chat::gateway
