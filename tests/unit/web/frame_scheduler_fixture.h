// Shared by the FrameScheduler suites.
#pragma once

#include "page/frame_scheduler.h"

namespace chat::web {

// A scheduler that has drawn its first frame and owes nothing.
inline FrameScheduler settledScheduler() {
  FrameScheduler f;
  f.frameRendered(false);
  return f;
}

}  // namespace chat::web
