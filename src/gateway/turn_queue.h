// The order of turns within a session: at most one turn of a session runs at a time, the others
// wait in the order their chat.sends were logged (the client shows one streaming reply per
// session, and a user who types while a reply streams expects an answer after it). Different
// sessions run side by side. Pure bookkeeping, in memory; the log keeps the waiting turns
// durable (event_log.h, QueuedTurn).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/event_log.h"

namespace chat::gateway {

class TurnQueue {
 public:
  // Adds a turn at the back of its session's line.
  void enqueue(QueuedTurn turn);

  // Marks a waiting turn cancelled (it still gets its start and end, in its turn). False when
  // no turn with this id waits (it runs, ended, or never existed).
  bool cancel(const std::string& requestId);
  bool isWaiting(const std::string& requestId) const;

  // When no turn of the session runs: removes the session's next waiting turn from its line and
  // counts it as running until finished(). Otherwise (or when none waits) nothing.
  std::optional<QueuedTurn> startNext(const std::string& sessionId);
  // The running turn `requestId` of the session ended: the session may start its next turn.
  void finished(const std::string& sessionId, const std::string& requestId);
  // A turn startNext() handed out could not start after all (the log refused its first
  // events): it goes back to the head of its line and the session counts as idle.
  void putBack(QueuedTurn turn);

  // Turns on their way into the line: a message that queues a turn counts from the moment it
  // is handed to the group commit until that commit is done (submitted/committed), so a later
  // message of the same session cannot start ahead of it.
  void submitted(const std::string& sessionId);
  void committed(const std::string& sessionId);
  // Nothing of the session runs, waits or is on its way: a new turn may start at once.
  bool idle(const std::string& sessionId) const;
  // Counts `turn` as its session's running turn without it having waited in the line (it
  // starts in the same commit as its message, the session being idle). finished() ends it.
  void startAtOnce(const QueuedTurn& turn);

  // The running turn of a session, if any.
  std::optional<std::string> running(const std::string& sessionId) const;
  std::size_t waiting(const std::string& sessionId) const;
  std::vector<std::string> waitingIds(const std::string& sessionId) const;
  // Sessions that have waiting turns.
  std::vector<std::string> sessionsWithWaitingTurns() const;

 private:
  std::map<std::string, std::deque<QueuedTurn>> lines_;  // sessionId -> waiting turns
  std::map<std::string, std::string> running_;           // sessionId -> requestId
  std::map<std::string, int> submitting_;                // sessionId -> turns on their way
};

}  // namespace chat::gateway
