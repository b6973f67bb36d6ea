// The Chat Completions `messages` of a turn, rebuilt from the session's event log, so a turn
// after a gateway restart has the same context as before it. Pure: unit tested.
//
// From the log: chat.message (user), chat.stream.delta (assistant text), tool.call /
// tool.approval.request (the assistant's tool_calls, with their args) and tool.result /
// tool.error (tool messages). A call that never got a result (a turn cut by a restart) gets a
// tool message saying so, because the API refuses a tool call without its answer. Reasoning
// is not sent back (servers ignore or refuse it).
//
// The budget (--context-tokens): tokens are estimated at 4 bytes each (no tokenizer for every
// model; a rough figure errs on the side of keeping less). Whole turns are dropped oldest
// first until the rest fits; the system prompt and the current turn are always kept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"

namespace chat::gateway {

// Rough token count of a message (its text, plus a few tokens of framing).
int64_t estimateTokens(const nlohmann::json& message);

// `events`: the session's events in seq order, decoded from the log. Only events up to the
// echo of `requestId` (chat.message with messageId == requestId) are used: later echoes
// belong to turns still waiting. `contextTokens` <= 0: no limit.
nlohmann::json buildConversation(const std::vector<proto::GatewayMessage>& events,
                                 const std::string& requestId, const std::string& systemPrompt,
                                 int64_t contextTokens);

}  // namespace chat::gateway
