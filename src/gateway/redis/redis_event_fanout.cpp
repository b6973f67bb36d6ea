#include "gateway/redis/redis_event_fanout.h"

namespace chat::gateway::redis {

RedisEventFanout::RedisEventFanout(boost::asio::io_context& ioc, const RedisEndpoint& endpoint,
                                   const std::string& nodeId, RedisKeys keys,
                                   RedisClientOptions clientOptions)
    : reader_(ioc, endpoint, [&] {
        auto o = clientOptions;
        o.name += "-reader";
        return o;
      }()),
      subscriber_(ioc, endpoint, [&] {
        auto o = clientOptions;
        o.name += "-subscriber";
        return o;
      }()),
      log_(ioc, reader_, nodeId, std::move(keys)),
      fanout_(ioc, subscriber_, log_,
              [this](const std::string& sessionId, const std::vector<LoggedEvent>& events) {
                if (!events.empty()) {
                  int64_t& last = lastKnown_[sessionId];
                  last = std::max(last, events.back().seq);
                }
                hub_.publish(sessionId, events);
              }) {
  reader_.start();
  subscriber_.start();
  fanout_.start();
}

RedisEventFanout::~RedisEventFanout() { alive_.reset(); }

void RedisEventFanout::listen(const std::string& sessionId, int64_t afterSeq) {
  fanout_.watch(sessionId, afterSeq);
}

void RedisEventFanout::stopListening(const std::string& sessionId) {
  fanout_.unwatch(sessionId);
  if (!fanout_.watching(sessionId)) lastKnown_.erase(sessionId);
}

void RedisEventFanout::subscribe(const std::string& sessionId, EventSubscriber* subscriber) {
  bool fresh = hub_.subscriberCount(sessionId) == 0;
  hub_.subscribe(sessionId, subscriber);
  if (!fresh || hub_.subscriberCount(sessionId) != 1) return;
  if (auto it = lastKnown_.find(sessionId); it != lastKnown_.end()) {
    listen(sessionId, it->second);
    return;
  }
  // Nothing known here yet: start at the session's head rather than replaying its history to
  // a subscriber that has just read it from the log.
  log_.lastSeq(sessionId, [this, sessionId, alive = std::weak_ptr<bool>(alive_)](std::optional<int64_t> head) {
    if (alive.expired() || hub_.subscriberCount(sessionId) == 0 || fanout_.watching(sessionId)) return;
    int64_t from = head.value_or(0);
    if (auto it = lastKnown_.find(sessionId); it != lastKnown_.end()) from = std::min(from, it->second);
    lastKnown_[sessionId] = from;
    listen(sessionId, from);
  });
}

void RedisEventFanout::unsubscribe(const std::string& sessionId, EventSubscriber* subscriber) {
  std::size_t before = hub_.subscriberCount(sessionId);
  hub_.unsubscribe(sessionId, subscriber);
  if (before > 0 && hub_.subscriberCount(sessionId) == 0) stopListening(sessionId);
}

void RedisEventFanout::unsubscribeAll(EventSubscriber* subscriber) {
  // The Hub does not say which sessions it held: compare counts of the sessions watched here.
  std::vector<std::pair<std::string, std::size_t>> before;
  for (const auto& [sessionId, seq] : lastKnown_) before.emplace_back(sessionId, hub_.subscriberCount(sessionId));
  hub_.unsubscribeAll(subscriber);
  for (const auto& [sessionId, count] : before)
    if (count > 0 && hub_.subscriberCount(sessionId) == 0) stopListening(sessionId);
}

uint64_t RedisEventFanout::addWaiter(const std::string& sessionId, int64_t afterSeq,
                                     std::function<void()> wake) {
  auto shared = std::make_shared<uint64_t>(0);
  uint64_t id = hub_.addWaiter(sessionId, afterSeq,
                               [this, shared, sessionId, wake = std::move(wake),
                                alive = std::weak_ptr<bool>(alive_)]() {
                                 if (!alive.expired() && waiters_.erase(*shared) == 1)
                                   stopListening(sessionId);
                                 wake();
                               });
  *shared = id;
  waiters_[id] = sessionId;
  lastKnown_.emplace(sessionId, afterSeq);
  listen(sessionId, afterSeq);
  return id;
}

void RedisEventFanout::removeWaiter(uint64_t id) {
  hub_.removeWaiter(id);
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  std::string sessionId = it->second;
  waiters_.erase(it);
  stopListening(sessionId);
}

void RedisEventFanout::publish(const std::string& sessionId, std::vector<LoggedEvent> events) {
  if (!events.empty()) {
    int64_t& last = lastKnown_[sessionId];
    last = std::max(last, events.back().seq);
  }
  // Subscribed while the head read that starts the watch is still out: the watch will start
  // after these (lastKnown_), so they go to the subscribers now (a WebSocket fills any hole
  // before them from the log). Else a fresh chat's first events could reach nobody here.
  if (!fanout_.watching(sessionId) && hub_.subscriberCount(sessionId) > 0) {
    hub_.publish(sessionId, std::move(events));
    return;
  }
  fanout_.offer(sessionId, events);  // delivered (once, in order) if someone here listens
}

}  // namespace chat::gateway::redis
