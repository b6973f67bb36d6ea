#include "gateway/redis/backoff.h"

#include <algorithm>

namespace chat::gateway::redis {

int64_t backoffDelayMs(const BackoffPolicy& policy, int attempt, double random01) {
  int64_t base = std::max<int64_t>(1, policy.baseMs);
  int64_t maxMs = std::max(base, policy.maxMs);
  int64_t cap = base;
  for (int i = 0; i < attempt && cap < maxMs; ++i) cap *= 2;  // no overflow: stops at maxMs
  cap = std::min(cap, maxMs);
  double r = std::clamp(random01, 0.0, 1.0);
  int64_t half = cap / 2;
  return half + static_cast<int64_t>(static_cast<double>(cap - half) * r);
}

}  // namespace chat::gateway::redis
