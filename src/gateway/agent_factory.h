// Picks the gateway's agent from the flags: the demo agent without --upstream, else the
// OpenAI-compatible agent with its files loaded (API key, system prompt, prices) and its
// workspace resolved. Throws std::runtime_error with a one-line reason when a file cannot be
// read or is malformed (the gateway then refuses to start).
#pragma once

#include <cstdint>

#include <boost/asio/io_context.hpp>

#include "gateway/agent.h"
#include "gateway/config.h"

namespace chat::gateway {

AgentFactory makeAgentFactory(boost::asio::io_context& ioc, const Config& config);

// The API key: --api-key-file's first line, else $OPENAI_API_KEY, else "" (local servers).
std::string loadApiKey(const AgentConfig& config);

}  // namespace chat::gateway
