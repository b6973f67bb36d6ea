// Reconnect delays: 1, 2, 4, 8, 16, 30, 30, ... seconds, each stretched by fresh random jitter
// of up to 30% (also at the cap, so a crowd of clients never reconnects in lockstep).
#pragma once

#include <cstdint>

#include "core/net/platform.h"

namespace chat::net {

constexpr int64_t kBackoffBaseMs[] = {1000, 2000, 4000, 8000, 16000, 30000};
constexpr double kBackoffJitter = 0.3;

// The delay after the `failures`-th failure in a row (1 = first failure), for a jitter draw
// r in [0, 1). failures < 1 is treated as 1; r outside [0, 1) is clamped.
int64_t backoffDelayMs(int failures, double r);

// Same, drawing r from `random` (one fresh draw per call).
int64_t backoffDelayMs(int failures, Random& random);

}  // namespace chat::net
