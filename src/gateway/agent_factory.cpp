#include "gateway/agent_factory.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gateway/demo_agent.h"
#include "gateway/openai_agent.h"
#include "gateway/util.h"
#include "gateway/workspace_tools.h"

namespace chat::gateway {

namespace {

std::string readFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + what + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string loadApiKey(const AgentConfig& config) {
  if (!config.apiKeyFile.empty()) {
    std::string text = readFile(config.apiKeyFile, "the API key file");
    return trimmed(text.substr(0, text.find('\n')));
  }
  if (const char* env = std::getenv("OPENAI_API_KEY"); env && *env) return trimmed(env);
  return "";
}

AgentFactory makeAgentFactory(boost::asio::io_context& ioc, const Config& config) {
  const AgentConfig& a = config.agent;
  if (a.upstream.empty()) {
    const int64_t delayMs = config.demoDelayMs;
    return [&ioc, delayMs](Agent::Hooks hooks) -> std::unique_ptr<Agent> {
      return std::make_unique<DemoAgent>(ioc, delayMs, std::move(hooks.emit),
                                         std::move(hooks.onDone),
                                         std::move(hooks.persistedApprovals));
    };
  }
  OpenAiAgentOptions o;
  std::string error;
  auto url = parseUpstreamUrl(a.upstream, &error);
  if (!url) throw std::runtime_error("--upstream: " + error);
  o.upstream.url = *url;
  o.upstream.apiKey = loadApiKey(a);
  o.upstream.caFile = a.upstreamCa;
  o.upstream.idleMs = a.upstreamIdleS * 1000;
  o.defaultModel = a.model;
  if (!a.systemPromptFile.empty()) o.systemPrompt = readFile(a.systemPromptFile, "the system prompt");
  o.contextTokens = a.contextTokens;
  o.maxToolRounds = static_cast<int>(a.maxToolRounds);
  if (!a.pricesFile.empty()) {
    auto prices = PriceTable::parse(readFile(a.pricesFile, "the price table"), &error);
    if (!prices) throw std::runtime_error("--prices " + a.pricesFile + ": " + error);
    o.prices = *prices;
  }
  if (!a.workspace.empty()) {
    o.tools.workspace = canonicalWorkspace(a.workspace);
    if (o.tools.workspace.empty())
      throw std::runtime_error("--workspace " + a.workspace + " is not a directory");
  }
  o.tools.allowShell = a.allowShell;
  o.tools.timeoutMs = a.toolTimeoutS * 1000;
  // The key is deliberately not in this line.
  logLine("agent: " + a.upstream + ", model " + a.model +
          (o.upstream.apiKey.empty() ? ", no API key" : ", API key set") +
          (o.tools.workspace.empty() ? ", no workspace" : ", workspace " + o.tools.workspace) +
          (a.allowShell ? ", shell allowed" : ""));
  return [&ioc, o](Agent::Hooks hooks) -> std::unique_ptr<Agent> {
    return std::make_unique<OpenAiAgent>(ioc, o, std::move(hooks), wallClockMs);
  };
}

}  // namespace chat::gateway
