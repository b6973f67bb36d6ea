// The native adapters on their own terms: URL parsing, storage, and the transport guarantees
// the engine relies on (cancel means no callback, timeouts, 1006 on a dropped connection,
// the gateway's close code on shutdown), checked against the real gateway and the proxy.
#include <sys/wait.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "fixture.h"
#include "native/file_storage.h"
#include "native/url.h"

namespace chat::itest {
namespace {

TEST(NativeUrl, ParsesWebSocketAndHttpUrls) {
  auto ws = native::parseUrl("ws://127.0.0.1:8080/gateway");
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->scheme, "ws");
  EXPECT_EQ(ws->host, "127.0.0.1");
  EXPECT_EQ(ws->port, 8080);
  EXPECT_EQ(ws->target, "/gateway");
  EXPECT_EQ(ws->hostHeader(), "127.0.0.1:8080");

  auto api = native::parseUrl("HTTP://localhost/api/events?after=3#frag");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->port, 80);
  EXPECT_EQ(api->target, "/api/events?after=3");
  EXPECT_EQ(api->hostHeader(), "localhost");

  auto v6 = native::parseUrl("http://[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/");
  EXPECT_EQ(v6->hostHeader(), "[::1]:9000");
}

TEST(NativeUrl, RejectsWhatItCannotServe) {
  for (const char* bad : {"", "127.0.0.1:80", "wss://host/x", "https://host/", "ws://:80/",
                          "ws://host:0/", "ws://host:70000/", "ws://host:/x", "ws://us er@host/",
                          "http://host/a b", "ws://[::1/", "ftp://host/"}) {
    EXPECT_FALSE(native::parseUrl(bad).has_value()) << bad;
  }
}

TEST(NativeFileStorage, PersistsAcrossInstancesAndSurvivesACorruptFile) {
  TempDir dir;
  const std::string path = dir.file("store.json");
  {
    native::FileStorage store(path);
    EXPECT_FALSE(store.get("chat.outbox").has_value());
    store.set("chat.outbox", "[{\"id\":\"c-1\"}]");
    store.set("chat.session", "s-0123456789abcdef");
    store.remove("chat.session");
    EXPECT_EQ(store.lastError(), "");
  }
  {
    native::FileStorage again(path);
    EXPECT_EQ(again.get("chat.outbox").value_or(""), "[{\"id\":\"c-1\"}]");
    EXPECT_FALSE(again.get("chat.session").has_value());
  }
  std::ofstream(path, std::ios::trunc) << "{not json";
  native::FileStorage corrupt(path);
  EXPECT_FALSE(corrupt.get("chat.outbox").has_value());
  corrupt.set("k", "v");
  EXPECT_EQ(native::FileStorage(path).get("k").value_or(""), "v");
}

using NativeTransportTest = GatewayTest;

TEST_F(NativeTransportTest, CancelledHttpRequestNeverCallsBackAndTimeoutsReportStatusZero) {
  ASSERT_TRUE(startGateway());
  native::BeastHttp http(loop.context());
  const std::string longPoll = gateway->apiBase() + "/events?sessionId=" + newSessionId() +
                               "&after=0&waitMs=3000";
  net::HttpTransport::Request req;
  req.url = longPoll;
  req.headers["Authorization"] = "Bearer test";

  bool cancelledCalled = false;
  const auto id = http.request(req, [&](const net::HttpTransport::Response&) { cancelledCalled = true; });
  loop.runFor(50ms);  // connected and waiting on the gateway
  http.cancel(id);

  std::optional<net::HttpTransport::Response> timedOut;
  req.timeoutMs = 300;
  http.request(req, [&](const net::HttpTransport::Response& r) { timedOut = r; });
  ASSERT_TRUE(loop.runUntil([&] { return timedOut.has_value(); }, 3s));
  EXPECT_EQ(timedOut->status, 0);
  EXPECT_NE(timedOut->error.find("timeout"), std::string::npos) << timedOut->error;

  std::optional<net::HttpTransport::Response> health;
  req.url = gateway->apiBase() + "/health";
  req.timeoutMs = 0;
  http.request(req, [&](const net::HttpTransport::Response& r) { health = r; });
  ASSERT_TRUE(loop.runUntil([&] { return health.has_value(); }, 3s));
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body, nullptr, false).value("status", ""), "ok");

  bool invalidCalledInline = true;
  std::optional<net::HttpTransport::Response> invalid;
  req.url = "not a url";
  http.request(req, [&](const net::HttpTransport::Response& r) { invalid = r; });
  invalidCalledInline = invalid.has_value();
  ASSERT_TRUE(loop.runUntil([&] { return invalid.has_value(); }, 1s));
  EXPECT_FALSE(invalidCalledInline) << "callbacks never run inside request()";
  EXPECT_EQ(invalid->status, 0);

  loop.runFor(200ms);
  EXPECT_FALSE(cancelledCalled);
  EXPECT_EQ(http.inFlight(), 0u);
}

TEST_F(NativeTransportTest, WebSocketReports1006WhenTheTcpConnectionDrops) {
  ASSERT_TRUE(startGateway());
  FaultProxy proxy(gateway->port());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(proxy.wsUrl())) << ws.closeReason();
  ASSERT_TRUE(ws.authenticate("test"));
  proxy.cutAll();
  ASSERT_TRUE(ws.waitClosed(3s));
  EXPECT_EQ(ws.closeCode(), 1006);
}

TEST_F(NativeTransportTest, GatewayShutdownClosesSocketsWith1001) {
  ASSERT_TRUE(startGateway());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  gateway->sendSignal(SIGTERM);
  ASSERT_TRUE(ws.waitClosed(3s));  // the client answers the close handshake meanwhile
  EXPECT_EQ(ws.closeCode(), 1001) << ws.closeReason();
  const int status = gateway->waitExit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "a clean shutdown exits with 0 (waitpid status " << status << ")";
}

}  // namespace
}  // namespace chat::itest
