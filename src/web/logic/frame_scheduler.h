// Decides when the page renders a frame. Idle costs nothing: a frame is drawn only when input
// arrived, the chat changed (ChatClient::version moved), the canvas was resized, or the view
// asked for another frame (an animation: caret, countdown, smooth scroll).
#pragma once

#include <cstdint>

namespace chat::web {

class FrameScheduler {
 public:
  // Dear ImGui resolves hover/active/click over a couple of frames after an event, so input
  // buys a few frames, not one.
  static constexpr int kFramesPerInput = 3;

  void noteInput();
  void noteResize();
  void noteVersion(uint64_t version);
  void requestFrame();  // anything else that must show (theme, fonts)

  bool shouldRender() const { return owed_ > 0; }
  // After a frame: the view's wantsAnotherFrame keeps the animation going.
  void frameRendered(bool wantsAnotherFrame);
  uint64_t framesRendered() const { return framesRendered_; }

 private:
  int owed_ = 1;  // the first frame
  bool haveVersion_ = false;
  uint64_t version_ = 0;
  uint64_t framesRendered_ = 0;
};

}  // namespace chat::web
