// The gateway's fan-out (event_fanout.h) when it runs as one of several nodes: this node's Hub
// (its WebSocket subscribers and long-poll waiters) fed with every node's events of the
// sessions someone here listens to, once each and in seq order (redis_fanout.h):
//   - publish(): this node's committed events (the commit path), ordered with the others';
//   - subscribe(): the session is watched from the latest seq this node knows, or its head in
//     Redis (a WebSocket that is further behind sees a hole and reads it from the log itself);
//   - addWaiter(): watched from the waiter's own seq (woken by the first event past it);
//   - unsubscribe()/a waiter's wake or removal: unwatched when nobody here listens any more.
// Single-threaded: the network thread's io_context, like the Hub.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "gateway/event_fanout.h"
#include "gateway/hub.h"
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_fanout.h"
#include "gateway/redis/redis_url.h"

namespace chat::gateway::redis {

class RedisEventFanout : public EventFanout {
 public:
  RedisEventFanout(boost::asio::io_context& ioc, const RedisEndpoint& endpoint,
                   const std::string& nodeId, RedisKeys keys = {},
                   RedisClientOptions clientOptions = {});
  ~RedisEventFanout() override;

  void subscribe(const std::string& sessionId, EventSubscriber* subscriber) override;
  void unsubscribe(const std::string& sessionId, EventSubscriber* subscriber) override;
  void unsubscribeAll(EventSubscriber* subscriber) override;
  std::size_t subscriberCount(const std::string& sessionId) const override {
    return hub_.subscriberCount(sessionId);
  }

  uint64_t addWaiter(const std::string& sessionId, int64_t afterSeq,
                     std::function<void()> wake) override;
  void removeWaiter(uint64_t id) override;
  std::size_t waiterCount() const override { return hub_.waiterCount(); }
  void wakeAllWaiters() override { hub_.wakeAllWaiters(); }

  // This node's committed events of the session.
  void publish(const std::string& sessionId, std::vector<LoggedEvent> events) override;

  bool connected() const { return subscriber_.ready() && reader_.ready(); }
  const RedisFanout& fanout() const { return fanout_; }

 private:
  void listen(const std::string& sessionId, int64_t afterSeq);
  void stopListening(const std::string& sessionId);

  RedisClient reader_;      // reads the Streams (gaps, catch-up)
  RedisClient subscriber_;  // the events channel
  RedisEventLog log_;
  Hub hub_;
  RedisFanout fanout_;
  std::unordered_map<std::string, int64_t> lastKnown_;  // the latest seq seen per session
  std::unordered_map<uint64_t, std::string> waiters_;   // waiter id -> session
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chat::gateway::redis
