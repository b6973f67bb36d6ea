// The transition table of connection_states.h.
#include "core/net/connection_states.h"

namespace chat::net {

bool isAllowedTransition(Phase from, Phase to) {
  if (from == to) return true;
  switch (to) {
    case Phase::Idle:
      return true;  // stop()
    case Phase::Connecting:
      return true;  // start() from Idle; a retry or new credentials from any other state
    case Phase::Authenticating:
      return from == Phase::Connecting;
    case Phase::Resuming:
      return from == Phase::Authenticating;
    case Phase::Live:
      return from == Phase::Resuming;
    case Phase::Waiting:
      return from == Phase::Connecting || from == Phase::Authenticating ||
             from == Phase::Resuming || from == Phase::Live;
    case Phase::Unauthorized:
      return from != Phase::Idle;
  }
  return false;
}

}  // namespace chat::net
