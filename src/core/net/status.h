// What the connection engine tells the UI about the connection (ConnectionEngine::status(),
// EngineSink::onStatus): its state, its health and its counters. A header of its own so views
// that draw the status (pill, header, sign-in) include this, not the whole engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace chat::net {

// The engine's connection state; connection_states.h draws the transitions between them.
enum class Phase {
  Idle,            // not started
  Connecting,      // WebSocket opening
  Authenticating,  // auth sent, waiting for auth.ok
  Resuming,        // session.resume sent, waiting for session.resumed
  Live,            // socket live and resumed
  Waiting,         // socket down, waiting for the next attempt (backoff)
  Unauthorized,    // auth failed: stopped until new credentials
};

enum class Health {
  Full,          // socket live and the API healthy
  Partial,       // one of them (typically: socket down, HTTP polling works)
  Disconnected,  // neither
};

struct Status {
  Phase phase = Phase::Idle;
  Health health = Health::Disconnected;
  bool polling = false;        // HTTP fallback active
  int attempt = 0;             // reconnect attempts since last live
  int64_t nextRetryInMs = 0;   // Waiting: time until the next attempt
  std::string lastError;       // last error seen ("" if none), e.g. "unauthorized"
  std::size_t outboxSize = 0;  // client messages not yet acked
  bool operator==(const Status& o) const;
  bool operator!=(const Status& o) const { return !(*this == o); }
};

const char* phaseName(Phase p);    // "idle", "connecting", ...
const char* healthName(Health h);  // "full", "partial", "disconnected"

}  // namespace chat::net
