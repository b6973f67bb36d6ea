#include "page/snapshot.h"

namespace chat::web {

const char* roleName(core::Role r) {
  switch (r) {
    case core::Role::User: return "user";
    case core::Role::Assistant: return "assistant";
    case core::Role::System: return "system";
    case core::Role::Error: return "error";
  }
  return "system";
}

const char* messageStatusName(core::MessageStatus s) {
  switch (s) {
    case core::MessageStatus::Sending: return "sending";
    case core::MessageStatus::Sent: return "sent";
    case core::MessageStatus::Complete: return "complete";
    case core::MessageStatus::Failed: return "failed";
    case core::MessageStatus::Streaming: return "streaming";
  }
  return "complete";
}

const char* toolStatusName(core::ToolStatus s) {
  switch (s) {
    case core::ToolStatus::Pending: return "pending";
    case core::ToolStatus::Running: return "running";
    case core::ToolStatus::Completed: return "completed";
    case core::ToolStatus::Error: return "error";
  }
  return "pending";
}

const char* approvalStatusName(core::ApprovalStatus s) {
  switch (s) {
    case core::ApprovalStatus::Pending: return "pending";
    case core::ApprovalStatus::Approved: return "approved";
    case core::ApprovalStatus::Denied: return "denied";
  }
  return "pending";
}

const char* statusName(const net::Status& s) {
  if (s.phase == net::Phase::Unauthorized) return "unauthorized";
  return net::healthName(s.health);
}

nlohmann::json statusJson(const net::Status& s) {
  return {{"status", statusName(s)},
          {"phase", net::phaseName(s.phase)},
          {"attempt", s.attempt},
          {"nextRetryInMs", s.nextRetryInMs},
          {"polling", s.polling},
          {"outboxSize", s.outboxSize},
          {"lastError", s.lastError}};
}

nlohmann::json messageJson(const core::Message& m) {
  nlohmann::json j = {{"id", m.id},
                      {"role", roleName(m.role)},
                      {"content", m.content},
                      {"status", messageStatusName(m.status)},
                      {"timestamp", m.timestamp}};
  if (m.role == core::Role::Assistant) {
    j["model"] = m.model;
    j["stopReason"] = m.stopReason;
    if (!m.reasoning.empty()) {
      j["reasoning"] = m.reasoning;
      j["reasoningOpen"] = m.reasoningOpen;
    }
  }
  if (!m.error.empty()) j["error"] = m.error;
  return j;
}

nlohmann::json toolJson(const core::ToolCard& t) {
  return {{"toolCallId", t.toolCallId}, {"requestId", t.requestId},
          {"toolName", t.toolName},     {"status", toolStatusName(t.status)},
          {"args", t.args},             {"output", t.output},
          {"result", t.result},         {"error", t.error}};
}

nlohmann::json approvalJson(const core::ApprovalCard& a) {
  return {{"toolCallId", a.toolCallId}, {"requestId", a.requestId},
          {"toolName", a.toolName},     {"args", a.args},
          {"risk", a.risk},             {"status", approvalStatusName(a.status)},
          {"sessionApprove", a.sessionApprove}};
}

nlohmann::json snapshotJson(const core::ChatState& state, const net::Status& status) {
  nlohmann::json j = statusJson(status);
  j["sessionId"] = state.currentSessionId;
  j["model"] = state.currentModel;
  j["models"] = state.models;
  if (const core::SessionState* s = state.current()) j["sessionModel"] = s->model;
  j["error"] = state.error ? state.error->text() : std::string();
  nlohmann::json messages = nlohmann::json::array();
  nlohmann::json tools = nlohmann::json::array();
  nlohmann::json approvals = nlohmann::json::array();
  bool streaming = false;
  std::string streamingText;
  if (const core::SessionState* s = state.current()) {
    // Transcript order is the timeline's (the gateway's log order), not storage order.
    for (const core::Entry& e : s->timeline) {
      if (e.kind != core::EntryKind::Message || e.index >= s->messages.size()) continue;
      const core::Message& m = s->messages[e.index];
      messages.push_back(messageJson(m));  // a streaming reply: the text so far
    }
    for (const auto& t : s->tools) tools.push_back(toolJson(t));
    for (const auto& a : s->approvals) approvals.push_back(approvalJson(a));
    if (s->streaming) {
      streaming = true;
      const std::size_t reply = s->streamingReplyIndex();
      if (reply != SIZE_MAX) streamingText = s->messages[reply].content;
    }
    j["usage"] = {{"inputTokens", s->totalUsage.inputTokens},
                  {"outputTokens", s->totalUsage.outputTokens},
                  {"totalTokens", s->totalUsage.totalTokens}};
    j["cost"] = {{"totalCost", s->totalCost.totalCost}, {"unpricedReplies", s->unpricedReplies}};
    j["lastSeq"] = s->lastSeq;
  }
  j["streaming"] = streaming;
  j["streamingText"] = streamingText;
  j["messages"] = std::move(messages);
  j["toolCalls"] = std::move(tools);
  j["approvals"] = std::move(approvals);
  nlohmann::json sessions = nlohmann::json::array();
  for (const auto& info : state.sessionList)
    sessions.push_back({{"sessionId", info.sessionId}, {"title", info.title}, {"updatedAt", info.updatedAt},
                        {"archived", info.archived}});
  j["sessions"] = std::move(sessions);
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : state.sessionSearch.results)
    results.push_back({{"sessionId", r.sessionId}, {"title", r.title}, {"match", r.match},
                       {"messageId", r.messageId.value_or("")}, {"seq", r.seq.value_or(0)}});
  j["search"] = {{"query", state.sessionSearch.query}, {"pending", !state.sessionSearch.pendingId.empty()},
                 {"results", std::move(results)}};
  return j;
}

std::string dumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::web
