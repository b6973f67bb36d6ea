#include "gateway/agent_events.h"

namespace chat::gateway::agent_events {

namespace {

Event base(const char* type, const std::string& requestId) {
  return {{"type", type}, {"requestId", requestId}};
}

}  // namespace

Event streamStart(const std::string& requestId, const std::string& model) {
  Event e = base("chat.stream.start", requestId);
  e["model"] = model;
  return e;
}

Event streamDelta(const std::string& requestId, std::string delta) {
  Event e = base("chat.stream.delta", requestId);
  e["delta"] = std::move(delta);
  return e;
}

Event streamEnd(const std::string& requestId, const Totals& t, const std::string& stopReason) {
  Event e = base("chat.stream.end", requestId);
  e["usage"] = {{"inputTokens", t.inputTokens},
                {"outputTokens", t.outputTokens},
                {"totalTokens", t.inputTokens + t.outputTokens}};
  e["cost"] = {{"inputCost", t.inputCost},
               {"outputCost", t.outputCost},
               {"totalCost", t.inputCost + t.outputCost}};
  e["stopReason"] = stopReason;
  return e;
}

Event error(const std::string& requestId, const std::string& code, const std::string& message) {
  Event e = base("error", requestId);
  e["code"] = code;
  e["message"] = message;
  return e;
}

Event toolCall(const std::string& requestId, const std::string& toolCallId,
               const std::string& toolName, const nlohmann::json& args) {
  Event e = base("tool.call", requestId);
  e["toolCallId"] = toolCallId;
  e["toolName"] = toolName;
  e["args"] = args;
  return e;
}

Event approvalRequest(const std::string& requestId, const std::string& toolCallId,
                      const std::string& toolName, const nlohmann::json& args,
                      const std::string& risk) {
  Event e = toolCall(requestId, toolCallId, toolName, args);
  e["type"] = "tool.approval.request";
  e["risk"] = risk;
  return e;
}

Event approvalResolved(const std::string& toolCallId, bool approved, bool sessionApprove) {
  return {{"type", "tool.approval.resolved"},
          {"toolCallId", toolCallId},
          {"approved", approved},
          {"sessionApprove", approved && sessionApprove}};
}

Event toolOutput(const std::string& requestId, const std::string& toolCallId, std::string delta) {
  Event e = base("tool.output", requestId);
  e["toolCallId"] = toolCallId;
  e["delta"] = std::move(delta);
  return e;
}

Event toolResult(const std::string& requestId, const std::string& toolCallId,
                 const std::string& toolName, const nlohmann::json& result) {
  Event e = base("tool.result", requestId);
  e["toolCallId"] = toolCallId;
  e["toolName"] = toolName;
  e["result"] = result;
  return e;
}

Event toolError(const std::string& requestId, const std::string& toolCallId,
                const std::string& toolName, const std::string& error) {
  Event e = base("tool.error", requestId);
  e["toolCallId"] = toolCallId;
  e["toolName"] = toolName;
  e["error"] = error;
  return e;
}

}  // namespace chat::gateway::agent_events
