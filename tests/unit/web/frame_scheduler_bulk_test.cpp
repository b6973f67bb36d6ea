// FrameScheduler while a history loads in bulk: changes wait for every kTicksPerBulkFrame-th
// tick of the app (or for the end of the load, or for a frame drawn anyway), input never waits.
#include <gtest/gtest.h>

#include "web/frame_scheduler_fixture.h"

namespace chat::web {
namespace {

// The ticks after which a held-back change is drawn.
void ticksUntilBulkFrame(FrameScheduler& f) {
  for (int i = 1; i < FrameScheduler::kTicksPerBulkFrame; ++i) {
    f.noteTick();
    EXPECT_FALSE(f.shouldRender()) << "tick " << i;
  }
  f.noteTick();
}

TEST(FrameSchedulerBulk, ChangesDuringALoadWaitForTheBulkTick) {
  FrameScheduler f = settledScheduler();
  for (uint64_t v = 1; v <= 20; ++v) {
    f.noteVersion(v, /*bulk=*/true);  // a page of history applied
    EXPECT_FALSE(f.shouldRender()) << "page " << v;
  }
  ticksUntilBulkFrame(f);
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
  for (int i = 0; i < 2 * FrameScheduler::kTicksPerBulkFrame; ++i) f.noteTick();
  EXPECT_FALSE(f.shouldRender()) << "nothing changed since that frame";
  EXPECT_EQ(f.framesRendered(), 2u);
  f.noteVersion(21, true);  // long after the last frame: the next tick shows it
  f.noteTick();
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerBulk, TheEndOfTheLoadIsDrawnAtOnce) {
  FrameScheduler f = settledScheduler();
  f.noteVersion(1, true);
  f.noteVersion(2, true);  // the last page
  EXPECT_FALSE(f.shouldRender());
  f.noteVersion(2, false);  // the load ended (same version: nothing else changed)
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerBulk, ChangesOutsideALoadAreDrawnAtOnce) {
  FrameScheduler f = settledScheduler();
  f.noteVersion(1, false);
  EXPECT_TRUE(f.shouldRender());
  f.frameRendered(false);
  f.noteVersion(1);  // the one-argument form is not bulk
  EXPECT_FALSE(f.shouldRender());
  f.noteVersion(2);
  EXPECT_TRUE(f.shouldRender());
}

TEST(FrameSchedulerBulk, InputIsNeverHeldBackAndItsFrameShowsTheLoadSoFar) {
  FrameScheduler f = settledScheduler();
  f.noteVersion(1, true);
  f.noteInput();
  ASSERT_TRUE(f.shouldRender());
  int frames = 0;
  while (f.shouldRender() && frames < 10) {
    f.frameRendered(false);
    ++frames;
  }
  EXPECT_EQ(frames, FrameScheduler::kFramesPerInput);
  for (int i = 0; i < FrameScheduler::kTicksPerBulkFrame; ++i) f.noteTick();
  EXPECT_FALSE(f.shouldRender()) << "those frames already drew version 1";
}

TEST(FrameSchedulerBulk, TicksWithoutALoadDrawNothing) {
  FrameScheduler f = settledScheduler();
  for (int i = 0; i < 3 * FrameScheduler::kTicksPerBulkFrame; ++i) f.noteTick();
  EXPECT_FALSE(f.shouldRender());
}

TEST(FrameSchedulerBulk, AnimationsDuringALoadGoOnAtTheTicksPace) {
  FrameScheduler f = settledScheduler();
  f.noteVersion(1, true);
  ticksUntilBulkFrame(f);
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(/*wantsAnotherFrame=*/true, /*bulk=*/true);  // a streaming caret mid-load
  EXPECT_FALSE(f.shouldRender()) << "not at once";
  ticksUntilBulkFrame(f);
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(true, /*bulk=*/false);  // the load ended: the animation runs per frame again
  EXPECT_TRUE(f.shouldRender());
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
}

}  // namespace
}  // namespace chat::web
