#include "gateway/session_catalog.h"

#include <cctype>
#include <stdexcept>

#include "core/protocol/codec.h"
#include "gateway/log_queries.h"
#include "gateway/sqlite_statement.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {
enum Slot {
  kAccepts,
  kBump,
  kLastChange,
  kChangesAfter,
  kFirstPage,
  kFirstPageAll,
  kNextPage,
  kNextPageAll,
  kIndexMessage,
  kReplyDeltas,
  kRename,
  kArchive,
  kSearchTitles,
  kSearchMessages,
  kLastUser,
  kLastModel,
  kSlotCount
};

proto::SessionInfo rowInfo(SqliteStatement& s, int first) {
  proto::SessionInfo info;
  info.sessionId = s.text(first);
  info.title = s.text(first + 1);
  info.createdAt = s.integer(first + 2);
  info.updatedAt = s.integer(first + 3);
  info.lastSeq = s.integer(first + 4);
  info.archived = s.integer(first + 5) != 0;
  return info;
}
}  // namespace

SessionCatalog::SessionCatalog(sqlite3* db, std::recursive_mutex* lock) : db_(db), lock_(lock) {
  statements_.resize(kSlotCount);
  exec(
      "CREATE TABLE IF NOT EXISTS session_changes("
      " session_id TEXT PRIMARY KEY, change_seq INTEGER NOT NULL, kind TEXT NOT NULL,"
      " deleted INTEGER NOT NULL DEFAULT 0)");
  exec("CREATE UNIQUE INDEX IF NOT EXISTS session_changes_seq ON session_changes(change_seq)");
  // The list pages walk this index (most recently updated first) instead of sorting.
  exec("CREATE INDEX IF NOT EXISTS sessions_recent ON sessions(updated_at DESC, id)");
  bool searchExisted = false;
  {
    SqliteStatement probe(db_, "SELECT 1 FROM sqlite_master WHERE name = 'message_search'");
    searchExisted = probe.step();
  }
  exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5("
      " text, session_id UNINDEXED, seq UNINDEXED, message_id UNINDEXED, role UNINDEXED,"
      " tokenize = 'unicode61 remove_diacritics 2')");
  if (!searchExisted) indexExistingMessages();
}

void SessionCatalog::indexExistingMessages() {
  // A file from before the index: its messages are indexed once, as appends would have.
  exec("BEGIN IMMEDIATE");
  try {
    exec(
        "INSERT INTO message_search(text, session_id, seq, message_id, role)"
        " SELECT json_extract(json, '$.content'), session_id, seq,"
        " json_extract(json, '$.messageId'), 'user' FROM events"
        " WHERE json_extract(json, '$.type') = 'chat.message'");
    // A reply: its deltas joined in seq order, at the seq of its start.
    exec(
        "INSERT INTO message_search(text, session_id, seq, message_id, role)"
        " SELECT group_concat(delta, ''), session_id, MIN(seq), request_id, 'assistant' FROM ("
        "  SELECT session_id, seq, json_extract(json, '$.requestId') AS request_id,"
        "  COALESCE(json_extract(json, '$.delta'), '') AS delta FROM events"
        "  WHERE json_extract(json, '$.type') IN ('chat.stream.start', 'chat.stream.delta')"
        "  ORDER BY session_id, seq)"
        " GROUP BY session_id, request_id HAVING group_concat(delta, '') != ''");
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

SessionCatalog::~SessionCatalog() = default;

void SessionCatalog::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw EventLogError(std::string("sqlite: ") + message + " in: " + sql);
  }
}

SqliteStatement& SessionCatalog::stmt(int slot, const char* sql) {
  auto& s = statements_[static_cast<std::size_t>(slot)];
  if (!s) s = std::make_unique<SqliteStatement>(db_, sql);
  return *s;
}

template <typename F>
bool SessionCatalog::transaction(F&& body) {
  exec("BEGIN IMMEDIATE");
  try {
    bool done = body();
    exec(done ? "COMMIT" : "ROLLBACK");
    return done;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

bool SessionCatalog::acceptsEvents(const std::string& sessionId) {
  auto held = hold();
  return !isDeleted(sessionId);
}

bool SessionCatalog::isDeleted(const std::string& sessionId) {
  auto held = hold();
  auto& s = stmt(kAccepts, sql::kSessionDeleted);
  s.bind(1, sessionId);
  bool deleted = s.step() && s.integer(0) != 0;
  s.reset();
  return deleted;
}

std::optional<LastUserMessage> SessionCatalog::lastUserMessage(const std::string& sessionId) {
  auto held = hold();
  // Walks the session's events from its end (the primary key, descending) to the first match.
  auto& u = stmt(kLastUser,
                 "SELECT json FROM events WHERE session_id = ?1"
                 " AND json_extract(json, '$.type') = 'chat.message'"
                 " AND json_extract(json, '$.role') = 'user' ORDER BY seq DESC LIMIT 1");
  u.bind(1, sessionId);
  std::optional<LastUserMessage> out;
  if (u.step()) {
    auto decoded = proto::decodeGatewayMessage(std::string_view(u.text(0)));
    const auto* m = decoded ? std::get_if<proto::ChatMessageEvent>(&decoded.value()) : nullptr;
    if (m) out = LastUserMessage{m->messageId, m->content, ""};
  }
  u.reset();
  if (!out) return out;
  auto& m = stmt(kLastModel,
                 "SELECT json_extract(json, '$.model') FROM events WHERE session_id = ?1"
                 " AND json_extract(json, '$.type') = 'chat.stream.start'"
                 " ORDER BY seq DESC LIMIT 1");
  m.bind(1, sessionId);
  if (m.step() && !m.isNull(0)) out->model = m.text(0);
  m.reset();
  return out;
}

void SessionCatalog::bump(const std::string& sessionId, const char* kind) {
  stmt(kBump,
       "INSERT INTO session_changes(session_id, change_seq, kind, deleted)"
       " VALUES(?1, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM session_changes), ?2, ?3)"
       " ON CONFLICT(session_id) DO UPDATE SET change_seq = excluded.change_seq,"
       " kind = excluded.kind, deleted = excluded.deleted")
      .bind(1, sessionId)
      .bind(2, std::string(kind))
      .bind(3, static_cast<int64_t>(std::string(kind) == "deleted" ? 1 : 0))
      .run();
  changed_ = true;
}

void SessionCatalog::onEvent(const std::string& sessionId, int64_t seq,
                             const proto::GatewayMessage& event) {
  auto held = hold();
  if (const auto* delta = std::get_if<proto::StreamDelta>(&event)) {
    if (auto reply = replies_.find(delta->requestId); reply != replies_.end())
      reply->second.text += delta->delta;
    return;  // not a list change
  }
  if (std::holds_alternative<proto::StreamReasoning>(event) ||
      std::holds_alternative<proto::ToolOutput>(event)) {
    return;  // not list changes
  }
  meaningful_ = true;
  if (const auto* m = std::get_if<proto::ChatMessageEvent>(&event)) {
    stmt(kIndexMessage,
         "INSERT INTO message_search(text, session_id, seq, message_id, role)"
         " VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, m->content)
        .bind(2, sessionId)
        .bind(3, seq)
        .bind(4, m->messageId)
        .bind(5, m->role.empty() ? std::string("user") : m->role)
        .run();
  } else if (const auto* start = std::get_if<proto::StreamStart>(&event)) {
    replies_[start->requestId] = ReplyText{seq, std::string()};
  } else if (const auto* end = std::get_if<proto::StreamEnd>(&event)) {
    indexReply(sessionId, seq, end->requestId);
  }
}

void SessionCatalog::indexReply(const std::string& sessionId, int64_t endSeq,
                                const std::string& requestId) {
  // The reply's text is its deltas (a delta alone is no message): gathered as they were
  // appended when its start was seen by this process (reading them back at the end cost ~15%
  // of the commit thread with 1,000 replies streaming), else read back once now.
  auto start = replies_.find(requestId);
  const bool known = start != replies_.end();
  const int64_t from = known ? start->second.startSeq : 0;
  std::string text;
  if (known) {
    text = std::move(start->second.text);
    replies_.erase(start);
  } else {
    // After a restart, or a rolled-back transaction, the start is not known here (from 0: the
    // whole session).
    auto& s = stmt(kReplyDeltas,
                   "SELECT json_extract(json, '$.delta') FROM events"
                   " WHERE session_id = ?1 AND seq > ?2 AND seq < ?3"
                   " AND json_extract(json, '$.type') = 'chat.stream.delta'"
                   " AND json_extract(json, '$.requestId') = ?4 ORDER BY seq");
    s.bind(1, sessionId).bind(2, from).bind(3, endSeq).bind(4, requestId);
    while (s.step()) text += s.text(0);
    s.reset();
  }
  if (text.empty()) return;
  stmt(kIndexMessage,
       "INSERT INTO message_search(text, session_id, seq, message_id, role)"
       " VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, text)
      .bind(2, sessionId)
      .bind(3, known ? from : endSeq)
      .bind(4, requestId)
      .bind(5, std::string("assistant"))
      .run();
}

void SessionCatalog::onRolledBack() {
  auto held = hold();
  replies_.clear();  // their ends read the text back from the log instead
  meaningful_ = false;
}

void SessionCatalog::onAppended(const std::string& sessionId, bool created, bool retitled) {
  auto held = hold();
  if (created) {
    bump(sessionId, "created");
  } else if (retitled) {
    bump(sessionId, "retitled");
  } else if (meaningful_) {
    bump(sessionId, "updated");
  }
  meaningful_ = false;
}

int64_t SessionCatalog::lastChange() {
  auto held = hold();
  auto& s = stmt(kLastChange, "SELECT COALESCE(MAX(change_seq), 0) FROM session_changes");
  int64_t last = s.step() ? s.integer(0) : 0;
  s.reset();
  return last;
}

std::vector<SessionChange> SessionCatalog::changesAfter(int64_t afterChange, std::size_t limit) {
  auto held = hold();
  std::vector<SessionChange> out;
  auto& s = stmt(kChangesAfter,
                 "SELECT c.change_seq, c.kind, c.session_id, s.title, s.created_at, s.updated_at,"
                 " s.last_seq, s.archived, s.id IS NULL FROM session_changes c"
                 " LEFT JOIN sessions s ON s.id = c.session_id"
                 " WHERE c.change_seq > ?1 ORDER BY c.change_seq LIMIT ?2");
  s.bind(1, afterChange).bind(2, static_cast<int64_t>(limit));
  while (s.step()) {
    SessionChange change;
    change.changeSeq = s.integer(0);
    change.change = s.text(1);
    if (s.integer(8) != 0) {
      change.change = "deleted";  // no row left, whatever the last kind said
      change.session.sessionId = s.text(2);
    } else {
      change.session = rowInfo(s, 2);
    }
    out.push_back(std::move(change));
  }
  s.reset();
  return out;
}

SessionPage SessionCatalog::listPage(const std::optional<std::string>& cursor, std::size_t limit,
                                     bool includeArchived) {
  auto held = hold();
  limit = std::max<std::size_t>(1, std::min(limit, kMaxPage));
  SessionPage page;
  page.lastChange = lastChange();
  SqliteStatement* s = nullptr;
  if (!cursor) {
    s = includeArchived
            ? &stmt(kFirstPageAll,
                    "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                    " ORDER BY updated_at DESC, id LIMIT ?1")
            : &stmt(kFirstPage,
                    "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                    " WHERE archived = 0 ORDER BY updated_at DESC, id LIMIT ?1");
    s->bind(1, static_cast<int64_t>(limit + 1));
  } else {
    // "<updatedAt>:<sessionId>" of the last row of the previous page.
    auto colon = cursor->find(':');
    std::string stamp = cursor->substr(0, colon);
    if (colon == std::string::npos || stamp.empty() || stamp.size() > 18 ||
        stamp.find_first_not_of("0123456789") != std::string::npos ||
        !isValidSessionId(cursor->substr(colon + 1)))
      throw std::invalid_argument("cursor: not one this gateway made");
    s = includeArchived
            ? &stmt(kNextPageAll,
                    "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                    " WHERE updated_at <= ?2 AND (updated_at < ?2 OR id > ?3)"
                    " ORDER BY updated_at DESC, id LIMIT ?1")
            : &stmt(kNextPage,
                    "SELECT id, title, created_at, updated_at, last_seq, archived FROM sessions"
                    " WHERE updated_at <= ?2 AND (updated_at < ?2 OR id > ?3) AND archived = 0"
                    " ORDER BY updated_at DESC, id LIMIT ?1");
    s->bind(1, static_cast<int64_t>(limit + 1))
        .bind(2, static_cast<int64_t>(std::stoll(stamp)))
        .bind(3, cursor->substr(colon + 1));
  }
  while (s->step()) page.sessions.push_back(rowInfo(*s, 0));
  s->reset();
  if (page.sessions.size() > limit) {  // one more than asked: there is a next page
    page.sessions.pop_back();
    const auto& last = page.sessions.back();
    page.nextCursor = std::to_string(last.updatedAt) + ":" + last.sessionId;
  }
  return page;
}

std::string SessionCatalog::ftsQuery(const std::string& typed) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (char c : typed) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else if (c != '"') {  // a quote would end the quoted word early
      word += c;
    }
  }
  flush();
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += ' ';
    out += '"' + words[i] + '"';
    if (i + 1 == words.size()) out += '*';
  }
  return out;
}

std::vector<SearchHit> SessionCatalog::search(const std::string& query, std::size_t limit) {
  auto held = hold();
  std::vector<SearchHit> out;
  limit = std::max<std::size_t>(1, std::min(limit, kMaxPage));
  std::string trimmed = query;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
    trimmed.pop_back();
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front())))
    trimmed.erase(trimmed.begin());
  if (trimmed.empty()) return out;

  std::string like = "%";
  for (char c : trimmed) {
    if (c == '%' || c == '_' || c == '\\') like += '\\';
    like += c;
  }
  like += '%';
  auto& t = stmt(kSearchTitles,
                 "SELECT id, title, archived FROM sessions WHERE title LIKE ?1 ESCAPE '\\'"
                 " ORDER BY updated_at DESC, id LIMIT ?2");
  t.bind(1, like).bind(2, static_cast<int64_t>(limit));
  while (t.step()) {
    SearchHit hit;
    hit.sessionId = t.text(0);
    hit.title = t.text(1);
    hit.archived = t.integer(2) != 0;
    hit.match = "title";
    out.push_back(std::move(hit));
  }
  t.reset();

  std::string fts = ftsQuery(trimmed);
  if (fts.empty() || out.size() >= limit) return out;
  auto& m = stmt(kSearchMessages,
                 "SELECT m.session_id, s.title, s.archived, m.seq, m.message_id, m.role,"
                 " snippet(message_search, 0, '', '', '…', 12) FROM message_search m"
                 " JOIN sessions s ON s.id = m.session_id WHERE message_search MATCH ?1"
                 " ORDER BY rank LIMIT ?2");
  m.bind(1, fts).bind(2, static_cast<int64_t>(limit - out.size()));
  while (m.step()) {
    SearchHit hit;
    hit.sessionId = m.text(0);
    hit.title = m.text(1);
    hit.archived = m.integer(2) != 0;
    hit.match = "message";
    hit.seq = m.integer(3);
    hit.messageId = m.text(4);
    hit.role = m.text(5);
    hit.snippet = m.text(6);
    out.push_back(std::move(hit));
  }
  m.reset();
  return out;
}

bool SessionCatalog::rename(const std::string& sessionId, const std::string& title,
                            int64_t nowMs) {
  auto held = hold();
  return transaction([&] {
    stmt(kRename, "UPDATE sessions SET title = ?2, updated_at = MAX(updated_at, ?3) WHERE id = ?1")
        .bind(1, sessionId)
        .bind(2, truncateUtf8(title, kMaxTitleChars))
        .bind(3, nowMs)
        .run();
    if (sqlite3_changes(db_) == 0) return false;
    bump(sessionId, "retitled");
    return true;
  });
}

bool SessionCatalog::setArchived(const std::string& sessionId, bool archived, int64_t nowMs) {
  auto held = hold();
  (void)nowMs;  // archiving does not move a chat in the list: it leaves it
  return transaction([&] {
    stmt(kArchive, "UPDATE sessions SET archived = ?2 WHERE id = ?1")
        .bind(1, sessionId)
        .bind(2, static_cast<int64_t>(archived ? 1 : 0))
        .run();
    if (sqlite3_changes(db_) == 0) return false;
    bump(sessionId, archived ? "archived" : "unarchived");
    return true;
  });
}

bool SessionCatalog::remove(const std::string& sessionId) {
  auto held = hold();
  return transaction([&] {
    SqliteStatement del(db_, "DELETE FROM sessions WHERE id = ?1");
    del.bind(1, sessionId).run();
    if (sqlite3_changes(db_) == 0) return false;
    for (const char* sql : {"DELETE FROM events WHERE session_id = ?1",
                            "DELETE FROM open_turns WHERE session_id = ?1",
                            "DELETE FROM queued_turns WHERE session_id = ?1",
                            "DELETE FROM session_approvals WHERE session_id = ?1",
                            "DELETE FROM message_search WHERE session_id = ?1"}) {
      SqliteStatement s(db_, sql);
      s.bind(1, sessionId).run();
    }
    bump(sessionId, "deleted");
    return true;
  });
}

bool SessionCatalog::takeChangedFlag() {
  auto held = hold();
  bool was = changed_;
  changed_ = false;
  return was;
}

std::string encodeSessionChange(const SessionChange& change) {
  return proto::encode(proto::GatewayMessage{change});
}

}  // namespace chat::gateway
