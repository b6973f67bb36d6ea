// What session.search reads on Redis: each session's text in a hash (chat:text:<session>),
// written by the append script from the ops an append carries:
//   field "<seq>" = "<role>\n<message id>\n<text>": a chat.message at its seq, and a reply
//   (its deltas joined) at the seq of its chat.stream.start, under its request id;
//   while a reply streams its deltas are APPENDed to chat:reply:<session>:<request id> and
//   field "r:<request id>" holds its start's seq; its chat.stream.end moves the text in.
// The same messages the SQLite catalog indexes (session_catalog.h), without FTS5: a search
// scans these hashes (redis_session_list.h says what that costs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/protocol/messages.h"
#include "gateway/session_list_store.h"

namespace chat::gateway::redis {

// Whether an event changes the session list (everything but streamed text and tool output),
// as the SQLite catalog decides.
bool isListChange(const proto::GatewayMessage& event);

// The search-text ops of one append (three script arguments each).
class SessionTextOps {
 public:
  void add(int64_t seq, const proto::GatewayMessage& event);
  // Not text: `tool` approved for the session (the script adds it to its grants).
  void grant(const std::string& tool);
  std::size_t count() const { return args_.size() / 3; }
  void appendTo(std::vector<std::string>& args) const { args.insert(args.end(), args_.begin(), args_.end()); }

 private:
  std::vector<std::string> args_;
  std::string deltaOf_;  // the request id of the last op when it is a 'D' (consecutive deltas join)
};

// One entry of a session's text hash.
struct SessionTextEntry {
  int64_t seq = 0;
  std::string role;
  std::string messageId;
  std::string text;
};
// Parses a field/value pair of the hash (false for the "r:" bookkeeping fields and garbage).
bool parseSessionText(const std::string& field, const std::string& value, SessionTextEntry* out);

// The words of what a user typed, lower-cased (ASCII), quotes dropped.
std::vector<std::string> searchWords(const std::string& typed);
// Whether every word occurs in `text` (ASCII case-insensitive substring: the last word typed
// is a prefix of a word the same way).
bool matchesAll(const std::string& text, const std::vector<std::string>& words);
// About a dozen words around the first match, "…" where cut (like FTS5's snippet()).
std::string snippetOf(const std::string& text, const std::vector<std::string>& words);
// ASCII case-insensitive substring test (SQLite's LIKE for titles).
bool containsNoCase(const std::string& text, const std::string& needle);

}  // namespace chat::gateway::redis
