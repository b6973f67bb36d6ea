#include "ui/raster_budget.h"

namespace chat::ui {

void RasterBudget::beginFrame() {
  rasterized_ = 0;
  deferred_ = 0;
  spentMs_ = 0;
}

bool RasterBudget::mayRasterize() const {
  if (rasterized_ == 0) return true;  // progress: every frame draws at least one new run
  return rasterized_ < limits_.maxRuns && spentMs_ < limits_.maxMs;
}

void RasterBudget::rasterized(double startedMs) {
  ++rasterized_;
  const double took = now() - startedMs;
  if (took > 0) spentMs_ += took;  // a clock that stepped back costs nothing, never credit
}

}  // namespace chat::ui
