// The flags that choose and configure the gateway's agent (the OpenAI-compatible upstream and
// its tools). Without --upstream the demo agent answers. Parsed as part of config.h's
// parseArgs; pure, unit tested.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace chat::gateway {

struct AgentConfig {
  std::string upstream;          // --upstream URL ("" = the demo agent)
  std::string model;             // --model NAME (default model)
  std::string apiKeyFile;        // --api-key-file PATH (else $OPENAI_API_KEY)
  std::string systemPromptFile;  // --system-prompt FILE
  int64_t contextTokens = 0;     // --context-tokens N (0 = no budget)
  std::string pricesFile;        // --prices FILE
  std::string workspace;         // --workspace DIR ("" = no file or shell tools)
  bool allowShell = false;       // --allow-shell
  int64_t toolTimeoutS = 120;    // --tool-timeout-s N
  int64_t maxToolRounds = 8;     // --max-tool-rounds N
  std::string upstreamCa;        // --upstream-ca FILE (a private CA instead of the system's)
  int64_t upstreamIdleS = 60;    // --upstream-idle-s N (no byte for N s: the request fails)
};

using FlagSetter = std::function<bool(const std::string&)>;

// The valued flags and the switches above, writing into `config`.
std::map<std::string, FlagSetter> agentValuedFlags(AgentConfig* config);
std::map<std::string, bool*> agentSwitches(AgentConfig* config);

// "" when the combination is usable; otherwise what is wrong, one line.
std::string checkAgentConfig(const AgentConfig& config);

// The flags' part of --help.
std::string agentHelpText();

}  // namespace chat::gateway
