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
#include <vector>

#include "core/protocol/messages.h"

namespace chat::gateway {

// Where grants are read from when several gateway nodes share them (--redis:
// redis/redis_tool_grants.h); without it GatewayCore asks EventLog::sessionApprovedTools. Both
// are written by the append that logs the tool.approval.resolved {approved, sessionApprove}.
class GrantStore {
 public:
  virtual ~GrantStore() = default;
  // Every tool approved for the session, on any node. Throws when the store cannot be read.
  virtual std::set<std::string> approvedTools(const std::string& sessionId) = 0;
};

// The tool a session approval covers, for a log that is not told the open turn's tool (the
// Redis append): remembers each tool.approval.request's tool by its call id until its
// tool.approval.resolved comes (bounded: a request never resolved is forgotten). The request
// and its resolution are logged by the node that runs the turn.
class PendingApprovals {
 public:
  static constexpr std::size_t kMax = 10000;
  // The (session, tool) pairs the events approve for their session.
  std::vector<std::pair<std::string, std::string>> grantsIn(
      const std::string& sessionId, const std::vector<proto::GatewayMessage>& events);

 private:
  std::map<std::string, std::string> toolOfCall_;  // toolCallId -> tool name
};

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
