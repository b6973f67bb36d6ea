// What the screen-reader live regions should say: completed messages and tool results (polite)
// and approval requests (assertive), once each, when complete — never per streamed delta.
//
// Fed the reducer's effects (core/chat/effects.h) as they happen; take() returns what to say.
// Whatever a session receives before it has settled as the current one (its history, a replay
// after reload) is not read out: the app calls take() with historyLoading while the session's
// history arrives in bulk, and the first take() after it became current (or after its load
// ended) starts from there. At most `maxPerUpdate` of the newest items are said at once, so a
// burst never floods the reader.
#pragma once

#include <cstddef>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/chat/effects.h"

namespace chat::web {

struct Announcement {
  std::string text;
  bool assertive = false;  // approval requests interrupt; everything else waits its turn
};

class LiveAnnouncer {
 public:
  explicit LiveAnnouncer(std::size_t maxPerUpdate = 4, std::size_t maxChars = 2000);

  // One effect, with the state it came with.
  void note(const core::ChatState& state, const core::Effect& effect);
  // What to say now (the newest noted items, oldest first), and forgets them.
  std::vector<Announcement> take(const core::ChatState& state, bool historyLoading = false);

 private:
  enum class What { Message, Tool, ApprovalAsked, ApprovalResolved };
  struct Item {
    What what;
    std::size_t index;
  };
  void push(What what, std::size_t index);
  std::string text(const core::SessionState& s, const Item& item) const;
  std::string clip(const std::string& s) const;

  std::size_t maxPerUpdate_;
  std::size_t maxChars_;
  bool settled_ = false;   // the current session's first take() (after its load) happened
  std::string sessionId_;  // the session being announced
  std::deque<Item> pending_;  // at most maxPerUpdate_ (the newest)
  std::set<std::string> approvalsAsked_;  // a request asked again is not read out again
};

}  // namespace chat::web
