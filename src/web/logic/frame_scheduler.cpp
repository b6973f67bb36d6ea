#include "web/logic/frame_scheduler.h"

#include <algorithm>

namespace chat::web {

void FrameScheduler::noteInput() { owed_ = std::max(owed_, kFramesPerInput); }

void FrameScheduler::noteResize() { owed_ = std::max(owed_, 2); }

void FrameScheduler::requestFrame() { owed_ = std::max(owed_, 1); }

void FrameScheduler::noteVersion(uint64_t version) {
  if (!haveVersion_ || version != version_) {
    haveVersion_ = true;
    version_ = version;
    owed_ = std::max(owed_, 1);
  }
}

void FrameScheduler::frameRendered(bool wantsAnotherFrame) {
  ++framesRendered_;
  if (owed_ > 0) --owed_;
  if (wantsAnotherFrame) owed_ = std::max(owed_, 1);
}

}  // namespace chat::web
