// Helpers of the Redis integration tests: an io_context driven from the test thread until a
// condition holds, and a client connected to a test's private redis-server.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_url.h"
#include "redis_server.h"

namespace chat::itest {

class AsioDriver {
 public:
  AsioDriver() : guard_(ioc.get_executor()) {}
  // Runs handlers until `done()` or `timeoutMs` passed; returns done().
  bool runUntil(const std::function<bool()>& done, int timeoutMs = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ioc.run_for(std::chrono::milliseconds(2));
    }
    return true;
  }
  void runFor(int ms) {
    runUntil([] { return false; }, ms);
  }
  boost::asio::io_context ioc;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
};

inline gateway::redis::RedisEndpoint endpointOf(const RedisServer& server, int db = 0) {
  auto parsed = gateway::redis::parseRedisUrl(server.url(db));
  EXPECT_TRUE(parsed.endpoint) << parsed.error;
  return parsed.endpoint.value_or(gateway::redis::RedisEndpoint{});
}

// A command run to its reply (or a Lost reply after timeoutMs).
inline gateway::redis::RedisReply runCommand(AsioDriver& driver, gateway::redis::RedisClient& client,
                                             std::vector<std::string> args, int timeoutMs = 5000) {
  std::optional<gateway::redis::RedisReply> reply;
  client.command(std::move(args), [&](gateway::redis::RedisReply r) { reply = std::move(r); });
  if (!driver.runUntil([&] { return reply.has_value(); }, timeoutMs))
    return gateway::redis::RedisReply::lost("test timed out");
  return *reply;
}

inline gateway::redis::RedisClientOptions quickOptions(const std::string& name = "redis") {
  gateway::redis::RedisClientOptions o;
  o.name = name;
  o.backoff = {10, 200};
  o.connectTimeoutMs = 1000;
  o.logConnections = false;
  return o;
}

}  // namespace chat::itest
