#include "gateway/agent_events.h"

#include <utility>

namespace chat::gateway::agent_events {

namespace {

template <class T>
T of(const std::string& requestId) {
  T e;
  e.requestId = requestId;
  return e;
}

}  // namespace

Event streamStart(const std::string& requestId, const std::string& model) {
  auto e = of<proto::StreamStart>(requestId);
  e.model = model;
  return e;
}

Event streamDelta(const std::string& requestId, std::string delta) {
  auto e = of<proto::StreamDelta>(requestId);
  e.delta = std::move(delta);
  return e;
}

Event streamReasoning(const std::string& requestId, std::string delta) {
  auto e = of<proto::StreamReasoning>(requestId);
  e.delta = std::move(delta);
  return e;
}

Event streamEnd(const std::string& requestId, const Totals& t, const std::string& stopReason) {
  auto e = of<proto::StreamEnd>(requestId);
  e.usage = {t.inputTokens, t.outputTokens, t.inputTokens + t.outputTokens};
  if (t.priced) e.cost = proto::Cost{t.inputCost, t.outputCost, t.inputCost + t.outputCost};
  e.stopReason = stopReason;
  return e;
}

Event error(const std::string& requestId, const std::string& code, const std::string& message) {
  proto::ErrorEvent e;
  e.requestId = requestId;
  e.code = code;
  e.message = message;
  return e;
}

Event toolCall(const std::string& requestId, const std::string& toolCallId,
               const std::string& toolName, const nlohmann::json& args) {
  auto e = of<proto::ToolCall>(requestId);
  e.toolCallId = toolCallId;
  e.toolName = toolName;
  e.args = args;
  return e;
}

Event approvalRequest(const std::string& requestId, const std::string& toolCallId,
                      const std::string& toolName, const nlohmann::json& args,
                      const std::string& risk) {
  auto e = of<proto::ToolApprovalRequest>(requestId);
  e.toolCallId = toolCallId;
  e.toolName = toolName;
  e.args = args;
  e.risk = risk;
  return e;
}

Event approvalResolved(const std::string& toolCallId, bool approved, bool sessionApprove) {
  proto::ToolApprovalResolved e;
  e.toolCallId = toolCallId;
  e.approved = approved;
  e.sessionApprove = approved && sessionApprove;
  return e;
}

Event toolOutput(const std::string& requestId, const std::string& toolCallId, std::string delta) {
  auto e = of<proto::ToolOutput>(requestId);
  e.toolCallId = toolCallId;
  e.delta = std::move(delta);
  return e;
}

Event toolResult(const std::string& requestId, const std::string& toolCallId,
                 const std::string& toolName, const nlohmann::json& result) {
  auto e = of<proto::ToolResult>(requestId);
  e.toolCallId = toolCallId;
  e.toolName = toolName;
  e.result = result;
  return e;
}

Event toolError(const std::string& requestId, const std::string& toolCallId,
                const std::string& toolName, const std::string& error) {
  auto e = of<proto::ToolError>(requestId);
  e.toolCallId = toolCallId;
  e.toolName = toolName;
  e.error = error;
  return e;
}

}  // namespace chat::gateway::agent_events
