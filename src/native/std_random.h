// Random source for the engine (backoff jitter, ids): a 64-bit Mersenne Twister, seeded from
// std::random_device, or from a fixed seed so a test run can be replayed.
#pragma once

#include <cstdint>
#include <random>

#include "core/net/platform.h"

namespace chat::native {

class StdRandom : public net::Random {
 public:
  StdRandom();                        // seeded from std::random_device
  explicit StdRandom(uint64_t seed);  // reproducible
  double next01() override;           // uniform in [0, 1), never 1.0

 private:
  std::mt19937_64 engine_;
};

}  // namespace chat::native
