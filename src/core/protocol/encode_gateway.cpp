// Encoder for gateway -> client messages: exactly the wire contract's field names, absent
// optionals omitted, session events with sessionId and seq.
#include <type_traits>

#include "core/protocol/codec.h"
#include "core/protocol/json_text.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using nlohmann::json;

template <class T>
json start(const T&) {
  json j = json::object();
  j["type"] = detail::WireName<T>::value;
  return j;
}

// Session events: type + sessionId + seq.
template <class T>
json startEvent(const T& m) {
  json j = start(m);
  j["sessionId"] = m.sessionId;
  j["seq"] = m.seq;
  return j;
}

// `archived` is part of thread.list entries; session.list entries carry it only when true.
json sessionInfo(const SessionInfo& s, bool alwaysArchived) {
  json j = {{"sessionId", s.sessionId},
            {"title", s.title},
            {"createdAt", s.createdAt},
            {"updatedAt", s.updatedAt},
            {"lastSeq", s.lastSeq}};
  if (alwaysArchived || s.archived) j["archived"] = s.archived;
  return j;
}

json sessionInfos(const std::vector<SessionInfo>& list, bool alwaysArchived) {
  json arr = json::array();
  for (const auto& s : list) arr.push_back(sessionInfo(s, alwaysArchived));
  return arr;
}

json fields(const AuthOk& m) {
  json j = start(m);
  j["clientId"] = m.clientId;
  j["heartbeatMs"] = m.heartbeatMs;
  j["protocol"] = m.protocol;
  return j;
}

json fields(const AuthFailed& m) {
  json j = start(m);
  j["code"] = m.code;
  j["message"] = m.message;
  return j;
}

json fields(const Ack& m) {
  json j = start(m);
  j["requestId"] = m.requestId;
  return j;
}

json fields(const Pong& m) {
  json j = start(m);
  j["requestId"] = m.requestId;
  return j;
}

json fields(const SessionList& m) {
  json j = start(m);
  j["requestId"] = m.requestId;
  j["sessions"] = sessionInfos(m.sessions, false);
  return j;
}

json fields(const ThreadList& m) {
  json j = start(m);
  j["requestId"] = m.requestId;
  j["threads"] = sessionInfos(m.threads, true);
  return j;
}

json fields(const SessionResumed& m) {
  json j = start(m);
  j["sessionId"] = m.sessionId;
  j["lastSeq"] = m.lastSeq;
  return j;
}

json fields(const SessionCreated& m) {
  json j = startEvent(m);
  j["sessionKey"] = m.sessionKey;
  return j;
}

json fields(const ChatMessageEvent& m) {
  json j = startEvent(m);
  j["messageId"] = m.messageId;
  j["role"] = m.role;
  j["content"] = m.content;
  j["timestamp"] = m.timestamp;
  return j;
}

json fields(const StreamStart& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["model"] = m.model;
  if (m.routing) j["routing"] = *m.routing;
  return j;
}

json fields(const StreamDelta& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["delta"] = m.delta;
  return j;
}

json fields(const StreamEnd& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["usage"] = {{"inputTokens", m.usage.inputTokens},
                {"outputTokens", m.usage.outputTokens},
                {"totalTokens", m.usage.totalTokens}};
  j["cost"] = {{"inputCost", m.cost.inputCost},
               {"outputCost", m.cost.outputCost},
               {"totalCost", m.cost.totalCost}};
  j["stopReason"] = m.stopReason;
  return j;
}

json fields(const ToolCall& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["toolCallId"] = m.toolCallId;
  j["toolName"] = m.toolName;
  j["args"] = m.args;
  return j;
}

json fields(const ToolOutput& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["toolCallId"] = m.toolCallId;
  j["delta"] = m.delta;
  return j;
}

json fields(const ToolApprovalRequest& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["toolCallId"] = m.toolCallId;
  j["toolName"] = m.toolName;
  j["args"] = m.args;
  if (m.risk) j["risk"] = *m.risk;
  return j;
}

json fields(const ToolApprovalResolved& m) {
  json j = startEvent(m);
  j["toolCallId"] = m.toolCallId;
  j["approved"] = m.approved;
  j["sessionApprove"] = m.sessionApprove;
  return j;
}

json fields(const ToolResult& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["toolCallId"] = m.toolCallId;
  j["toolName"] = m.toolName;
  j["result"] = m.result;
  return j;
}

json fields(const ToolError& m) {
  json j = startEvent(m);
  j["requestId"] = m.requestId;
  j["toolCallId"] = m.toolCallId;
  j["toolName"] = m.toolName;
  j["error"] = m.error;
  return j;
}

json fields(const ErrorEvent& m) {
  json j = start(m);
  if (m.requestId) j["requestId"] = *m.requestId;
  j["code"] = m.code;
  j["message"] = m.message;
  if (m.sessionId) {  // logged in a session: a session event with its seq
    j["sessionId"] = *m.sessionId;
    j["seq"] = m.seq;
  }
  return j;
}

}  // namespace

nlohmann::json toJson(const GatewayMessage& m) {
  return std::visit([](const auto& v) { return fields(v); }, m);
}

std::string encode(const GatewayMessage& m) { return detail::dumpJson(toJson(m)); }

}  // namespace chat::proto
