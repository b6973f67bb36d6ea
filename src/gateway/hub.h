// Fan-out of committed session events: live subscribers (WebSocket connections resumed on a
// session) and long-poll waiters (GET /api/events). Single-threaded, like the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/event_log.h"

namespace chat::gateway {

class EventSubscriber {
 public:
  virtual ~EventSubscriber() = default;
  // One committed event of a session this subscriber is subscribed to.
  virtual void onSessionEvent(const std::string& sessionId, int64_t seq,
                              const std::shared_ptr<const std::string>& frame) = 0;
};

class Hub {
 public:
  void subscribe(const std::string& sessionId, EventSubscriber* subscriber);
  void unsubscribe(const std::string& sessionId, EventSubscriber* subscriber);
  void unsubscribeAll(EventSubscriber* subscriber);
  std::size_t subscriberCount(const std::string& sessionId) const;

  // `wake` is called once (and the waiter removed) when an event with seq > afterSeq is
  // published on the session. Returns an id for removeWaiter (e.g. when the wait times out).
  uint64_t addWaiter(const std::string& sessionId, int64_t afterSeq, std::function<void()> wake);
  void removeWaiter(uint64_t id);
  std::size_t waiterCount() const { return waiterSessions_.size(); }
  // Wakes (and removes) every waiter now, whatever it waits for: on shutdown, long polls are
  // answered with what there is instead of outliving the gateway.
  void wakeAllWaiters();

  // Delivers committed events (in seq order) to the session's subscribers and waiters.
  void publish(const std::string& sessionId, const std::vector<LoggedEvent>& events);

 private:
  struct Waiter {
    int64_t afterSeq;
    std::function<void()> wake;
  };
  std::unordered_map<std::string, std::set<EventSubscriber*>> subscribers_;
  std::unordered_map<EventSubscriber*, std::set<std::string>> sessionsOf_;
  std::unordered_map<std::string, std::map<uint64_t, Waiter>> waiters_;
  std::unordered_map<uint64_t, std::string> waiterSessions_;
  uint64_t nextWaiterId_ = 1;
};

}  // namespace chat::gateway
