// The tools agents may use, and how a call runs: which tools exist (given the flags), their
// risk, which calls need the user's approval (and which tools the user approved for a whole
// session), argument checking, running with output streaming, a timeout and cancel.
//
// Tools: time (low), list_files {path} and read_file {path} (low; only with --workspace;
// confined to it), shell {command} (high; only with --workspace and --allow-shell; every call
// needs approval unless the tool was approved for the session).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "gateway/tool_grants.h"

namespace chat::gateway {

class ToolRun {
 public:
  virtual ~ToolRun() = default;
  // Stops the run (kills a command's process group); no handler runs afterwards.
  virtual void stop() = 0;
};

class ToolRunner {
 public:
  struct Options {
    std::string workspace;  // "" = no file or shell tools
    bool allowShell = false;
    int64_t timeoutMs = 120000;
  };
  // The tools approved for a session in the log (survives restarts).
  using ApprovalSource = std::function<std::set<std::string>(const std::string& sessionId)>;

  // `options.workspace` must be canonical (canonicalWorkspace()).
  ToolRunner(boost::asio::io_context& ioc, Options options, ApprovalSource persisted,
             std::function<int64_t()> wallClockMs);

  // The OpenAI `tools` array of the tools on offer (empty array when none).
  nlohmann::json definitions() const;
  bool offers(const std::string& tool) const;
  // "low" / "high".
  std::string risk(const std::string& tool) const;

  // Parses and checks the model's argument text for `tool`: the arguments, or an error
  // message for the model (unknown tool, not JSON, missing or mistyped field).
  struct Checked {
    nlohmann::json args;
    std::string error;
  };
  Checked check(const std::string& tool, const std::string& argumentsText) const;

  bool needsApproval(const std::string& sessionId, const std::string& tool) const;
  // The user chose "Approve for session": later calls of the tool in the session skip it.
  void approveForSession(const std::string& sessionId, const std::string& tool);

  struct Result {
    bool ok = false;
    nlohmann::json result;  // when ok: a JSON object
    std::string error;      // when not
  };
  using OutputHandler = std::function<void(const std::string& text)>;
  using DoneHandler = std::function<void(const Result&)>;
  // Runs a checked call. onDone runs later on the io_context (never inside run()).
  std::shared_ptr<ToolRun> run(const std::string& tool, const nlohmann::json& args,
                               OutputHandler onOutput, DoneHandler onDone);

 private:
  boost::asio::io_context& ioc_;
  Options options_;
  std::function<int64_t()> now_;
  ToolGrants grants_;  // "Approve for session" (tool_grants.h, shared with the demo agent)
};

}  // namespace chat::gateway
