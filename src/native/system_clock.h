// Clock on the system wall clock: what the engine's heartbeat and backoff are measured against
// (wall clock on purpose, see core/net/platform.h).
#pragma once

#include "core/net/platform.h"

namespace chat::native {

class SystemClock : public net::Clock {
 public:
  int64_t nowMs() override;  // ms since the Unix epoch
};

}  // namespace chat::native
