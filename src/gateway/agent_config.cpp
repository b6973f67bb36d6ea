#include "gateway/agent_config.h"

#include <cerrno>
#include <cstdlib>

#include "gateway/upstream_url.h"

namespace chat::gateway {

namespace {

FlagSetter text(std::string* field) {
  return [field](const std::string& v) {
    if (v.empty()) return false;
    *field = v;
    return true;
  };
}

FlagSetter integer(int64_t* field, int64_t min, int64_t max) {
  return [field, min, max](const std::string& v) {
    if (v.empty()) return false;
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (errno != 0 || end != v.c_str() + v.size() || n < min || n > max) return false;
    *field = n;
    return true;
  };
}

}  // namespace

std::map<std::string, FlagSetter> agentValuedFlags(AgentConfig* c) {
  return {
      {"--upstream", text(&c->upstream)},
      {"--model", text(&c->model)},
      {"--api-key-file", text(&c->apiKeyFile)},
      {"--system-prompt", text(&c->systemPromptFile)},
      {"--context-tokens", integer(&c->contextTokens, 0, int64_t(1) << 40)},
      {"--prices", text(&c->pricesFile)},
      {"--workspace", text(&c->workspace)},
      {"--tool-timeout-s", integer(&c->toolTimeoutS, 1, 86400)},
      {"--max-tool-rounds", integer(&c->maxToolRounds, 0, 1000)},
      {"--upstream-ca", text(&c->upstreamCa)},
      {"--upstream-idle-s", integer(&c->upstreamIdleS, 1, 86400)},
  };
}

std::map<std::string, bool*> agentSwitches(AgentConfig* c) {
  return {{"--allow-shell", &c->allowShell}};
}

std::string checkAgentConfig(const AgentConfig& c) {
  if (c.upstream.empty()) {
    if (!c.model.empty() || !c.apiKeyFile.empty() || !c.systemPromptFile.empty() ||
        !c.pricesFile.empty() || !c.upstreamCa.empty() || !c.workspace.empty() || c.allowShell)
      return "--model, --api-key-file, --system-prompt, --prices, --upstream-ca, --workspace "
             "and --allow-shell need --upstream (the demo agent runs nothing)";
    return "";
  }
  std::string error;
  if (!parseUpstreamUrl(c.upstream, &error)) return "--upstream: " + error;
  if (c.model.empty()) return "--upstream needs --model NAME (the default model)";
  if (c.allowShell && c.workspace.empty()) return "--allow-shell needs --workspace DIR";
  return "";
}

std::string agentHelpText() {
  return R"(
Agent (without --upstream the built-in demo agent answers; nothing runs on this machine):
  --upstream URL           an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 (Ollama),
                           http://127.0.0.1:8080/v1 (llama-server), https://api.openai.com/v1
  --model NAME             the default model (a client may pick another per session)
  --api-key-file PATH      the API key (else $OPENAI_API_KEY); sent only to the upstream
  --system-prompt FILE     the system prompt
  --context-tokens N       history budget in tokens (oldest turns dropped first; 0 = all)
  --prices FILE            JSON {"MODEL": {"input": USD, "output": USD}} per million tokens
  --workspace DIR          where list_files, read_file and shell act (default: none, so the
                           file and shell tools are off; time is always offered)
  --allow-shell            offer the shell tool (/bin/sh -c in the workspace; each call needs
                           the user's approval unless approved for the session)
  --tool-timeout-s N       a tool running longer is killed (default 120)
  --max-tool-rounds N      tool rounds per turn before the turn is stopped (default 8)
  --upstream-ca FILE       trust this CA for an https upstream instead of the system's
  --upstream-idle-s N      an upstream silent for N s fails the request (default 60)
)";
}

}  // namespace chat::gateway
