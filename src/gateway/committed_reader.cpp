#include "gateway/committed_reader.h"

#include <sqlite3.h>

#include "gateway/log_queries.h"
#include "gateway/sqlite_statement.h"

namespace chat::gateway {

CommittedReader::CommittedReader(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw EventLogError("sqlite: cannot open " + path + " to read: " + message);
  }
  // A checkpoint's brief lock never fails a read; reads come through mmap like the log's own.
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_exec(db_, "PRAGMA mmap_size=268435456", nullptr, nullptr, nullptr);
}

CommittedReader::~CommittedReader() {
  processed_.reset();
  lastSeq_.reset();
  eventsAfter_.reset();
  deleted_.reset();
  if (db_) sqlite3_close(db_);
}

SqliteStatement& CommittedReader::statement(std::unique_ptr<SqliteStatement>& slot,
                                            const char* sql) {
  if (!slot) slot = std::make_unique<SqliteStatement>(db_, sql);
  return *slot;
}

std::optional<std::string> CommittedReader::processedReply(const std::string& messageId) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& s = statement(processed_, sql::kProcessedReply);
  s.bindStatic(1, messageId);
  std::optional<std::string> reply;
  if (s.step()) reply = s.text(0);
  s.reset();
  return reply;
}

int64_t CommittedReader::lastSeq(const std::string& sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& s = statement(lastSeq_, sql::kLastSeq);
  s.bindStatic(1, sessionId);
  const int64_t seq = s.step() ? s.integer(0) : 0;
  s.reset();
  return seq;
}

std::vector<LoggedEvent> CommittedReader::eventsAfter(const std::string& sessionId,
                                                      int64_t afterSeq, std::size_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LoggedEvent> out;
  auto& s = statement(eventsAfter_, sql::kEventsAfter);
  s.bindStatic(1, sessionId).bind(2, afterSeq).bind(3, static_cast<int64_t>(limit));
  while (s.step()) out.push_back(LoggedEvent{s.integer(0), s.text(1)});
  s.reset();
  return out;
}

bool CommittedReader::sessionDeleted(const std::string& sessionId) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& s = statement(deleted_, sql::kSessionDeleted);
  s.bindStatic(1, sessionId);
  const bool deleted = s.step() && s.integer(0) != 0;
  s.reset();
  return deleted;
}

}  // namespace chat::gateway
