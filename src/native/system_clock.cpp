#include "native/system_clock.h"

#include <chrono>

namespace chat::native {

int64_t SystemClock::nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace chat::native
