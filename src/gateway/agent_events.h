// The session events an agent emits, built in one place: the agents say what happened
// (a delta, a tool call, an error, the end), this file fills the protocol's typed events
// (core/protocol/messages.h; the event log stamps sessionId and seq and encodes them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"

namespace chat::gateway::agent_events {

using Event = proto::GatewayMessage;

Event streamStart(const std::string& requestId, const std::string& model);
Event streamDelta(const std::string& requestId, std::string delta);
Event streamReasoning(const std::string& requestId, std::string delta);
struct Totals {
  int64_t inputTokens = 0;
  int64_t outputTokens = 0;
  double inputCost = 0;
  double outputCost = 0;
  bool priced = true;  // false: the model has no price (--prices): the cost is left out
};
Event streamEnd(const std::string& requestId, const Totals& totals, const std::string& stopReason);
Event error(const std::string& requestId, const std::string& code, const std::string& message);
Event toolCall(const std::string& requestId, const std::string& toolCallId,
               const std::string& toolName, const nlohmann::json& args);
Event approvalRequest(const std::string& requestId, const std::string& toolCallId,
                      const std::string& toolName, const nlohmann::json& args,
                      const std::string& risk);
Event approvalResolved(const std::string& toolCallId, bool approved, bool sessionApprove);
Event toolOutput(const std::string& requestId, const std::string& toolCallId, std::string delta);
Event toolResult(const std::string& requestId, const std::string& toolCallId,
                 const std::string& toolName, const nlohmann::json& result);
Event toolError(const std::string& requestId, const std::string& toolCallId,
                const std::string& toolName, const std::string& error);

}  // namespace chat::gateway::agent_events
