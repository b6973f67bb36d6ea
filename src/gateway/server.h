// The listener: accepts TCP connections (bounded per address) and hands each to an
// HttpSession, which upgrades /gateway to a WebSocket. Shutdown closes every WebSocket with
// 1001 after ending the running turns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/memory_trim.h"

#include "gateway/server_context.h"

namespace chat::gateway {

class Server {
 public:
  explicit Server(ServerContext& ctx);
  // Binds and listens; throws boost::system::system_error when the address is unusable.
  // Returns the bound port (the real one when config.port is 0).
  uint16_t listen();
  void startAccepting();
  // Stops accepting, ends running turns, answers long polls, closes WebSockets with 1001;
  // `done` runs when every WebSocket is closed or after a grace period. Connections still open
  // then are cut by ServerContext::detachAll.
  void shutdown(std::function<void()> done);

 private:
  void accept();
  void waitForClosed(std::function<void()> done, int attemptsLeft);
  void scheduleTrim();  // memory back to the OS after a burst of connections (memory_trim.h)

  ServerContext& ctx_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer trimTimer_;
  TrimPolicy trim_;
};

}  // namespace chat::gateway
