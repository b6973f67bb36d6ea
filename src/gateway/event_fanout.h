// Fan-out of committed session events: the interface between the commit path (commit_queue.h
// publishes what a commit made durable) and whoever listens (WebSocket connections resumed on
// a session, long-poll waiters of GET /api/events). Hub (hub.h) is the in-process
// implementation; a multi-process one (Redis pub/sub, say) implements the same calls.
//
// Promises: publish() is called with a session's committed events in seq order, once each,
// after their commit; every subscriber of the session gets each event once, in that order,
// as the very bytes the log stored (encoded once, shared by all subscribers: no per-subscriber
// copy); a waiter is woken once by the first publish past its seq. Single-threaded: every call
// on the network thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/event_store.h"

namespace chat::gateway {

class EventSubscriber {
 public:
  virtual ~EventSubscriber() = default;
  // One committed event of a session this subscriber is subscribed to.
  virtual void onSessionEvent(const std::string& sessionId, int64_t seq,
                              const std::shared_ptr<const std::string>& frame) = 0;
};

class EventFanout {
 public:
  virtual ~EventFanout() = default;

  virtual void subscribe(const std::string& sessionId, EventSubscriber* subscriber) = 0;
  virtual void unsubscribe(const std::string& sessionId, EventSubscriber* subscriber) = 0;
  virtual void unsubscribeAll(EventSubscriber* subscriber) = 0;
  virtual std::size_t subscriberCount(const std::string& sessionId) const = 0;

  // `wake` is called once (and the waiter removed) when an event with seq > afterSeq is
  // published on the session. Returns an id for removeWaiter (e.g. when the wait times out).
  virtual uint64_t addWaiter(const std::string& sessionId, int64_t afterSeq,
                             std::function<void()> wake) = 0;
  virtual void removeWaiter(uint64_t id) = 0;
  virtual std::size_t waiterCount() const = 0;
  // Wakes (and removes) every waiter now, whatever it waits for: on shutdown, long polls are
  // answered with what there is instead of outliving the gateway.
  virtual void wakeAllWaiters() = 0;

  // Delivers committed events (in seq order) to the session's subscribers and waiters. Takes
  // the events: their frames move into the shared bytes every subscriber sends.
  virtual void publish(const std::string& sessionId, std::vector<LoggedEvent> events) = 0;
};

}  // namespace chat::gateway
