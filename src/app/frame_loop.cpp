#include "app/frame_loop.h"

#include <algorithm>
#include <utility>

#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>

namespace chat::app {
namespace {

constexpr double kTickMs = 250;

}  // namespace

FrameLoop::FrameLoop(client::ChatClient& client, web::BrowserClock& clock, std::function<void()> tick,
                     std::function<Drawn()> draw)
    : client_(client), clock_(clock), tick_(std::move(tick)), draw_(std::move(draw)) {}

void FrameLoop::start() {
  emscripten_set_interval(onTick, kTickMs, this);
  schedule();
}

void FrameLoop::onAnimationFrame(double, void* self) { static_cast<FrameLoop*>(self)->frame(); }
void FrameLoop::onTick(void* self) { static_cast<FrameLoop*>(self)->tick(); }
void FrameLoop::onRedrawTimer(void* self) { static_cast<FrameLoop*>(self)->redrawDue(); }

void FrameLoop::tick() {
  tick_();
  scheduler_.noteTick();  // now and then draws the progress of a history load (held back)
  scheduler_.noteTime(clock_.nowMs());  // a timed redraw whose timer was throttled
  schedule();
}

void FrameLoop::schedule() {
  scheduler_.noteVersion(client_.version(), client_.loadingHistory());
  if (scheduler_.shouldRender() && !rafPending_) {
    rafPending_ = true;
    emscripten_request_animation_frame(
        [](double t, void* self) -> EM_BOOL {
          onAnimationFrame(t, self);
          return EM_FALSE;  // one frame; schedule() asks for the next when needed
        },
        this);
  }
}

void FrameLoop::frame() {
  rafPending_ = false;
  const double t0 = emscripten_get_now();
  const Drawn drawn = draw_();
  lastFrameMs_ = emscripten_get_now() - t0;
  scheduler_.frameRendered(drawn.wantsAnotherFrame, client_.loadingHistory(), drawn.redrawAtMs);
  armRedrawTimer();
  schedule();
}

// One timer for the next timed redraw: set again only when the due time moves.
void FrameLoop::armRedrawTimer() {
  const int64_t at = scheduler_.redrawAt();
  if (at == redrawTimerAt_) return;
  if (redrawTimer_) emscripten_clear_timeout(redrawTimer_);
  redrawTimer_ = 0;
  redrawTimerAt_ = at;
  if (at == 0) return;
  const double delay = static_cast<double>(std::max<int64_t>(0, at - clock_.nowMs()));
  redrawTimer_ = emscripten_set_timeout(onRedrawTimer, delay, this);
}

void FrameLoop::redrawDue() {
  redrawTimer_ = 0;
  redrawTimerAt_ = 0;
  scheduler_.noteTime(clock_.nowMs());
  armRedrawTimer();  // a timer that fired early (clock skew) is set again for the rest
  schedule();
}

}  // namespace chat::app
