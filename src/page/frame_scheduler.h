// Decides when the page renders a frame. Idle costs nothing: a frame is drawn only when input
// arrived, the chat changed (ChatClient::version moved), the canvas was resized, the view asked
// for another frame (a smooth scroll), or the time came at which the view said its picture
// changes by itself (a countdown's next second, a caret's next blink): a page showing "retry in
// 8s" draws once a second, not once per vsync.
//
// While a session's history arrives in bulk (ChatClient::loadingHistory), changes of the chat
// are drawn when the load ends, or every kTicksPerBulkFrame ticks of the app while it goes on
// (progress on a slow link), rather than at once: a frame costs the page far more than applying
// a page of events (in headless Chromium with software GL, ~40-50 ms against ~12 ms), and the
// intermediate states of a load (older messages passing the bottom of the list) are replaced a
// moment later. Input is never held back.
#pragma once

#include <cstdint>

namespace chat::web {

class FrameScheduler {
 public:
  // Dear ImGui resolves hover/active/click over a couple of frames after an event, so input
  // buys a few frames, not one.
  static constexpr int kFramesPerInput = 3;
  // The app ticks every 250 ms: a load shows its progress about once a second.
  static constexpr int kTicksPerBulkFrame = 4;

  void noteInput();
  void noteResize();
  void noteVersion(uint64_t version);
  // bulk: the change is part of a history load; it is drawn at the kTicksPerBulkFrame-th
  // noteTick() since the last frame, at the next change that is not bulk, or with any frame
  // drawn for another reason, whichever is first.
  void noteVersion(uint64_t version, bool bulk);
  void noteTick();  // the app's periodic tick
  void requestFrame();  // anything else that must show (theme, fonts)

  bool shouldRender() const { return owed_ > 0; }
  // After a frame: the view's wantsAnotherFrame keeps the animation going. With bulk (a history
  // load is running) the animation goes on at the pace of bulk changes: a load's pages often end
  // in the middle of a turn, and the streaming caret of that moment is not worth a frame per vsync.
  // redrawAtMs: the wall-clock time at which the view changes by itself (0: never); the app
  // calls noteTime() then (a timer at redrawAt()). While bulk, it waits for the bulk pace too.
  void frameRendered(bool wantsAnotherFrame, bool bulk = false, int64_t redrawAtMs = 0);
  void noteTime(int64_t nowMs);  // the wall clock now: a timed redraw that fell due is owed
  int64_t redrawAt() const { return redrawAt_; }  // the pending timed redraw, 0 when none
  uint64_t framesRendered() const { return framesRendered_; }

 private:
  int owed_ = 1;  // the first frame
  bool haveVersion_ = false;
  bool heldBack_ = false;  // a bulk change not drawn yet
  int ticksSinceFrame_ = 0;
  uint64_t version_ = 0;
  uint64_t framesRendered_ = 0;
  int64_t redrawAt_ = 0;
};

}  // namespace chat::web
