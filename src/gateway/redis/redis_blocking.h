// A Redis connection for callers that wait for the answer (the session list, grants, the PIN
// budget: reads and small atomic writes made while handling one client message): the
// connection runs on a thread of its own, a call is handed to it and waited for. Safe from
// any thread. A call made while Redis is away waits for the reconnect up to `timeoutMs`, then
// throws EventLogError, as the event store does.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_script.h"
#include "gateway/redis/redis_url.h"

namespace chat::gateway::redis {

class RedisBlocking {
 public:
  RedisBlocking(RedisEndpoint endpoint, RedisClientOptions options = {}, int64_t timeoutMs = 10000);
  ~RedisBlocking();
  RedisBlocking(const RedisBlocking&) = delete;
  RedisBlocking& operator=(const RedisBlocking&) = delete;

  // The reply of one command; throws EventLogError when Redis answers an error or cannot be
  // reached in time (a command lost in flight is retried only when `idempotent`).
  RedisReply call(std::vector<std::string> args, bool idempotent = true);
  // Runs `script` (EVALSHA, loaded on first use) with `keyCount` keys first. Same errors.
  RedisReply eval(RedisScript& script, std::vector<std::string> keysAndArgs, std::size_t keyCount,
                  bool idempotent = true);

 private:
  template <class Send>
  RedisReply wait(Send send, bool idempotent);

  int64_t timeoutMs_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::unique_ptr<RedisClient> client_;
  std::thread thread_;
};

}  // namespace chat::gateway::redis
