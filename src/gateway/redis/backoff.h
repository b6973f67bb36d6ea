// Reconnect delays: exponential backoff with "equal jitter" (half fixed, half random), so nodes
// that lost Redis together do not all knock again at the same instant. Pure, unit-tested.
#pragma once

#include <cstdint>

namespace chat::gateway::redis {

struct BackoffPolicy {
  int64_t baseMs = 50;    // the first retry waits 25..50 ms
  int64_t maxMs = 2000;   // the ceiling of the doubling
};

// The delay before reconnect attempt `attempt` (0 = the first after a loss); `random01` is a
// uniform draw in [0, 1). Always within [cap/2, cap] where cap = min(maxMs, baseMs * 2^attempt).
int64_t backoffDelayMs(const BackoffPolicy& policy, int attempt, double random01);

}  // namespace chat::gateway::redis
