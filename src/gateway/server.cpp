#include "gateway/server.h"

#include <chrono>
#include <memory>

#include <boost/asio/steady_timer.hpp>

#include "gateway/client_address.h"
#include "gateway/http_session.h"
#include "gateway/util.h"
#include "gateway/ws_session.h"

namespace chat::gateway {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Server::Server(ServerContext& ctx) : ctx_(ctx), acceptor_(ctx.ioc), trimTimer_(ctx.ioc) {
  // SQLite's work on the second core: group commits run on a worker thread from here on
  // (commit_queue.h); the network thread sends, reads and runs the agents meanwhile.
  ctx_.core.commits().commitOffThread();
}

uint16_t Server::listen() {
  auto address = net::ip::make_address(ctx_.config.host);
  tcp::endpoint endpoint(address, ctx_.config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Server::startAccepting() {
  accept();
  scheduleTrim();
}

void Server::scheduleTrim() {
  trimTimer_.expires_after(std::chrono::seconds(2));
  trimTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || ctx_.stopping) return;
    if (trim_.sample(ctx_.connections->total())) trimMemory();
    scheduleTrim();
  });
}

void Server::accept() {
  acceptor_.async_accept(ctx_.ioc, [this](boost::system::error_code ec,
                                         tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      // Out of file descriptors and the like: log, breathe, keep accepting.
      logLine("accept: " + ec.message());
      auto timer = std::make_shared<net::steady_timer>(ctx_.ioc, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](const boost::system::error_code& e) {
        if (!e) accept();
      });
      return;
    }
    boost::system::error_code peerError;
    auto peer = socket.remote_endpoint(peerError);
    std::string address = peerError ? "unknown" : peer.address().to_string();
    std::string remote = peerError ? "unknown" : address + ":" + std::to_string(peer.port());
    auto slot = ctx_.connections->tryAcquire(
        address, !isTrustedProxy(address, ctx_.config.trustedProxies));
    if (!slot) {
      logLine("refused " + remote + ": too many connections from this address");
      socket.close(peerError);
    } else {
      socket.set_option(tcp::no_delay(true), peerError);
      std::make_shared<HttpSession>(ctx_, std::move(socket), std::move(slot), remote)->run();
    }
    accept();
  });
}

void Server::shutdown(std::function<void()> done) {
  ctx_.stopping = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  trimTimer_.cancel();
  // Every chat.send gets its chat.stream.end, also when the gateway stops under it.
  try {
    ctx_.core.stopAllTurns("gateway shutting down");
  } catch (const std::exception& e) {
    logLine(std::string("shutdown: ") + e.what());
  }
  ctx_.hub.wakeAllWaiters();  // long polls get their answer now
  ctx_.localHub.wakeAllWaiters();  // and the list feed's (the same Hub without --redis)
  std::vector<WsSession*> open(ctx_.wsSessions.begin(), ctx_.wsSessions.end());
  for (WsSession* ws : open) ws->closeForShutdown();
  waitForClosed(std::move(done), 40);  // up to 2 s for close handshakes
}

void Server::waitForClosed(std::function<void()> done, int attemptsLeft) {
  if (ctx_.wsSessions.empty() || attemptsLeft <= 0) {
    done();
    return;
  }
  auto timer = std::make_shared<net::steady_timer>(ctx_.ioc, std::chrono::milliseconds(50));
  timer->async_wait([this, timer, done = std::move(done), attemptsLeft](
                        const boost::system::error_code&) mutable {
    waitForClosed(std::move(done), attemptsLeft - 1);
  });
}

}  // namespace chat::gateway
