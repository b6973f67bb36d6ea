#include "gateway/log_integrity.h"

#include <sqlite3.h>

#include "gateway/event_log.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {
struct Deadline {
  std::chrono::steady_clock::time_point at;
  bool hit = false;
};

int onProgress(void* arg) {
  auto* d = static_cast<Deadline*>(arg);
  if (std::chrono::steady_clock::now() < d->at) return 0;
  d->hit = true;
  return 1;  // interrupts the statement
}
}  // namespace

IntegrityResult checkIntegrity(sqlite3* db, std::chrono::milliseconds budget) {
  IntegrityResult out;
  Deadline deadline{std::chrono::steady_clock::now() + budget};
  sqlite3_progress_handler(db, 100, onProgress, &deadline);  // every 100 VM steps
  sqlite3_stmt* stmt = nullptr;
  // At most 10 findings: enough to say what is wrong.
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(10)", -1, &stmt, nullptr);
  std::string findings;
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      std::string line = text ? reinterpret_cast<const char*>(text) : "";
      if (line == "ok") continue;
      if (!findings.empty()) findings += "; ";
      findings += line;
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_progress_handler(db, 0, nullptr, nullptr);
  if (deadline.hit) {
    out.kind = IntegrityResult::Kind::NotFinished;
    out.detail = "not finished within " + std::to_string(budget.count()) + " ms";
    return out;
  }
  if (rc != SQLITE_DONE) {
    out.kind = IntegrityResult::Kind::Corrupt;
    out.detail = sqlite3_errmsg(db);
    return out;
  }
  if (!findings.empty()) {
    out.kind = IntegrityResult::Kind::Corrupt;
    out.detail = findings;
  }
  return out;
}

void requireIntegrity(sqlite3* db, const std::string& path, std::chrono::milliseconds budget) {
  IntegrityResult r = checkIntegrity(db, budget);
  switch (r.kind) {
    case IntegrityResult::Kind::Ok:
      return;
    case IntegrityResult::Kind::NotFinished:
      logLine("event log integrity check of " + path + " " + r.detail + ": starting anyway");
      return;
    case IntegrityResult::Kind::Corrupt:
      throw EventLogError(
          path + " is corrupt (" + r.detail +
          "). The gateway does not start on a damaged event log. Stop every gateway using it, "
          "keep a copy, then recover what can be read (sqlite3 " + path +
          " \".recover\" | sqlite3 recovered.db) and start with --db recovered.db, or start "
          "with a new --db file.");
  }
}

}  // namespace chat::gateway
