// What a --redis node shares with the others besides the events (redis_event_store.h) and
// their fan-out (redis_event_fanout.h): the session list and its push feed, the "Approve for
// session" grants and the PIN budget. One blocking connection (its own thread) serves the
// three; the list feed's channel is listened to on the network thread's io_context.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/redis/redis_pin_budget.h"
#include "gateway/redis/redis_session_list.h"
#include "gateway/redis/redis_tool_grants.h"

namespace chat::gateway::redis {

struct RedisSharedState {
  RedisSharedState(boost::asio::io_context& ioc, const RedisEndpoint& endpoint, RedisKeys keys = {})
      : redis(std::make_shared<RedisBlocking>(endpoint, [] {
          RedisClientOptions o;
          o.name = "redis shared state";
          return o;
        }())),
        sessions(ioc, *redis, endpoint, keys),
        grants(*redis, keys),
        pinBudget(std::make_shared<RedisPinBudget>(redis, keys)) {}

  std::shared_ptr<RedisBlocking> redis;
  RedisSessionList sessions;
  RedisToolGrants grants;
  std::shared_ptr<RedisPinBudget> pinBudget;  // handed to the PinAttemptLimiter
};

}  // namespace chat::gateway::redis
