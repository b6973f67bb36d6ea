// Reconnect backoff: exact delays, jitter bounds, the 30 s cap, reset once live, no limit.
#include "core/net/backoff.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

TEST(BackoffDelay, SequenceWithoutJitterIs1_2_4_8_16_30_30) {
  const int64_t expected[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(net::backoffDelayMs(i + 1, 0.0), expected[i]) << i;
}

TEST(BackoffDelay, JitterUpperBoundIs30Percent) {
  EXPECT_EQ(net::backoffDelayMs(1, 0.999), 1299);
  EXPECT_EQ(net::backoffDelayMs(2, 0.999), 2599);
  EXPECT_EQ(net::backoffDelayMs(5, 0.999), 20795);
  for (int f = 1; f < 20; ++f) {
    EXPECT_GE(net::backoffDelayMs(f, 0.999), net::backoffDelayMs(f, 0.0));
    EXPECT_LT(net::backoffDelayMs(f, 0.999), net::backoffDelayMs(f, 0.0) * 13 / 10);
  }
}

TEST(BackoffDelay, JitterStillAppliedAtTheCap) {
  EXPECT_EQ(net::backoffDelayMs(6, 0.999), 38991);
  EXPECT_EQ(net::backoffDelayMs(100, 0.999), 38991);
  EXPECT_EQ(net::backoffDelayMs(100, 0.5), 34500);
}

TEST(BackoffDelay, BadInputsAreClamped) {
  EXPECT_EQ(net::backoffDelayMs(0, 0.0), 1000);
  EXPECT_EQ(net::backoffDelayMs(-5, -1.0), 1000);
  EXPECT_EQ(net::backoffDelayMs(1, 7.0), 1299);
}

// Lets the gateway refuse the socket and returns the wait the engine chose.
int64_t failOnce(Harness& h) {
  h.gateway.pump();
  h.engine->tick();
  EXPECT_EQ(h.phase(), Phase::Waiting);
  return h.engine->status().nextRetryInMs;
}

void expectEngineSequence(double r, const std::vector<int64_t>& expected) {
  Harness h;
  h.random = FakeRandom(r);
  h.gateway.down = true;
  h.make().start();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const int64_t wait = failOnce(h);
    EXPECT_EQ(wait, expected[i]) << "failure " << i + 1;
    EXPECT_EQ(h.engine->status().attempt, static_cast<int>(i + 1));
    h.clock.advance(wait - 1);
    h.engine->tick();
    EXPECT_EQ(h.phase(), Phase::Waiting) << "retried early after failure " << i + 1;
    EXPECT_EQ(h.engine->status().nextRetryInMs, 1);
    h.clock.advance(1);
    h.engine->tick();
    EXPECT_EQ(h.phase(), Phase::Connecting);
  }
}

TEST(EngineBackoff, ExactSequenceWithNoJitter) {
  expectEngineSequence(0.0, {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000});
}

TEST(EngineBackoff, ExactSequenceWithMaximalJitter) {
  expectEngineSequence(0.999, {1299, 2599, 5198, 10397, 20795, 38991, 38991});
}

TEST(EngineBackoff, FreshJitterDrawnForEveryAttempt) {
  Harness h;
  h.random.script({0.0, 0.5, 0.999});
  h.gateway.down = true;
  h.cfg.apiBase = "";  // no HTTP side drawing jitter of its own
  h.make().start();
  EXPECT_EQ(failOnce(h), 1000);
  h.clock.advance(1000);
  h.engine->tick();
  EXPECT_EQ(failOnce(h), 2300);
  h.clock.advance(2300);
  h.engine->tick();
  EXPECT_EQ(failOnce(h), 5198);
}

TEST(EngineBackoff, ResetsToFirstDelayOnceLive) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(1000 + 2000 + 4000 + 500);  // failures at 0, 1 s, 3 s and 7 s
  EXPECT_EQ(h.engine->status().attempt, 4);
  h.gateway.down = false;
  h.run(8000);
  ASSERT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.engine->status().attempt, 0);
  h.gateway.dropSocket();
  h.engine->tick();
  EXPECT_EQ(h.engine->status().attempt, 1);
  EXPECT_EQ(h.engine->status().nextRetryInMs, 1000);
}

TEST(EngineBackoff, UnlimitedRetriesOverAnHourOfOutage) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(3600 * 1000, 1000);
  // 1+2+4+8+16 s, then one attempt every 30 s: about 124 attempts in the hour.
  EXPECT_GE(h.ws.opens(), 115u);
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_LE(h.engine->status().nextRetryInMs, 30000);
  h.gateway.down = false;
  h.run(31000, 1000);
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.engine->status().health, Health::Full);
}

TEST(EngineBackoff, RetryNowSkipsTheWait) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(1000 + 2000 + 4000 + 500);
  ASSERT_EQ(h.phase(), Phase::Waiting);
  h.gateway.down = false;
  h.engine->retryNow();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineBackoff, OnlineNotificationRetriesAtOnce) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(8000);
  const std::size_t opens = h.ws.opens();
  h.gateway.down = false;
  h.engine->notifyOnline();
  EXPECT_EQ(h.ws.opens(), opens + 1);
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineBackoff, VisibleNotificationRetriesAtOnce) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.run(8000);
  h.gateway.down = false;
  h.engine->notifyVisible();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineBackoff, WaitingStatusCountsDownWithTheClock) {
  Harness h;
  h.gateway.down = true;
  h.random = FakeRandom(0.0);
  h.make().start();
  h.gateway.pump();
  h.engine->tick();
  EXPECT_EQ(h.engine->status().nextRetryInMs, 1000);
  h.clock.advance(400);
  h.engine->tick();
  EXPECT_EQ(h.engine->status().nextRetryInMs, 600);
}

TEST(EngineBackoff, ConnectTimeoutCountsAsAFailedAttempt) {
  Harness h;
  h.gateway.acceptSockets = false;  // the socket never opens
  h.make().start();
  h.run(h.cfg.connectTimeoutMs);
  EXPECT_EQ(h.phase(), Phase::Connecting);
  h.run(200);
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.engine->status().lastError, "connect timeout");
  EXPECT_TRUE(h.ws.sockets[0].closedByClient);
}

TEST(EngineBackoff, SilentAuthPhaseTimesOut) {
  Harness h;
  h.gateway.halfOpen = true;  // opens, but auth.ok never comes
  h.make().start();
  h.run(h.cfg.connectTimeoutMs + 500);
  EXPECT_EQ(h.phase(), Phase::Waiting);
  EXPECT_EQ(h.engine->status().attempt, 1);
}

}  // namespace
}  // namespace chat::testing
