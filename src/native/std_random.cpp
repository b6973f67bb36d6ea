#include "native/std_random.h"

namespace chat::native {

StdRandom::StdRandom() {
  std::random_device device;
  std::seed_seq seeds{device(), device(), device(), device()};
  engine_.seed(seeds);
}

StdRandom::StdRandom(uint64_t seed) : engine_(seed) {}

double StdRandom::next01() {
  // The top 53 bits as a fraction: exactly representable, so the result is always < 1.0
  // (std::uniform_real_distribution may round up to 1.0 on some standard libraries).
  return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace chat::native
