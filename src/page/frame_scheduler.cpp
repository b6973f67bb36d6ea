#include "page/frame_scheduler.h"

#include <algorithm>

namespace chat::web {

void FrameScheduler::noteInput() { owed_ = std::max(owed_, kFramesPerInput); }

void FrameScheduler::noteResize() { owed_ = std::max(owed_, 2); }

void FrameScheduler::requestFrame() { owed_ = std::max(owed_, 1); }

void FrameScheduler::noteVersion(uint64_t version) { noteVersion(version, false); }

void FrameScheduler::noteVersion(uint64_t version, bool bulk) {
  if (!haveVersion_ || version != version_) {
    haveVersion_ = true;
    version_ = version;
    if (bulk) {
      heldBack_ = true;
    } else {
      owed_ = std::max(owed_, 1);
    }
  }
  if (!bulk && heldBack_) {  // the load ended: show where it got to now
    heldBack_ = false;
    owed_ = std::max(owed_, 1);
  }
}

void FrameScheduler::noteTick() {
  ++ticksSinceFrame_;
  if (!heldBack_ || ticksSinceFrame_ < kTicksPerBulkFrame) return;
  heldBack_ = false;
  owed_ = std::max(owed_, 1);
}

void FrameScheduler::noteTime(int64_t nowMs) {
  if (redrawAt_ == 0 || nowMs < redrawAt_) return;
  redrawAt_ = 0;
  owed_ = std::max(owed_, 1);
}

void FrameScheduler::frameRendered(bool wantsAnotherFrame, bool bulk, int64_t redrawAtMs) {
  ++framesRendered_;
  ticksSinceFrame_ = 0;
  heldBack_ = false;  // the frame drew the latest state
  if (owed_ > 0) --owed_;
  redrawAt_ = 0;  // this frame's view says what is due next
  if (bulk) {
    heldBack_ = wantsAnotherFrame || redrawAtMs != 0;
    return;
  }
  redrawAt_ = redrawAtMs;
  if (wantsAnotherFrame) owed_ = std::max(owed_, 1);
}

}  // namespace chat::web
