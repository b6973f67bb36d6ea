#include "native/event_loop.h"

#include <algorithm>
#include <utility>

namespace chat::native {

struct EventLoop::Ticker {
  Ticker(boost::asio::io_context& io, std::chrono::milliseconds p, std::function<void()> f)
      : timer(io), period(p), fn(std::move(f)) {}
  boost::asio::steady_timer timer;
  std::chrono::milliseconds period;
  std::function<void()> fn;
  bool active = true;
};

EventLoop::EventLoop() : work_(boost::asio::make_work_guard(io_)) {}

EventLoop::~EventLoop() {
  for (auto& [id, ticker] : tickers_) {
    ticker->active = false;
    ticker->timer.cancel();
  }
}

EventLoop::TickerId EventLoop::addTicker(std::chrono::milliseconds period, std::function<void()> fn) {
  const TickerId id = nextTicker_++;
  auto ticker = std::make_shared<Ticker>(io_, std::max(period, std::chrono::milliseconds(1)),
                                         std::move(fn));
  tickers_[id] = ticker;
  schedule(ticker);
  return id;
}

void EventLoop::removeTicker(TickerId id) {
  auto it = tickers_.find(id);
  if (it == tickers_.end()) return;
  it->second->active = false;
  it->second->timer.cancel();
  tickers_.erase(it);
}

void EventLoop::schedule(const std::shared_ptr<Ticker>& ticker) {
  ticker->timer.expires_after(ticker->period);
  // The handler holds the ticker (not the loop's map) so a removed ticker dies cleanly.
  ticker->timer.async_wait([this, ticker](const boost::system::error_code& ec) {
    if (ec || !ticker->active) return;
    ticker->fn();
    if (ticker->active) schedule(ticker);
  });
}

bool EventLoop::runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (io_.stopped()) io_.restart();
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return done();
    io_.run_one_for(std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                                  std::chrono::milliseconds(50)));
    if (io_.stopped()) io_.restart();
  }
  return true;
}

void EventLoop::runFor(std::chrono::milliseconds duration) {
  runUntil([] { return false; }, duration);
}

void EventLoop::run() {
  stopRequested_ = false;
  if (io_.stopped()) io_.restart();
  while (!stopRequested_) {
    io_.run_one_for(std::chrono::milliseconds(50));
    if (io_.stopped()) io_.restart();
  }
}

}  // namespace chat::native
