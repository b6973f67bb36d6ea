// The small helpers of messages.h: wire type names, client ids, session event keys.
#include "core/protocol/messages.h"

#include <type_traits>

#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

// Session events know their (sessionId, seq); everything else does not.
template <class T>
bool eventKey(const T& m, std::string* sessionId, int64_t* seq) {
  if constexpr (std::is_same_v<T, SessionCreated> || std::is_same_v<T, ChatMessageEvent> ||
                std::is_same_v<T, StreamStart> || std::is_same_v<T, StreamDelta> ||
                std::is_same_v<T, StreamEnd> || std::is_same_v<T, ToolCall> ||
                std::is_same_v<T, ToolOutput> || std::is_same_v<T, ToolApprovalRequest> ||
                std::is_same_v<T, ToolApprovalResolved> || std::is_same_v<T, ToolResult> ||
                std::is_same_v<T, ToolError>) {
    if (sessionId) *sessionId = m.sessionId;
    if (seq) *seq = m.seq;
    return true;
  } else if constexpr (std::is_same_v<T, ErrorEvent>) {
    if (!m.sessionId || m.seq <= 0) return false;  // a connection-level error
    if (sessionId) *sessionId = *m.sessionId;
    if (seq) *seq = m.seq;
    return true;
  } else {
    (void)m;
    (void)sessionId;
    (void)seq;
    return false;
  }
}

}  // namespace

const char* typeName(const ClientMessage& m) {
  return std::visit([](const auto& v) { return detail::WireName<std::decay_t<decltype(v)>>::value; },
                    m);
}

const char* typeName(const GatewayMessage& m) {
  return std::visit(
      [](const auto& v) { return detail::WireName<std::decay_t<decltype(v)>>::value; }, m);
}

const std::string& messageId(const ClientMessage& m) {
  return std::visit([](const auto& v) -> const std::string& { return v.id; }, m);
}

bool sessionEventKey(const GatewayMessage& m, std::string* sessionId, int64_t* seq) {
  return std::visit([&](const auto& v) { return eventKey(v, sessionId, seq); }, m);
}

}  // namespace chat::proto
