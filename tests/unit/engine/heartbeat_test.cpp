// Heartbeat on the wall clock: pings while live, and a socket that stays silent for
// 2.5 x heartbeatMs is declared dead (also when the clock jumps after a sleep).
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

int pingsSent(const FakeWebSocket::Socket& s) {
  int n = 0;
  for (const std::string& f : s.sent) n += nlohmann::json::parse(f)["type"] == "ping";
  return n;
}

TEST(EngineHeartbeat, PingsEveryHeartbeatWhileLive) {
  Harness h;
  h.startLive();
  h.run(15000 * 4, 500);
  EXPECT_EQ(pingsSent(h.ws.sockets[0]), 4);
  EXPECT_EQ(h.phase(), Phase::Live);  // the pongs keep it alive
  EXPECT_EQ(h.engine->status().outboxSize, 0u);  // pings never enter the outbox
}

TEST(EngineHeartbeat, HalfOpenSocketIsDeclaredDeadAfter2point5Intervals) {
  Harness h;
  h.startLive();
  h.gateway.halfOpen = true;  // open on our side, nothing comes back
  h.run(37500, 500);
  EXPECT_EQ(h.phase(), Phase::Live);
  h.run(500, 500);
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.engine->status().lastError, "heartbeat timeout");
  EXPECT_TRUE(h.ws.sockets[0].closedByClient);
  EXPECT_EQ(h.ws.sockets[0].closeCode, 4000);
  EXPECT_EQ(h.ws.sockets[0].closeReason, "heartbeat timeout");
  h.gateway.halfOpen = false;
  h.run(2000);
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineHeartbeat, AnyFrameKeepsTheSocketAlive) {
  Harness h;
  h.startLive();
  h.gateway.answerPings = false;  // no pongs, but events keep coming
  h.engine->send(chatSend("c-1", "talk"));
  for (int i = 0; i < 20; ++i) {
    h.run(10000, 1000);
    h.gateway.push(proto::encode(proto::GatewayMessage{proto::Pong{"unsolicited"}}));
  }
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.ws.opens(), 1u);
}

TEST(EngineHeartbeat, ClockJumpAfterSleepIsDetectedOnTheNextTick) {
  Harness h;
  h.startLive();
  h.gateway.halfOpen = true;  // the laptop slept; the connection died meanwhile
  h.clock.advance(5 * 60 * 1000);
  h.engine->tick();
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.engine->status().lastError, "heartbeat timeout");
  EXPECT_TRUE(h.engine->status().polling);
}

TEST(EngineHeartbeat, VisibleAfterSleepChecksTheHeartbeatAndReconnectsAtOnce) {
  Harness h;
  h.startLive();
  h.gateway.halfOpen = true;
  h.clock.advance(10 * 60 * 1000);
  h.gateway.halfOpen = false;
  h.engine->notifyVisible();
  EXPECT_EQ(h.ws.opens(), 2u);  // no backoff wait after a sleep the page has just noticed
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
}

// A pulled cable: the browser fires 'offline', but the socket looks open for minutes. The engine
// pings at once and gives the socket 5 s (not 2.5 heartbeats, 37.5 s) to answer.
TEST(EngineHeartbeat, OfflineProbesTheSocketAndFindsItDeadWithinFiveSeconds) {
  Harness h;
  h.startLive();
  h.gateway.halfOpen = true;
  const int pingsBefore = pingsSent(h.ws.sockets[0]);
  h.engine->notifyOffline();
  EXPECT_EQ(pingsSent(h.ws.sockets[0]), pingsBefore + 1) << "the probe goes out at once";
  h.run(5000, 250);
  EXPECT_EQ(h.phase(), Phase::Live);
  h.run(500, 250);
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.engine->status().lastError, "network offline");
  EXPECT_TRUE(h.ws.sockets[0].closedByClient);
  EXPECT_TRUE(h.engine->status().polling) << "the HTTP fallback takes over meanwhile";

  // The network returns: 'online' retries at once.
  h.gateway.halfOpen = false;
  h.engine->notifyOnline();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.ws.opens(), 2u);
}

TEST(EngineHeartbeat, AWrongOfflineReportCostsOnePing) {
  Harness h;
  h.startLive();
  h.engine->notifyOffline();  // the socket still works: the pong ends the probe
  h.run(60000, 500);
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.ws.opens(), 1u);
  EXPECT_EQ(h.engine->status().lastError, "");
}

TEST(EngineHeartbeat, OfflineWhileWaitingChangesNothing) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(500);
  ASSERT_EQ(h.phase(), Phase::Waiting);
  const std::size_t opens = h.ws.opens();
  const auto retryIn = h.engine->status().nextRetryInMs;
  h.engine->notifyOffline();
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.ws.opens(), opens);
  EXPECT_EQ(h.engine->status().nextRetryInMs, retryIn);
}

TEST(EngineHeartbeat, AProbeOfAnOldSocketDoesNotCondemnTheNextOne) {
  Harness h;
  h.startLive();
  h.gateway.halfOpen = true;
  h.engine->notifyOffline();
  h.run(6000, 250);
  ASSERT_EQ(h.phase(), Phase::Waiting);
  h.gateway.halfOpen = false;
  h.engine->notifyOnline();
  h.settle();
  ASSERT_EQ(h.phase(), Phase::Live);
  h.run(60000, 500);  // no probe is running on the new socket
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.ws.opens(), 2u);
}

}  // namespace
}  // namespace chat::testing
