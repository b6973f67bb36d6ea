// The event log's integrity check at start. A database with corrupt pages used to start and
// then fail here and there (some sessions answered 500, replays stopped half way, clients
// reconnected forever); the gateway refuses to start on it instead, with a message that says
// what to do. SQLite's quick_check reads every page once (O(size)); it is stopped after a
// time budget, so a huge log delays the start by at most that much (then it is not known,
// and the gateway starts, saying so).
#pragma once

#include <chrono>
#include <string>

struct sqlite3;

namespace chat::gateway {

struct IntegrityResult {
  enum class Kind { Ok, Corrupt, NotFinished };
  Kind kind = Kind::Ok;
  std::string detail;  // Corrupt: SQLite's first findings; NotFinished: why
};

// Runs PRAGMA quick_check on `db` within `budget`.
IntegrityResult checkIntegrity(sqlite3* db, std::chrono::milliseconds budget);

// For EventLog's constructor: throws EventLogError naming `path` and how to recover when the
// check finds corruption; logs and returns when it could not finish in time.
void requireIntegrity(sqlite3* db, const std::string& path,
                      std::chrono::milliseconds budget = std::chrono::seconds(5));

}  // namespace chat::gateway
