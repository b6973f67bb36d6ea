// Live fan-out across nodes (--redis): every node subscribes to the events channel the append
// script publishes on (redis_event_log.h) and hands each session's events to its local
// subscribers (the Hub) exactly once and in seq order, whichever node appended them.
//
// Per watched session it keeps the last seq delivered. An event that would leave a gap (its
// predecessor not seen yet: published by another node a moment earlier, or lost while the
// subscriber connection was down) is held and the gap is filled from the session's Stream;
// events at or below the delivered seq are dropped (this node's own appends arrive twice: from
// the script's answer and from the channel). After a reconnect every watched session is
// caught up from the Stream, since pub/sub drops what is published while a subscriber is away.
//
// Sessions nobody on this node watches are ignored. One channel for all sessions: each node
// receives every batch (N nodes, N copies); simple and without subscribe churn, and at the
// scale of a few nodes the cost is the network copy, not Redis.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "gateway/event_log.h"
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_event_log.h"

namespace chat::gateway::redis {

class RedisFanout {
 public:
  using Deliver = std::function<void(const std::string& sessionId, const std::vector<LoggedEvent>&)>;

  // `subscriber`: a client of its own (subscriber mode); `log`: reads the Streams for gaps.
  RedisFanout(boost::asio::io_context& ioc, RedisClient& subscriber, RedisEventLog& log,
              Deliver deliver);
  ~RedisFanout();

  // Subscribes (and renews the subscription on every reconnect, catching up afterwards).
  void start();

  // This node wants the session's events after `afterSeq` (counted: unwatch as often). A
  // second watch keeps the position already reached; delivered() says where that is.
  void watch(const std::string& sessionId, int64_t afterSeq);
  void unwatch(const std::string& sessionId);
  bool watching(const std::string& sessionId) const { return sessions_.count(sessionId) != 0; }
  int64_t delivered(const std::string& sessionId) const;

  // Events this node appended (the append's answer): ordered with the others, delivered once.
  void offer(const std::string& sessionId, const std::vector<LoggedEvent>& events);

  uint64_t gapFills() const { return gapFills_; }  // reads from the Stream so far (tests, bench)

 private:
  struct Session {
    int watchers = 0;
    int64_t delivered = 0;
    std::map<int64_t, std::string> held;  // arrived ahead of a gap
    bool filling = false;                 // a Stream read is in flight
    bool fillAgain = false;               // more may be missing once it answers
  };
  void onMessage(const std::string& payload);
  void accept(const std::string& sessionId, Session& s, int64_t seq, std::string frame);
  void drain(const std::string& sessionId);
  void fill(const std::string& sessionId);

  boost::asio::io_context& ioc_;
  RedisClient& subscriber_;
  RedisEventLog& log_;
  Deliver deliver_;
  std::unordered_map<std::string, Session> sessions_;
  uint64_t gapFills_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chat::gateway::redis
