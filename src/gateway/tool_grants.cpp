#include "gateway/tool_grants.h"

namespace chat::gateway {

std::vector<std::pair<std::string, std::string>> PendingApprovals::grantsIn(
    const std::string& sessionId, const std::vector<proto::GatewayMessage>& events) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& event : events) {
    if (const auto* request = std::get_if<proto::ToolApprovalRequest>(&event)) {
      if (toolOfCall_.size() >= kMax) toolOfCall_.clear();
      toolOfCall_[request->toolCallId] = request->toolName;
    } else if (const auto* resolved = std::get_if<proto::ToolApprovalResolved>(&event)) {
      auto it = toolOfCall_.find(resolved->toolCallId);
      if (it == toolOfCall_.end()) continue;
      if (resolved->approved && resolved->sessionApprove) out.emplace_back(sessionId, it->second);
      toolOfCall_.erase(it);
    }
  }
  return out;
}

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
