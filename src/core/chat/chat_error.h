// The one error the UI shows at a time (the footer line, the JS snapshot's `error`), typed and
// with a lifetime: the reducer and the intents raise it and clear it, so no view has to guess
// from its text whether it still applies.
#pragma once

#include <string>

namespace chat::core {

enum class ErrorKind {
  Unauthorized,  // auth.failed: the credentials were refused. Cleared by auth.ok.
  Gateway,       // a connection-level error event (rate_limited, not_found, too_large, ...)
  Refused,       // an intent refused before it reached the wire (validation, outbox full)
};

// Which events end an error's life (see clearsOn* below):
//   auth.ok            clears every error (a fresh, signed-in connection);
//   an ack             clears Gateway and Refused errors (the gateway accepts messages again);
//   a session switch   clears Gateway and Refused errors (they were about the other session).
struct ChatError {
  ErrorKind kind = ErrorKind::Gateway;
  std::string code;     // the gateway's error code ("" for a local refusal)
  std::string message;  // human-readable
  // What the footer shows: "code: message", or the message alone when there is no code.
  std::string text() const { return code.empty() ? message : code + ": " + message; }
  bool operator==(const ChatError& o) const {
    return kind == o.kind && code == o.code && message == o.message;
  }
};

inline bool clearedByAck(const ChatError& e) { return e.kind != ErrorKind::Unauthorized; }
inline bool clearedBySessionSwitch(const ChatError& e) { return e.kind != ErrorKind::Unauthorized; }

}  // namespace chat::core
