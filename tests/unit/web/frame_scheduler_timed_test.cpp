// FrameScheduler's timed redraws: a view that changes by itself at a known time (a countdown's
// next second, a caret's next blink) gets one frame then, not one per vsync meanwhile.
#include <gtest/gtest.h>

#include "web/frame_scheduler_fixture.h"

namespace chat::web {
namespace {

TEST(FrameSchedulerTimed, ARedrawFallsDueAtItsTimeAndNotBefore) {
  FrameScheduler f = settledScheduler();
  f.frameRendered(false, false, 11000);  // "retry in 8s" drawn at 10,000; "7s" at 11,000
  EXPECT_FALSE(f.shouldRender());
  EXPECT_EQ(f.redrawAt(), 11000);
  f.noteTime(10999);
  EXPECT_FALSE(f.shouldRender());
  f.noteTime(11000);
  EXPECT_TRUE(f.shouldRender());
  EXPECT_EQ(f.redrawAt(), 0) << "taken";
  f.frameRendered(false, false, 12000);
  EXPECT_FALSE(f.shouldRender());
  EXPECT_EQ(f.redrawAt(), 12000);
}

TEST(FrameSchedulerTimed, A60SecondCountdownCostsAboutOneFrameASecond) {
  FrameScheduler f = settledScheduler();
  int64_t now = 0;
  int64_t due = 1000;
  f.frameRendered(false, false, due);
  for (now = 0; now <= 60000; now += 16) {  // a vsync every 16 ms
    f.noteTime(now);
    if (f.shouldRender()) {
      due = (now / 1000 + 1) * 1000;
      f.frameRendered(false, false, due);
    }
  }
  EXPECT_EQ(f.framesRendered(), 2u + 60u);  // the two above, then one per second
}

TEST(FrameSchedulerTimed, TheLatestFrameSaysWhatIsDue) {
  FrameScheduler f = settledScheduler();
  f.frameRendered(false, false, 5000);
  f.noteInput();
  f.frameRendered(false, false, 0);  // e.g. the countdown is gone: nothing timed any more
  f.frameRendered(false);
  f.frameRendered(false);
  EXPECT_EQ(f.redrawAt(), 0);
  f.noteTime(100000);
  EXPECT_FALSE(f.shouldRender());
}

TEST(FrameSchedulerTimed, DuringABulkLoadATimedRedrawWaitsForTheBulkPace) {
  FrameScheduler f = settledScheduler();
  f.noteVersion(1, /*bulk=*/true);
  f.frameRendered(false, /*bulk=*/true, 530);  // a caret while history pages arrive
  EXPECT_EQ(f.redrawAt(), 0);
  f.noteTime(10000);
  EXPECT_FALSE(f.shouldRender());
  for (int i = 0; i < FrameScheduler::kTicksPerBulkFrame; ++i) f.noteTick();
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerTimed, WantingAnotherFrameStillMeansTheNextVsync) {
  FrameScheduler f = settledScheduler();
  f.frameRendered(true, false, 9000);  // a smooth scroll runs, and a countdown shows
  EXPECT_TRUE(f.shouldRender());
  EXPECT_EQ(f.redrawAt(), 9000);
}

}  // namespace
}  // namespace chat::web
