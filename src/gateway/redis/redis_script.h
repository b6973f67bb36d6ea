// A Lua script run by EVALSHA, loaded once with SCRIPT LOAD; EVAL when its sha is not known
// yet or Redis answers NOSCRIPT (a restarted Redis has an empty script cache).
#pragma once

#include <string>
#include <vector>

#include "gateway/redis/redis_client.h"

namespace chat::gateway::redis {

class RedisScript {
 public:
  explicit RedisScript(std::string source) : source_(std::move(source)) {}

  // Runs it on `client` with `keyCount` keys first in `keysAndArgs`.
  void run(RedisClient& client, const std::vector<std::string>& keysAndArgs, std::size_t keyCount,
           RedisClient::Callback done);

 private:
  std::vector<std::string> command(const char* verb, const std::string& body,
                                   const std::vector<std::string>& keysAndArgs,
                                   std::size_t keyCount) const;
  std::string source_;
  std::string sha_;
  bool loading_ = false;
};

}  // namespace chat::gateway::redis
