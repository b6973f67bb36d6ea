#include "gateway/tool_grants.h"

namespace chat::gateway {

void ToolGrants::grant(const std::string& sessionId, const std::string& tool) {
  granted_[sessionId].insert(tool);
}

bool ToolGrants::granted(const std::string& sessionId, const std::string& tool) const {
  if (auto it = granted_.find(sessionId); it != granted_.end() && it->second.count(tool)) return true;
  return persisted_ && persisted_(sessionId).count(tool) > 0;
}

std::set<std::string> ToolGrants::grantedTools(const std::string& sessionId) const {
  std::set<std::string> tools;
  if (persisted_) tools = persisted_(sessionId);
  if (auto it = granted_.find(sessionId); it != granted_.end())
    tools.insert(it->second.begin(), it->second.end());
  return tools;
}

}  // namespace chat::gateway
