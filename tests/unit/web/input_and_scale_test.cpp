#include <gtest/gtest.h>

#include <cmath>

#include "page/display_scale.h"
#include "page/frame_scheduler.h"

using namespace chat::web;

TEST(FrameScheduler, IdleRendersNothing) {
  FrameScheduler f;
  ASSERT_TRUE(f.shouldRender());  // the first frame
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
  f.noteVersion(5);
  ASSERT_TRUE(f.shouldRender());
  f.frameRendered(false);
  f.noteVersion(5);  // unchanged version: nothing to draw
  EXPECT_FALSE(f.shouldRender());
  EXPECT_EQ(f.framesRendered(), 2u);
}

TEST(FrameScheduler, InputBuysAFewFramesAndAnimationsContinue) {
  FrameScheduler f;
  f.frameRendered(false);
  f.noteInput();
  int frames = 0;
  while (f.shouldRender() && frames < 100) {
    f.frameRendered(false);
    ++frames;
  }
  EXPECT_EQ(frames, FrameScheduler::kFramesPerInput);
  f.requestFrame();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(f.shouldRender());
    f.frameRendered(true);  // a caret blinking
  }
  f.frameRendered(false);
  EXPECT_FALSE(f.shouldRender());
}

TEST(DisplayScale, PixelRatio) {
  EXPECT_FLOAT_EQ(sanitizePixelRatio(2.0), 2.0f);
  EXPECT_FLOAT_EQ(sanitizePixelRatio(1.25), 1.25f);
  EXPECT_FLOAT_EQ(sanitizePixelRatio(0), 1.0f);
  EXPECT_FLOAT_EQ(sanitizePixelRatio(-3), 1.0f);
  EXPECT_FLOAT_EQ(sanitizePixelRatio(NAN), 1.0f);
  EXPECT_FLOAT_EQ(sanitizePixelRatio(10), 4.0f);
  EXPECT_TRUE(pixelRatioChanged(1.0f, 1.25f));
  EXPECT_FALSE(pixelRatioChanged(1.5f, 1.5001f));
}

TEST(DisplayScale, BackingStoreIsCssTimesRatio) {
  EXPECT_EQ(backingStoreSize(800, 600, 2.0f), (PixelSize{1600, 1200}));
  EXPECT_EQ(backingStoreSize(333, 201, 1.5f), (PixelSize{500, 302}));  // 499.5 rounds up, 301.5 too
  EXPECT_EQ(backingStoreSize(0, -5, 2.0f), (PixelSize{1, 1}));
  EXPECT_EQ(backingStoreSize(1e9, 10, 1.0f), (PixelSize{16384, 10}));
}

TEST(DisplayScale, DisplayRectToCss) {
  CssRect r = displayRectToCss(100, 50, 400, 80, 1600, 800);  // ratio 2
  EXPECT_DOUBLE_EQ(r.x, 50);
  EXPECT_DOUBLE_EQ(r.y, 25);
  EXPECT_DOUBLE_EQ(r.w, 200);
  EXPECT_DOUBLE_EQ(r.h, 40);
  CssRect same = displayRectToCss(1, 2, 3, 4, 0, 800);  // no display yet: unscaled
  EXPECT_DOUBLE_EQ(same.w, 3);
}
