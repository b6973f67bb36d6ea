// The small helpers of messages.h: wire type names, client ids, session event keys.
#include "core/protocol/messages.h"

#include <type_traits>

namespace chat::proto {

const char* typeName(const ClientMessage& m) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kType; }, m);
}

const char* typeName(const GatewayMessage& m) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kType; }, m);
}

const std::string& messageId(const ClientMessage& m) {
  return std::visit([](const auto& v) -> const std::string& { return v.id; }, m);
}

bool sessionEventKey(const GatewayMessage& m, std::string* sessionId, int64_t* seq) {
  return std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (T::kSessionEvent) {
          if (sessionId) *sessionId = v.sessionId;
          if (seq) *seq = v.seq;
          return true;
        } else if constexpr (std::is_same_v<T, ErrorEvent>) {
          if (!v.sessionId || v.seq <= 0) return false;  // a connection-level error
          if (sessionId) *sessionId = *v.sessionId;
          if (seq) *seq = v.seq;
          return true;
        } else {
          return false;
        }
      },
      m);
}

bool setSessionEventKey(GatewayMessage& m, const std::string& sessionId, int64_t seq) {
  return std::visit(
      [&](auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (T::kSessionEvent || std::is_same_v<T, ErrorEvent>) {
          v.sessionId = sessionId;
          v.seq = seq;
          return true;
        } else {
          return false;
        }
      },
      m);
}

}  // namespace chat::proto
