// Which tools the user approved "for the session": one ledger that both agents use (the demo
// agent and the OpenAI-compatible agent's ToolRunner), so a grant means the same everywhere.
// Grants come from two places: the event log (written with the tool.approval.resolved event,
// so they survive a restart) and this process's answers, remembered from the moment of the
// answer (before that event's commit), so a turn started meanwhile is covered too.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

namespace chat::gateway {

class ToolGrants {
 public:
  // The tools the log says are approved for a session (EventLog::sessionApprovedTools).
  using PersistedSource = std::function<std::set<std::string>(const std::string& sessionId)>;

  explicit ToolGrants(PersistedSource persisted = {}) : persisted_(std::move(persisted)) {}

  // The user chose "Approve for session" for `tool` in `sessionId`.
  void grant(const std::string& sessionId, const std::string& tool);
  bool granted(const std::string& sessionId, const std::string& tool) const;
  // Every tool granted in the session (the log's and this process's).
  std::set<std::string> grantedTools(const std::string& sessionId) const;

 private:
  PersistedSource persisted_;
  std::map<std::string, std::set<std::string>> granted_;  // sessionId -> tools
};

}  // namespace chat::gateway
