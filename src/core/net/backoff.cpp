#include "core/net/backoff.h"

#include <cmath>

namespace chat::net {

int64_t backoffDelayMs(int failures, double r) {
  constexpr int kSteps = sizeof(kBackoffBaseMs) / sizeof(kBackoffBaseMs[0]);
  int index = failures < 1 ? 0 : failures - 1;
  if (index >= kSteps) index = kSteps - 1;
  if (!(r >= 0.0)) r = 0.0;  // also catches NaN
  if (r >= 1.0) r = 0.999999;
  const double base = static_cast<double>(kBackoffBaseMs[index]);
  return static_cast<int64_t>(std::floor(base * (1.0 + kBackoffJitter * r)));
}

int64_t backoffDelayMs(int failures, Random& random) {
  return backoffDelayMs(failures, random.next01());
}

}  // namespace chat::net
