// Clock and Random for the browser: Date.now() (the wall clock: background tabs throttle
// timers but not the date) and a generator seeded from crypto.getRandomValues.
#pragma once

#include <random>

#include "core/net/platform.h"

namespace chat::web {

class BrowserClock : public net::Clock {
 public:
  int64_t nowMs() override;
};

class BrowserRandom : public net::Random {
 public:
  BrowserRandom();
  double next01() override;

 private:
  std::mt19937_64 rng_;
};

}  // namespace chat::web
