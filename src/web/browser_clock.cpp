#include "web/browser_clock.h"

#include <emscripten/html5.h>

namespace chat::web {

int64_t BrowserClock::nowMs() { return static_cast<int64_t>(emscripten_date_now()); }

BrowserRandom::BrowserRandom() {
  // std::random_device reads crypto.getRandomValues under emscripten.
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

double BrowserRandom::next01() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

}  // namespace chat::web
