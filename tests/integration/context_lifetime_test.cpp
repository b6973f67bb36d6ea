// The gateway's ownership rule, in process: connection objects held by pending io_context
// handlers never touch a ServerContext that is gone. The io_context outlives the context (as in
// main.cpp), so a handler can be destroyed after it; detaching cuts the tie first. Run under
// the sanitizer build, a touch of the freed context is reported as a heap-use-after-free.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "gateway/auth.h"
#include "gateway/config.h"
#include "gateway/event_log.h"
#include "gateway/server.h"
#include "gateway/server_context.h"

namespace chat::itest {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using gateway::Authenticator;
using gateway::Config;
using gateway::EventLog;
using gateway::PinAttemptLimiter;
using gateway::Server;
using gateway::ServerContext;

// Runs handlers one at a time until `done` holds; false if the loop ran dry or 2000 handlers
// (or 5 s without any) did not get there.
bool runUntil(net::io_context& ioc, const std::function<bool()>& done) {
  for (int i = 0; i < 2000 && !done(); ++i) {
    if (ioc.run_one_for(std::chrono::seconds(5)) == 0) break;
  }
  return done();
}

class ContextLifetimeTest : public ::testing::Test {
 protected:
  ContextLifetimeTest() {
    config.port = 0;
    config.noAuth = true;
  }

  // A WebSocket client (upgraded on /gateway) and an idle HTTP keep-alive connection, both
  // accepted by `server`; returns when the gateway holds them both.
  void connectClients(ServerContext& ctx, Server& server) {
    const uint16_t port = server.listen();
    server.startAccepting();
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);

    wsClient.emplace(*ioc);
    bool upgraded = false;
    wsClient->next_layer().async_connect(endpoint, [&](beast::error_code ec) {
      ASSERT_FALSE(ec) << ec.message();
      wsClient->async_handshake("127.0.0.1", "/gateway", [&](beast::error_code e) {
        ASSERT_FALSE(e) << e.message();
        upgraded = true;
      });
    });
    idleHttp.emplace(*ioc);
    idleHttp->connect(endpoint);

    ASSERT_TRUE(runUntil(*ioc, [&] {
      return upgraded && ctx.wsSessions.size() == 1 && ctx.bound.size() == 2;
    })) << "sessions registered: " << ctx.bound.size();
  }

  Config config;
  EventLog log{":memory:"};
  Authenticator auth{Authenticator::Mode::None, "", std::nullopt, PinAttemptLimiter(5, 60000)};
  std::unique_ptr<net::io_context> ioc = std::make_unique<net::io_context>(1);
  std::optional<beast::websocket::stream<tcp::socket>> wsClient;
  std::optional<tcp::socket> idleHttp;
};

TEST_F(ContextLifetimeTest, DetachAllClosesEveryConnectionAndCutsItLoose) {
  ServerContext ctx(*ioc, config, log, auth);
  Server server(ctx);
  ASSERT_NO_FATAL_FAILURE(connectClients(ctx, server));

  ctx.detachAll("test");
  EXPECT_TRUE(ctx.bound.empty());
  EXPECT_TRUE(ctx.wsSessions.empty()) << "a detached WebSocket is torn down";

  // Both clients see their connection end.
  std::optional<beast::error_code> wsRead, httpRead;
  beast::flat_buffer buffer;
  wsClient->async_read(buffer, [&](beast::error_code ec, std::size_t) { wsRead = ec; });
  char byte = 0;
  idleHttp->async_read_some(net::buffer(&byte, 1),
                            [&](beast::error_code ec, std::size_t) { httpRead = ec; });
  ASSERT_TRUE(runUntil(*ioc, [&] { return wsRead && httpRead; }));
  EXPECT_TRUE(*wsRead) << "the WebSocket client's read fails";
  EXPECT_EQ(*httpRead, net::error::eof);

  // The handlers of the failed operations run out: nothing keeps the loop busy.
  server.shutdown([] {});
  wsClient.reset();
  idleHttp.reset();
  ioc->restart();
  ioc->run_for(std::chrono::seconds(5));
  EXPECT_TRUE(ioc->stopped()) << "handlers still pending after the drain";
}

TEST_F(ContextLifetimeTest, HandlersPendingWhenTheContextIsDestroyedReleaseSessionsSafely) {
  {
    ServerContext ctx(*ioc, config, log, auth);
    Server server(ctx);
    ASSERT_NO_FATAL_FAILURE(connectClients(ctx, server));
    // Leaves the scope with the WebSocket's read and heartbeat and the HTTP read pending,
    // their handlers holding the sessions, as after a shutdown whose grace period ran out.
  }
  wsClient.reset();
  idleHttp.reset();
  // Destroys the pending handlers, and with them the last references to the sessions: their
  // destructors must leave the freed context alone (the sanitizer build checks).
  ioc.reset();
  SUCCEED();
}

}  // namespace
}  // namespace chat::itest
