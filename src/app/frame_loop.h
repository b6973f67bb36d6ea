// The page's frame loop: an animation frame only when the FrameScheduler says one is owed
// (input, a change of the chat, a resize, an animation, a timed redraw), one timer for the next
// timed redraw, and a 250 ms tick that keeps ChatClient::tick() running on an idle page
// (heartbeats, retries).
#pragma once

#include <cstdint>
#include <functional>

#include "core/client/chat_client.h"
#include "page/frame_scheduler.h"
#include "web/browser_clock.h"

namespace chat::app {

class FrameLoop {
 public:
  struct Drawn {
    bool wantsAnotherFrame = false;
    int64_t redrawAtMs = 0;  // when the picture changes by itself (0: never)
  };
  // `tick` runs every 250 ms before the loop checks for work; `draw` draws one frame.
  FrameLoop(client::ChatClient& client, web::BrowserClock& clock, std::function<void()> tick,
            std::function<Drawn()> draw);

  void start();     // the periodic tick, and the first frame
  void schedule();  // asks for an animation frame if one is owed
  web::FrameScheduler& scheduler() { return scheduler_; }
  const web::FrameScheduler& scheduler() const { return scheduler_; }
  double lastFrameMs() const { return lastFrameMs_; }

 private:
  static void onAnimationFrame(double, void*);
  static void onTick(void*);
  static void onRedrawTimer(void*);
  void frame();
  void tick();
  void redrawDue();
  void armRedrawTimer();

  client::ChatClient& client_;
  web::BrowserClock& clock_;
  std::function<void()> tick_;
  std::function<Drawn()> draw_;
  web::FrameScheduler scheduler_;
  bool rafPending_ = false;
  long redrawTimer_ = 0;
  int64_t redrawTimerAt_ = 0;
  double lastFrameMs_ = 0;
};

}  // namespace chat::app
