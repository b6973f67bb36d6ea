// The trim policy: memory goes back to the OS once a burst of connections is over, not on
// every small dip.
#include <gtest/gtest.h>

#include "gateway/memory_trim.h"

using namespace chat::gateway;

TEST(TrimPolicy, TrimsOnceWhenABurstIsOver) {
  TrimPolicy p(64);
  EXPECT_FALSE(p.sample(10));
  EXPECT_FALSE(p.sample(2000));
  EXPECT_FALSE(p.sample(1500)) << "still more than half of the peak open";
  EXPECT_TRUE(p.sample(5));
  EXPECT_FALSE(p.sample(5)) << "the peak restarted at the trim";
  EXPECT_FALSE(p.sample(0)) << "a small dip is not a burst";
}
