// A small event loop for native hosts: owns an io_context, runs it on the calling thread, and
// calls registered tickers on a fixed period (the native counterpart of the browser's frame
// loop, which calls ChatClient::tick() every frame).
//
// Single-threaded: every transport callback and every ticker runs on the thread inside run*(),
// so the core needs no locks.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace chat::native {

class EventLoop {
 public:
  using TickerId = int;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  boost::asio::io_context& context() { return io_; }

  // Calls `fn` every `period` while the loop runs, until removeTicker(id).
  TickerId addTicker(std::chrono::milliseconds period, std::function<void()> fn);
  void removeTicker(TickerId id);

  // Runs until `done()` holds (checked after every handler) or `timeout` passes.
  // Returns done(). A ticker or callback may itself make done() true.
  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // Runs handlers for `duration`, then returns.
  void runFor(std::chrono::milliseconds duration);
  // Runs until stop() (from a handler or a ticker).
  void run();
  void stop() { stopRequested_ = true; }

 private:
  struct Ticker;
  void schedule(const std::shared_ptr<Ticker>& ticker);

  boost::asio::io_context io_;
  // Keeps run_one_for() waiting for work instead of returning at once when nothing is pending.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::map<TickerId, std::shared_ptr<Ticker>> tickers_;
  TickerId nextTicker_ = 1;
  bool stopRequested_ = false;
};

}  // namespace chat::native
