#include "gateway/turn_queue.h"

namespace chat::gateway {

void TurnQueue::enqueue(QueuedTurn turn) {
  std::string sessionId = turn.sessionId;
  lines_[sessionId].push_back(std::move(turn));
}

bool TurnQueue::cancel(const std::string& requestId) {
  for (auto& [sessionId, line] : lines_) {
    for (auto& turn : line) {
      if (turn.requestId == requestId) {
        turn.cancelled = true;
        return true;
      }
    }
  }
  return false;
}

bool TurnQueue::isWaiting(const std::string& requestId) const {
  for (const auto& [sessionId, line] : lines_)
    for (const auto& turn : line)
      if (turn.requestId == requestId) return true;
  return false;
}

std::optional<QueuedTurn> TurnQueue::startNext(const std::string& sessionId) {
  if (running_.count(sessionId)) return std::nullopt;
  auto it = lines_.find(sessionId);
  if (it == lines_.end() || it->second.empty()) return std::nullopt;
  QueuedTurn turn = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) lines_.erase(it);
  running_[sessionId] = turn.requestId;
  return turn;
}

void TurnQueue::finished(const std::string& sessionId, const std::string& requestId) {
  auto it = running_.find(sessionId);
  if (it != running_.end() && it->second == requestId) running_.erase(it);
}

void TurnQueue::putBack(QueuedTurn turn) {
  finished(turn.sessionId, turn.requestId);
  std::string sessionId = turn.sessionId;
  lines_[sessionId].push_front(std::move(turn));
}

void TurnQueue::submitted(const std::string& sessionId) { ++submitting_[sessionId]; }

void TurnQueue::committed(const std::string& sessionId) {
  auto it = submitting_.find(sessionId);
  if (it != submitting_.end() && --it->second <= 0) submitting_.erase(it);
}

bool TurnQueue::idle(const std::string& sessionId) const {
  return !running_.count(sessionId) && waiting(sessionId) == 0 && !submitting_.count(sessionId);
}

void TurnQueue::startAtOnce(const QueuedTurn& turn) { running_[turn.sessionId] = turn.requestId; }

std::optional<std::string> TurnQueue::running(const std::string& sessionId) const {
  auto it = running_.find(sessionId);
  if (it == running_.end()) return std::nullopt;
  return it->second;
}

std::size_t TurnQueue::waiting(const std::string& sessionId) const {
  auto it = lines_.find(sessionId);
  return it == lines_.end() ? 0 : it->second.size();
}

std::vector<std::string> TurnQueue::sessionsWithWaitingTurns() const {
  std::vector<std::string> out;
  for (const auto& [sessionId, line] : lines_)
    if (!line.empty()) out.push_back(sessionId);
  return out;
}

}  // namespace chat::gateway

namespace chat::gateway {

std::vector<std::string> TurnQueue::waitingIds(const std::string& sessionId) const {
  std::vector<std::string> out;
  auto it = lines_.find(sessionId);
  if (it != lines_.end())
    for (const QueuedTurn& turn : it->second) out.push_back(turn.requestId);
  return out;
}

}  // namespace chat::gateway
