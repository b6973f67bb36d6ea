// Reads of what the event log has committed, on a second SQLite connection to the same file.
//
// The event log's own connection is held by the commit worker for a whole group commit
// (commit_worker.h); a read on the network thread through it waits for that transaction to
// end. On the path of every chat.send there are such reads (the dedup lookup of its id, the
// check that its session is not deleted), so the network thread stopped at the first one of
// each commit and the two threads took turns instead of working side by side. With WAL, a
// second connection reads the last committed state without waiting for the writer: the
// network thread keeps reading clients while the worker commits.
//
// A reader sees only committed transactions, so nothing read here can be an event before its
// commit. Files only: a ":memory:" database is private to its connection (the log then reads
// through its own, as before).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gateway/event_store.h"

struct sqlite3;

namespace chat::gateway {

class SqliteStatement;

class CommittedReader {
 public:
  // Opens `path` (a database the event log has created) read-only. Throws EventLogError.
  explicit CommittedReader(const std::string& path);
  ~CommittedReader();
  CommittedReader(const CommittedReader&) = delete;
  CommittedReader& operator=(const CommittedReader&) = delete;

  // The same answers as EventLog's reads of the same names, as of the last commit.
  std::optional<std::string> processedReply(const std::string& messageId);
  int64_t lastSeq(const std::string& sessionId);
  std::vector<LoggedEvent> eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                       std::size_t limit);
  bool sessionDeleted(const std::string& sessionId);

 private:
  SqliteStatement& statement(std::unique_ptr<SqliteStatement>& slot, const char* sql);

  std::mutex mutex_;  // one connection: one caller at a time (the network thread, in practice)
  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteStatement> processed_, lastSeq_, eventsAfter_, deleted_;
};

}  // namespace chat::gateway
