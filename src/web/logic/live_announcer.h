// What the screen-reader live regions should say: completed messages and tool results (polite)
// and approval requests (assertive), once each, when complete — never per streamed delta.
//
// Diffs the ChatState on each change. Whatever a session already holds when it becomes current
// (history, a replay after reload) is recorded without being read out, and at most
// `maxPerUpdate` of the newest items are announced at once, so a burst never floods the reader.
// The history of a session that just became current usually arrives after that moment, in
// bulk: while update() is told so (historyLoading, until the load first ends), what arrives is
// recorded as history too.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"

namespace chat::web {

struct Announcement {
  std::string text;
  bool assertive = false;  // approval requests interrupt; everything else waits its turn
};

class LiveAnnouncer {
 public:
  explicit LiveAnnouncer(std::size_t maxPerUpdate = 4, std::size_t maxChars = 2000);
  std::vector<Announcement> update(const core::ChatState& state, bool historyLoading = false);

 private:
  void baseline(const core::SessionState* s);
  std::string clip(const std::string& s) const;

  std::size_t maxPerUpdate_;
  std::size_t maxChars_;
  bool started_ = false;
  bool settled_ = false;  // the current session's first history load has ended
  std::string sessionId_;
  std::size_t messageCursor_ = 0;  // messages before it are announced (or were history)
  std::size_t toolCursor_ = 0;     // tools before it are all final
  std::set<std::string> toolsDone_;
  std::set<std::string> approvalsAsked_;
  std::set<std::string> approvalsResolved_;
};

}  // namespace chat::web
