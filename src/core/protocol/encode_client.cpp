// Encoder for client -> gateway messages: exactly the wire contract's field names, absent
// optionals omitted.
#include <type_traits>

#include "core/protocol/codec.h"
#include "core/protocol/json_text.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using nlohmann::json;

template <class T>
json start(const T& m) {
  json j = json::object();
  j["type"] = detail::WireName<T>::value;
  j["id"] = m.id;
  return j;
}

void putOptional(json& j, const char* name, const std::optional<std::string>& v) {
  if (v) j[name] = *v;
}

json fields(const Auth& m) {
  json j = start(m);
  putOptional(j, "token", m.token);
  putOptional(j, "pin", m.pin);
  return j;
}

json fields(const ChatSend& m) {
  json j = start(m);
  j["content"] = m.content;
  putOptional(j, "sessionId", m.sessionId);
  putOptional(j, "model", m.model);
  putOptional(j, "agentId", m.agentId);
  return j;
}

json fields(const ChatCancel& m) {
  json j = start(m);
  j["requestId"] = m.requestId;
  return j;
}

json fields(const ToolApprovalResponse& m) {
  json j = start(m);
  j["toolCallId"] = m.toolCallId;
  j["approved"] = m.approved;
  j["sessionApprove"] = m.sessionApprove;
  return j;
}

json fields(const SessionListRequest& m) { return start(m); }

json fields(const SessionResume& m) {
  json j = start(m);
  j["sessionId"] = m.sessionId;
  j["lastSeq"] = m.lastSeq;
  return j;
}

json fields(const ThreadListRequest& m) {
  json j = start(m);
  j["includeArchived"] = m.includeArchived;
  return j;
}

json fields(const Ping& m) { return start(m); }

}  // namespace

nlohmann::json toJson(const ClientMessage& m) {
  return std::visit([](const auto& v) { return fields(v); }, m);
}

std::string encode(const ClientMessage& m) { return detail::dumpJson(toJson(m)); }

}  // namespace chat::proto
