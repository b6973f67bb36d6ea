#include "gateway/hub.h"

namespace chat::gateway {

void Hub::subscribe(const std::string& sessionId, EventSubscriber* subscriber) {
  subscribers_[sessionId].insert(subscriber);
  sessionsOf_[subscriber].insert(sessionId);
}

void Hub::unsubscribe(const std::string& sessionId, EventSubscriber* subscriber) {
  ++removals_;
  if (auto it = subscribers_.find(sessionId); it != subscribers_.end()) {
    it->second.erase(subscriber);
    if (it->second.empty()) subscribers_.erase(it);
  }
  if (auto it = sessionsOf_.find(subscriber); it != sessionsOf_.end()) {
    it->second.erase(sessionId);
    if (it->second.empty()) sessionsOf_.erase(it);
  }
}

void Hub::unsubscribeAll(EventSubscriber* subscriber) {
  ++removals_;
  auto it = sessionsOf_.find(subscriber);
  if (it == sessionsOf_.end()) return;
  for (const auto& sessionId : it->second) {
    if (auto s = subscribers_.find(sessionId); s != subscribers_.end()) {
      s->second.erase(subscriber);
      if (s->second.empty()) subscribers_.erase(s);
    }
  }
  sessionsOf_.erase(it);
}

std::size_t Hub::subscriberCount(const std::string& sessionId) const {
  auto it = subscribers_.find(sessionId);
  return it == subscribers_.end() ? 0 : it->second.size();
}

uint64_t Hub::addWaiter(const std::string& sessionId, int64_t afterSeq,
                        std::function<void()> wake) {
  uint64_t id = nextWaiterId_++;
  waiters_[sessionId].emplace(id, Waiter{afterSeq, std::move(wake)});
  waiterSessions_.emplace(id, sessionId);
  return id;
}

void Hub::removeWaiter(uint64_t id) {
  auto it = waiterSessions_.find(id);
  if (it == waiterSessions_.end()) return;
  if (auto w = waiters_.find(it->second); w != waiters_.end()) {
    w->second.erase(id);
    if (w->second.empty()) waiters_.erase(w);
  }
  waiterSessions_.erase(it);
}

void Hub::wakeAllWaiters() {
  std::vector<std::function<void()>> wake;
  for (auto& [sessionId, waiters] : waiters_)
    for (auto& [id, waiter] : waiters) wake.push_back(std::move(waiter.wake));
  waiters_.clear();
  waiterSessions_.clear();
  // Called after the maps are consistent: a wake may add a waiter or publish.
  for (auto& fn : wake) fn();
}

void Hub::publish(const std::string& sessionId, std::vector<LoggedEvent> events) {
  if (events.empty()) return;
  if (auto it = subscribers_.find(sessionId); it != subscribers_.end()) {
    // A subscriber may unsubscribe while we deliver (e.g. it is disconnected for being slow):
    // iterate over a copy and skip those gone since (looked up only once someone left).
    std::vector<EventSubscriber*> targets(it->second.begin(), it->second.end());
    const uint64_t removalsBefore = removals_;
    for (LoggedEvent& event : events) {
      auto frame = std::make_shared<const std::string>(std::move(event.json));
      for (EventSubscriber* subscriber : targets) {
        if (removals_ != removalsBefore) {
          auto now = subscribers_.find(sessionId);
          if (now == subscribers_.end() || !now->second.count(subscriber)) continue;
        }
        subscriber->onSessionEvent(sessionId, event.seq, frame);
      }
    }
  }
  auto w = waiters_.find(sessionId);
  if (w == waiters_.end()) return;
  int64_t last = events.back().seq;
  std::vector<std::function<void()>> wake;
  for (auto it = w->second.begin(); it != w->second.end();) {
    if (it->second.afterSeq < last) {
      wake.push_back(std::move(it->second.wake));
      waiterSessions_.erase(it->first);
      it = w->second.erase(it);
    } else {
      ++it;
    }
  }
  if (w->second.empty()) waiters_.erase(w);
  for (auto& fn : wake) fn();
}

}  // namespace chat::gateway
