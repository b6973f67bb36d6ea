// The wrong-PIN/token budget every node shares (auth.h's SharedAttemptBudget), with the same
// rules as one node's PinAttemptLimiter: per throttle key a hash (failures, lockouts, locked
// until, last failure) that expires once idle as the limiter forgets an idle entry; one global
// hash (kept) for the budget of all addresses together. One Lua script per call, on Redis's
// clock (TIME), so nodes with different clocks agree on when a lockout ends.
#pragma once

#include <memory>

#include "gateway/auth.h"
#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/redis/redis_script.h"

namespace chat::gateway::redis {

class RedisPinBudget : public SharedAttemptBudget {
 public:
  // Holds `redis`: the limiter that shares this budget may outlive the rest of the node.
  explicit RedisPinBudget(std::shared_ptr<RedisBlocking> redis, RedisKeys keys = {});

  bool lockedOut(const std::string& throttleKey, const AttemptRules& rules) override;
  bool globallyLockedOut(const AttemptRules& rules) override;
  std::vector<std::string> recordFailure(const std::string& throttleKey, const AttemptRules& rules) override;
  void recordSuccess(const std::string& throttleKey) override;

 private:
  RedisReply run(const char* op, const std::string& throttleKey, const AttemptRules& rules, bool idempotent);

  std::shared_ptr<RedisBlocking> redis_;
  RedisKeys keys_;
  RedisScript script_;
};

}  // namespace chat::gateway::redis
