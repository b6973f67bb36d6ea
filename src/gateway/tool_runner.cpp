#include "gateway/tool_runner.h"

#include <boost/asio/post.hpp>

#include "gateway/shell_process.h"
#include "gateway/workspace_tools.h"

namespace chat::gateway {

namespace {

nlohmann::json function(const char* name, const char* description, nlohmann::json properties,
                        std::vector<std::string> required) {
  return {{"type", "function"},
          {"function",
           {{"name", name},
            {"description", description},
            {"parameters",
             {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}}}}}};
}

// A run that already has its answer (the synchronous tools): delivered on the next turn of the
// loop, unless stopped first.
class ImmediateRun : public ToolRun, public std::enable_shared_from_this<ImmediateRun> {
 public:
  void deliver(boost::asio::io_context& ioc, ToolRunner::Result result,
               ToolRunner::DoneHandler onDone) {
    onDone_ = std::move(onDone);
    auto self = shared_from_this();
    boost::asio::post(ioc, [self, result = std::move(result)] {
      auto done = std::move(self->onDone_);
      if (done) done(result);
    });
  }
  void stop() override { onDone_ = nullptr; }

 private:
  ToolRunner::DoneHandler onDone_;
};

class ShellRun : public ToolRun {
 public:
  explicit ShellRun(std::shared_ptr<ShellProcess> process) : process_(std::move(process)) {}
  void stop() override { process_->stop(); }

 private:
  std::shared_ptr<ShellProcess> process_;
};

}  // namespace

ToolRunner::ToolRunner(boost::asio::io_context& ioc, Options options, ApprovalSource persisted,
                       std::function<int64_t()> wallClockMs)
    : ioc_(ioc),
      options_(std::move(options)),
      grants_(std::move(persisted)),
      now_(std::move(wallClockMs)) {}

bool ToolRunner::offers(const std::string& tool) const {
  if (tool == "time") return true;
  if (tool == "list_files" || tool == "read_file") return !options_.workspace.empty();
  if (tool == "shell") return !options_.workspace.empty() && options_.allowShell;
  return false;
}

std::string ToolRunner::risk(const std::string& tool) const {
  return tool == "shell" ? "high" : "low";
}

nlohmann::json ToolRunner::definitions() const {
  nlohmann::json tools = nlohmann::json::array();
  tools.push_back(function("time", "The current date and time (UTC).", nlohmann::json::object(), {}));
  if (offers("list_files"))
    tools.push_back(function(
        "list_files", "List the entries of a directory in the workspace.",
        {{"path", {{"type", "string"}, {"description", "directory, relative to the workspace; \".\" for its root"}}}},
        {"path"}));
  if (offers("read_file"))
    tools.push_back(function(
        "read_file", "Read a text file in the workspace (the first 256 KiB).",
        {{"path", {{"type", "string"}, {"description", "file, relative to the workspace"}}}},
        {"path"}));
  if (offers("shell"))
    tools.push_back(function(
        "shell",
        "Run a command with /bin/sh -c in the workspace (the user approves each call). "
        "Returns its exit code and output.",
        {{"command", {{"type", "string"}, {"description", "the shell command line"}}}},
        {"command"}));
  return tools;
}

ToolRunner::Checked ToolRunner::check(const std::string& tool,
                                      const std::string& argumentsText) const {
  Checked c;
  if (!offers(tool)) {
    c.error = "unknown tool \"" + tool + "\"";
    return c;
  }
  // Some servers send "" for a call without arguments.
  std::string text = argumentsText.find_first_not_of(" \t\r\n") == std::string::npos ? "{}" : argumentsText;
  c.args = nlohmann::json::parse(text, nullptr, false);
  if (!c.args.is_object()) {
    c.error = "the arguments are not a JSON object: " + argumentsText.substr(0, 200);
    c.args = nlohmann::json::object();
    return c;
  }
  const char* field = tool == "shell" ? "command" : (tool == "time" ? nullptr : "path");
  if (field) {
    auto it = c.args.find(field);
    if (it == c.args.end() || !it->is_string() || (tool == "shell" && it->get<std::string>().empty()))
      c.error = std::string("argument \"") + field + "\" (a string) is required";
  }
  return c;
}

bool ToolRunner::needsApproval(const std::string& sessionId, const std::string& tool) const {
  if (risk(tool) != "high") return false;
  return !grants_.granted(sessionId, tool);
}

void ToolRunner::approveForSession(const std::string& sessionId, const std::string& tool) {
  grants_.grant(sessionId, tool);
}

std::shared_ptr<ToolRun> ToolRunner::run(const std::string& tool, const nlohmann::json& args,
                                         OutputHandler onOutput, DoneHandler onDone) {
  if (tool == "shell") {
    auto process = ShellProcess::start(
        ioc_, args.value("command", ""), options_.workspace, options_.timeoutMs,
        std::move(onOutput), [onDone = std::move(onDone)](const ShellProcess::Outcome& o) {
          Result r;
          r.ok = o.ok;
          if (o.ok)
            r.result = {{"exitCode", o.exitCode}, {"output", o.output}, {"truncated", o.truncated}};
          else
            r.error = o.error;
          onDone(r);
        });
    return std::make_shared<ShellRun>(process);
  }
  ToolAnswer answer;
  if (tool == "time") answer = timeTool(now_());
  else if (tool == "list_files") answer = listFilesTool(options_.workspace, args.value("path", "."));
  else if (tool == "read_file") answer = readFileTool(options_.workspace, args.value("path", ""));
  else answer = {false, nullptr, "unknown tool \"" + tool + "\""};
  auto run = std::make_shared<ImmediateRun>();
  run->deliver(ioc_, Result{answer.ok, answer.result, answer.error}, std::move(onDone));
  return run;
}

}  // namespace chat::gateway
