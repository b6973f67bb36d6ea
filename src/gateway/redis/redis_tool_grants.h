// "Approve for session" grants every node shares (tool_grants.h's GrantStore): a Redis set of
// tool names per session (chat:grants:<session>), added to by the append script in the same
// script as the tool.approval.resolved {approved, sessionApprove} it logs (as the SQLite log
// records it in that event's transaction), read whenever an agent asks what a session
// approved, so a turn run on another node later is covered. The set goes with the session's
// delete. (Until the commit the answering node's agent covers its own turns: tool_grants.h.)
#pragma once

#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/tool_grants.h"

namespace chat::gateway::redis {

class RedisToolGrants : public GrantStore {
 public:
  explicit RedisToolGrants(RedisBlocking& redis, RedisKeys keys = {}) : redis_(redis), keys_(std::move(keys)) {}

  std::set<std::string> approvedTools(const std::string& sessionId) override;

 private:
  RedisBlocking& redis_;
  RedisKeys keys_;
};

}  // namespace chat::gateway::redis
