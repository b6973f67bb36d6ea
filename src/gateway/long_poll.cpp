#include "gateway/long_poll.h"

#include <chrono>
#include <utility>

namespace chat::gateway {

LongPoll::LongPoll(ServerContext& ctx, Source source, std::function<void(ApiResponse&&)> respond)
    : ctx_(ctx), source_(std::move(source)), timer_(ctx.ioc), respond_(std::move(respond)) {}

void LongPoll::start(int64_t waitMs) {
  bool ready = true;
  try {
    ready = waitMs <= 0 || source_.last() > source_.after;
  } catch (const std::exception&) {
    // the page reports the failure
  }
  if (ready) return finish();
  auto self = shared_from_this();
  waiter_ = ctx_.fanoutOf(source_.channel).addWaiter(source_.channel, source_.after, [self] {
    self->waiter_ = 0;  // the hub removed it
    self->finish();
  });
  timer_.expires_after(std::chrono::milliseconds(waitMs));
  timer_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec) self->finish();
  });
}

void LongPoll::finish() {
  if (done_) return;
  done_ = true;
  if (waiter_) ctx_.fanoutOf(source_.channel).removeWaiter(waiter_);
  waiter_ = 0;
  timer_.cancel();
  respond_(source_.page());
}

}  // namespace chat::gateway
