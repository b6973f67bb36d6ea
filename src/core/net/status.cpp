// Status snapshot helpers of status.h.
#include "core/net/status.h"

namespace chat::net {

bool Status::operator==(const Status& o) const {
  return phase == o.phase && health == o.health && polling == o.polling && attempt == o.attempt &&
         nextRetryInMs == o.nextRetryInMs && lastError == o.lastError &&
         outboxSize == o.outboxSize;
}

const char* phaseName(Phase p) {
  switch (p) {
    case Phase::Idle: return "idle";
    case Phase::Connecting: return "connecting";
    case Phase::Authenticating: return "authenticating";
    case Phase::Resuming: return "resuming";
    case Phase::Live: return "live";
    case Phase::Waiting: return "waiting";
    case Phase::Unauthorized: return "unauthorized";
  }
  return "unknown";
}

const char* healthName(Health h) {
  switch (h) {
    case Health::Full: return "full";
    case Health::Partial: return "partial";
    case Health::Disconnected: return "disconnected";
  }
  return "unknown";
}

}  // namespace chat::net
