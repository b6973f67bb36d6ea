// The in-process fan-out of committed session events (event_fanout.h): live subscribers
// (WebSocket connections resumed on a session) and long-poll waiters (GET /api/events) of this
// process. Single-threaded, like the rest. Each event's frame is moved into one shared string
// that every subscriber queues (no copy per subscriber).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/event_fanout.h"

namespace chat::gateway {

class Hub : public EventFanout {
 public:
  void subscribe(const std::string& sessionId, EventSubscriber* subscriber) override;
  void unsubscribe(const std::string& sessionId, EventSubscriber* subscriber) override;
  void unsubscribeAll(EventSubscriber* subscriber) override;
  std::size_t subscriberCount(const std::string& sessionId) const override;

  uint64_t addWaiter(const std::string& sessionId, int64_t afterSeq,
                     std::function<void()> wake) override;
  void removeWaiter(uint64_t id) override;
  std::size_t waiterCount() const override { return waiterSessions_.size(); }
  void wakeAllWaiters() override;
  void publish(const std::string& sessionId, std::vector<LoggedEvent> events) override;

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
  uint64_t removals_ = 0;  // unsubscribes so far: a delivery checks its targets only after one
};

}  // namespace chat::gateway
