// The per-frame budget for rasterizing new browser-font runs (raster_budget.h), with a fake
// clock, and drawText (glyph_fallback.h) keeping to it with a fake engine whose runs cost time.
#include <gtest/gtest.h>
#include <imgui.h>

#include <set>
#include <string>

#include "ui/glyph_fallback.h"
#include "ui/raster_budget.h"
#include "ui_fixture.h"

namespace chat::ui {
namespace {

struct FakeClock {
  double ms = 1000.0;
  RasterBudget::Clock fn() {
    return [this] { return ms; };
  }
};

TEST(RasterBudget, StopsAtTheTimeLimit) {
  FakeClock clock;
  RasterBudget b(clock.fn(), RasterBudget::Limits{4.0, 100});
  b.beginFrame();
  int drawn = 0;
  while (b.mayRasterize()) {
    const double t = b.now();
    clock.ms += 1.5;  // each run takes 1.5 ms
    b.rasterized(t);
    ++drawn;
  }
  EXPECT_EQ(drawn, 3);  // 0, 1.5, 3.0 ms spent before each: the third goes over, then stop
  EXPECT_DOUBLE_EQ(b.spentThisFrameMs(), 4.5);
  b.deferred();
  b.deferred();
  EXPECT_EQ(b.deferredThisFrame(), 2);
  // The next frame starts afresh.
  b.beginFrame();
  EXPECT_TRUE(b.mayRasterize());
  EXPECT_EQ(b.deferredThisFrame(), 0);
  EXPECT_DOUBLE_EQ(b.spentThisFrameMs(), 0.0);
}

TEST(RasterBudget, StopsAtTheRunLimitEvenWhenRunsAreFree) {
  FakeClock clock;
  RasterBudget b(clock.fn(), RasterBudget::Limits{4.0, 5});
  b.beginFrame();
  int drawn = 0;
  while (b.mayRasterize() && drawn < 1000) {
    b.rasterized(b.now());  // no time passes
    ++drawn;
  }
  EXPECT_EQ(drawn, 5);
}

TEST(RasterBudget, OneRunPerFrameAlwaysGoesThroughEvenIfItAloneIsOverBudget) {
  FakeClock clock;
  RasterBudget b(clock.fn(), RasterBudget::Limits{4.0, 24});
  for (int frame = 0; frame < 3; ++frame) {
    b.beginFrame();
    ASSERT_TRUE(b.mayRasterize()) << frame;
    const double t = b.now();
    clock.ms += 50.0;  // a huge run
    b.rasterized(t);
    EXPECT_FALSE(b.mayRasterize()) << frame;
  }
}

TEST(RasterBudget, AClockSteppingBackCostsNothing) {
  FakeClock clock;
  RasterBudget b(clock.fn(), RasterBudget::Limits{4.0, 24});
  b.beginFrame();
  const double t = b.now();
  clock.ms -= 10.0;
  b.rasterized(t);
  EXPECT_DOUBLE_EQ(b.spentThisFrameMs(), 0.0);
  EXPECT_TRUE(b.mayRasterize());
}

// An engine whose new runs cost `costMs` on the fake clock; runs drawn once are cached.
class FakeEngine : public TextRunEngine {
 public:
  explicit FakeEngine(FakeClock& clock, double costMs) : clock_(clock), costMs_(costMs) {}
  float measure(std::string_view text, bool, float size) override { return size * static_cast<float>(text.size()) / 3; }
  RunResult run(std::string_view text, bool, float, ImU32, bool, bool mayRasterize, RunImage* out) override {
    out->texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(7));
    out->width = 10;
    out->height = 10;
    const std::string key(text);
    if (cached.count(key)) return RunResult::Cached;
    if (!mayRasterize) return RunResult::Deferred;
    clock_.ms += costMs_;
    cached.insert(key);
    return RunResult::Rasterized;
  }
  std::set<std::string> cached;

 private:
  FakeClock& clock_;
  double costMs_;
};

class RasterBudgetDraw : public test::ViewTest {
 protected:
  void TearDown() override {
    setTextRunEngine(nullptr);
    textRunBudget().setLimits(RasterBudget::Limits{});
    textRunBudget().setClock(nullptr);
    ViewTest::TearDown();
  }
};

TEST_F(RasterBudgetDraw, AScreenOfNewRunsIsSpreadOverFramesAndTheViewAsksForThem) {
  FakeClock clock;
  FakeEngine engine(clock, 1.0);  // 1 ms a run: 4 a frame with the 4 ms budget
  setTextRunEngine(&engine);
  textRunBudget().setClock(clock.fn());
  textRunBudget().setLimits(RasterBudget::Limits{4.0, 24});
  const uint64_t deferredBefore = glyphFallbackStats().deferredRuns;

  // Ten messages with ten different CJK runs.
  core::SessionState& s = test::addSession(state, "s-1", "t");
  state.currentSessionId = "s-1";
  const char* words[] = {"\xE6\x97\xA5", "\xE6\x9C\xAC", "\xE8\xAA\x9E", "\xE4\xB8\xAD", "\xE6\x96\x87",
                         "\xE5\xAD\x97", "\xE6\xBC\xA2", "\xE5\xB1\xB1", "\xE5\xB7\x9D", "\xE6\xB5\xB7"};
  for (const char* w : words) test::addMessage(s, core::Role::User, std::string("x ") + w + w);

  std::vector<std::size_t> cachedAfter;
  int framesAskingForMore = 0;
  for (int f = 0; f < 8; ++f) {
    const FrameOutput out = frame();
    if (out.wantsAnotherFrame) ++framesAskingForMore;
    cachedAfter.push_back(engine.cached.size());
    if (engine.cached.size() == 10 && !out.wantsAnotherFrame) break;
  }
  // 4 new runs a frame (the 4 ms budget), the rest on the frames after, each asked for.
  ASSERT_GE(cachedAfter.size(), 3u);
  EXPECT_EQ(cachedAfter[0], 4u);
  EXPECT_EQ(cachedAfter[1], 8u);
  EXPECT_EQ(cachedAfter[2], 10u);
  EXPECT_GE(framesAskingForMore, 2);
  EXPECT_GT(glyphFallbackStats().deferredRuns, deferredBefore);
  EXPECT_LE(glyphFallbackStats().mostRasterizedInAFrame, 24);
  // Once all are cached, an idle frame neither rasterizes nor asks for another frame.
  const FrameOutput idle = frame();
  EXPECT_FALSE(idle.wantsAnotherFrame);
  EXPECT_EQ(textRunBudget().rasterizedThisFrame(), 0);
}

}  // namespace
}  // namespace chat::ui
