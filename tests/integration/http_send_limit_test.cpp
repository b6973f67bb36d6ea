// POST /api/send has a per-address budget (--http-send-rate / --http-send-burst): over it, 429
// {code:"rate_limited"} naming the refused message, and nothing of that message applied; the
// WebSocket of the same address is not affected. With the default budget, several "tabs" of
// one address sending at once are all served.
#include <gtest/gtest.h>

#include <string>

#include "fixture.h"

namespace chat::itest {
namespace {

using HttpSendLimitTest = GatewayTest;

nlohmann::json ping(const std::string& id) { return {{"type", "ping"}, {"id", id}}; }

TEST_F(HttpSendLimitTest, OverTheBudgetOfTheAddressAnswers429AndAppliesNothing) {
  GatewayOptions options;
  // One message a minute after a burst of 3: the refill cannot blur the count on a slow machine.
  options.extraArgs = {"--http-send-rate", "0.0167", "--http-send-burst", "3"};
  ASSERT_TRUE(startGateway(options));

  for (int i = 0; i < 3; ++i) {
    auto r = api().post("/send", ping("c-ping-" + std::to_string(i)));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json.value("type", ""), "pong");
  }
  const std::string session = "s-" + std::string(16, 'a');
  auto refused = api().post("/send", {{"type", "chat.send"}, {"id", "c-over"},
                                      {"sessionId", session}, {"content", "one too many"}});
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.json.value("type", ""), "error");
  EXPECT_EQ(refused.json.value("code", ""), "rate_limited");
  EXPECT_EQ(refused.json.value("requestId", ""), "c-over");
  EXPECT_TRUE(api().events(session).empty()) << "a refused chat.send is not applied";

  // Reading is not limited, and the WebSocket of the same address chats on.
  EXPECT_EQ(api().get("/sessions").status, 200);
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl())) << ws.closeReason();
  ASSERT_TRUE(ws.authenticate("test"));
  ws.send({{"type", "chat.send"}, {"id", "c-ws"}, {"sessionId", session}, {"content", "hello"}});
  EXPECT_TRUE(ws.nextOfType("ack", std::chrono::seconds(10), "c-ws").has_value());
}

TEST_F(HttpSendLimitTest, SeveralTabsOfOneAddressSendingTogetherAreAllServedByDefault) {
  ASSERT_TRUE(startGateway());
  // Four tabs on HTTP fallback, each sending a burst well above what a person types.
  int ok = 0;
  for (int round = 0; round < 25; ++round) {
    for (int tab = 0; tab < 4; ++tab) {
      auto r = api().post("/send", ping("c-t" + std::to_string(tab) + "-" + std::to_string(round)));
      ok += r.status == 200;
    }
  }
  EXPECT_EQ(ok, 100);
}

}  // namespace
}  // namespace chat::itest
