// One HTTP long poll (GET /api/events, GET /api/session-changes): answered at once when the
// channel already has something after `after` (or there is no wait), else as soon as the Hub
// announces something after `after` on the channel, or when the wait runs out. The answer is
// read (`page`) when it is sent, so it holds whatever arrived meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "gateway/api_routes.h"
#include "gateway/server_context.h"

namespace chat::gateway {

class LongPoll : public std::enable_shared_from_this<LongPoll> {
 public:
  static constexpr int64_t kMaxWaitMs = 30000;  // the longest wait a client may ask for

  struct Source {
    std::string channel;             // the Hub channel (a session id, or the list channel)
    int64_t after = 0;               // what the client has: answer with what comes after it
    std::function<int64_t()> last;  // the channel's last position now (may throw: answer)
    std::function<ApiResponse()> page;  // the answer (catches its own failures)
  };

  LongPoll(ServerContext& ctx, Source source, std::function<void(ApiResponse&&)> respond);
  // Call once, on a shared_ptr; `respond` is called exactly once, maybe later.
  void start(int64_t waitMs);

 private:
  void finish();

  ServerContext& ctx_;
  Source source_;
  boost::asio::steady_timer timer_;
  std::function<void(ApiResponse&&)> respond_;
  uint64_t waiter_ = 0;
  bool done_ = false;
};

}  // namespace chat::gateway
