#include "gateway/redis/redis_tool_grants.h"


namespace chat::gateway::redis {

std::set<std::string> RedisToolGrants::approvedTools(const std::string& sessionId) {
  RedisReply r = redis_.call({"SMEMBERS", keys_.grants(sessionId)});
  std::set<std::string> tools;
  for (const auto& e : r.elements) tools.insert(e.str);
  return tools;
}

}  // namespace chat::gateway::redis
