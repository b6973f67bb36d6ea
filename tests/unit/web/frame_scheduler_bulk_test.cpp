// FrameScheduler while a history loads in bulk: changes wait for the app's tick (or for the
// end of the load, or for a frame drawn anyway), input never waits.
#include <gtest/gtest.h>

#include "web/logic/frame_scheduler.h"

namespace chat::web {
namespace {

FrameScheduler settled() {
  FrameScheduler f;
  f.frameRendered(false);  // the first frame
  return f;
}

TEST(FrameSchedulerBulk, ChangesDuringALoadWaitForTheTick) {
  FrameScheduler f = settled();
  for (uint64_t v = 1; v <= 20; ++v) {
    f.noteVersion(v, /*bulk=*/true);  // a page of history applied
    EXPECT_FALSE(f.shouldRender()) << "page " << v;
  }
  f.noteTick();
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
  f.noteTick();  // nothing changed since that frame
  EXPECT_FALSE(f.shouldRender());
  EXPECT_EQ(f.framesRendered(), 2u);
}

TEST(FrameSchedulerBulk, TheEndOfTheLoadIsDrawnAtOnce) {
  FrameScheduler f = settled();
  f.noteVersion(1, true);
  f.noteVersion(2, true);  // the last page
  EXPECT_FALSE(f.shouldRender());
  f.noteVersion(2, false);  // the load ended (same version: nothing else changed)
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerBulk, ChangesOutsideALoadAreDrawnAtOnce) {
  FrameScheduler f = settled();
  f.noteVersion(1, false);
  EXPECT_TRUE(f.shouldRender());
  f.frameRendered(false);
  f.noteVersion(1);  // the one-argument form is not bulk
  EXPECT_FALSE(f.shouldRender());
  f.noteVersion(2);
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerBulk, InputIsNeverHeldBackAndItsFrameShowsTheLoadSoFar) {
  FrameScheduler f = settled();
  f.noteVersion(1, true);
  f.noteInput();
  ASSERT_TRUE(f.shouldRender());
  int frames = 0;
  while (f.shouldRender() && frames < 10) {
    f.frameRendered(false);
    ++frames;
  }
  EXPECT_EQ(frames, FrameScheduler::kFramesPerInput);
  f.noteTick();  // those frames already drew version 1
  EXPECT_FALSE(f.shouldRender());
}

TEST(FrameSchedulerBulk, ATickWithoutALoadDrawsNothing) {
  FrameScheduler f = settled();
  f.noteTick();
  EXPECT_FALSE(f.shouldRender());
}

TEST(FrameSchedulerBulk, AnimationsDuringALoadGoOnAtTheTicksPace) {
  FrameScheduler f = settled();
  f.noteVersion(1, true);
  f.noteTick();
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(/*wantsAnotherFrame=*/true, /*bulk=*/true);  // a streaming caret mid-load
  EXPECT_FALSE(f.shouldRender()) << "not at once";
  f.noteTick();
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(true, /*bulk=*/false);  // the load ended: the animation runs per frame again
  EXPECT_TRUE(f.shouldRender());
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
}

}  // namespace
}  // namespace chat::web
