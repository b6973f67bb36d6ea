// How much of one frame may go to drawing text runs the browser has not drawn before
// (glyph_fallback.h). Rasterizing a run (Canvas2D fillText, reading its pixels back, uploading
// them into a texture) costs a fraction of a millisecond to a few; a screen of new CJK, emoji or
// Arabic text holds dozens of runs, and the first frame that needs them all would stall.
//
// So a frame draws new runs until it has spent `maxMs` on them or drawn `maxRuns`; the runs past
// that are left out of this frame (runs drawn before, cached, are always drawn) and the view
// asks for another frame, which draws the next ones. New text appears over a few short frames
// instead of one long one. The first new run of a frame is always allowed, so every frame makes
// progress even when one run alone costs more than the budget.
//
// Pure: the clock is passed in (the browser's performance.now(), a steady clock natively, a
// fake one in tests).
#pragma once

#include <functional>

namespace chat::ui {

struct RasterLimits {
  double maxMs = 4.0;  // raster time per frame: a quarter of a 60 Hz frame
  int maxRuns = 24;    // new runs per frame, whatever they cost
};

class RasterBudget {
 public:
  using Clock = std::function<double()>;  // monotonic milliseconds
  using Limits = RasterLimits;

  explicit RasterBudget(Clock clock, Limits limits = Limits{}) : clock_(std::move(clock)), limits_(limits) {}

  void setClock(Clock clock) { clock_ = std::move(clock); }
  void setLimits(Limits limits) { limits_ = limits; }
  const Limits& limits() const { return limits_; }

  // A new frame: nothing spent, nothing left out.
  void beginFrame();
  // Whether one more new run may be rasterized in this frame.
  bool mayRasterize() const;
  double now() const { return clock_ ? clock_() : 0.0; }
  // A new run was rasterized; it started at `startedMs` (a value of now()).
  void rasterized(double startedMs);
  // A new run was left for a later frame.
  void deferred() { ++deferred_; }

  int rasterizedThisFrame() const { return rasterized_; }
  int deferredThisFrame() const { return deferred_; }
  double spentThisFrameMs() const { return spentMs_; }

 private:
  Clock clock_;
  Limits limits_;
  int rasterized_ = 0;
  int deferred_ = 0;
  double spentMs_ = 0;
};

}  // namespace chat::ui
