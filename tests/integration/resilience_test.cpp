// Faults between client and gateway, injected by the TCP proxy or by killing the gateway:
// cuts at random points mid-stream, a refused WebSocket (HTTP only), a stalled network found
// by the heartbeat, and a gateway restart after SIGKILL. In every case the transcript ends
// equal to the gateway's log: nothing lost, nothing twice.
#include <csignal>

#include <gtest/gtest.h>

#include "fixture.h"

namespace chat::itest {
namespace {

using ResilienceTest = GatewayTest;

int wordsIn(const std::string& text) {
  int words = 0;
  bool inWord = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !inWord) ++words;
    inWord = !space;
  }
  return words;
}

TEST_F(ResilienceTest, RandomCutsMidStreamLoseAndDuplicateNothing) {
  GatewayOptions options;
  // A 6 s stream. Each cut of the socket costs the client a ~1 s reconnect backoff (polling
  // meanwhile), so the number of cuts a stream sees is set by its length on the wall clock:
  // a 3 s stream gave 3 cuts on a quiet machine and 2 on a loaded CI one; 6 s gives 4-5.
  options.demoDelayMs = 20;
  ASSERT_TRUE(startGateway(options));
  FaultProxy proxy(gateway->port());
  TestClient client(loop, via(proxy));
  ASSERT_TRUE(client.waitLive()) << client.status().lastError;

  // Two rounds, each a /long 300 reply while connections (socket or poll) die after 0.8..4 KB
  // towards the client, at most six times per round, at points drawn from the seed.
  const uint64_t seed = static_cast<uint64_t>(::testing::UnitTest::GetInstance()->random_seed()) * 7919 + 17;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", proxy seed " + std::to_string(seed + round));
    ASSERT_TRUE(client.waitLive(15s));
    const int cutsBefore = proxy.cuts();
    proxy.cutAtRandom(seed + round, 800, 4000, 6);
    const std::string id = client.chat().send("/long 300");
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(client.waitReply(id, 30s)) << "phase " << net::phaseName(client.status().phase) << ", "
                                           << client.status().lastError;
    // 4-5 cuts per round with six of these tests running at once on two cores; 2 is the floor.
    EXPECT_GE(proxy.cuts() - cutsBefore, 2) << "the proxy should have cut the stream several times";
    proxy.stopCutting();

    const auto* reply = client.reply(id);
    EXPECT_EQ(reply->stopReason, "end");
    EXPECT_EQ(wordsIn(reply->content), 300);
    const auto turns = turnsOf(api().events(client.sessionId()));
    ASSERT_EQ(turns.count(id), 1u);
    EXPECT_EQ(turns.at(id).deltas, 300);
    expectTranscriptMatchesLog(client);
  }
  RecordProperty("cuts", proxy.cuts());

  // Once the network heals, the same client chats on normally.
  ASSERT_TRUE(client.waitLive(15s));
  const std::string after = client.chat().send("after the storm");
  ASSERT_TRUE(client.waitReply(after));
  expectTranscriptMatchesLog(client);
}

TEST_F(ResilienceTest, CutsOfEveryConnectionMidStreamResumeFromLastSeq) {
  GatewayOptions options;
  options.demoDelayMs = 10;
  ASSERT_TRUE(startGateway(options));
  FaultProxy proxy(gateway->port());
  TestClient client(loop, via(proxy));
  ASSERT_TRUE(client.waitLive());

  const std::string id = client.chat().send("/long 400");
  for (int cut = 0; cut < 2; ++cut) {
    // Cut the live socket each time, after it carried some of the stream.
    ASSERT_TRUE(client.waitLive(10s));
    const auto* s = client.session();
    const std::size_t before = s && s->streaming ? s->streamingText().size() : 0;
    ASSERT_TRUE(client.waitFor(
        [&] {
          const auto* now = client.session();
          return now && now->streaming && now->streamingText().size() > before + 20;
        },
        15s));
    ASSERT_EQ(client.status().phase, net::Phase::Live);
    proxy.cutAll();
    ASSERT_TRUE(client.waitFor([&] { return client.status().phase != net::Phase::Live; }, 5s))
        << "the client must notice the cut";
  }
  ASSERT_TRUE(client.waitReply(id, 20s));
  EXPECT_EQ(wordsIn(client.reply(id)->content), 400);
  EXPECT_GE(proxy.cuts(), 2);
  ASSERT_TRUE(client.waitLive(10s));
  expectTranscriptMatchesLog(client);
}

TEST_F(ResilienceTest, HttpOnlyWhenTheWebSocketIsRefused) {
  ASSERT_TRUE(startGateway());
  FaultProxy proxy(gateway->port());
  proxy.refuseUpgrades(true);  // a network that blocks WebSockets but lets HTTP through
  TestClient client(loop, via(proxy));

  ASSERT_TRUE(client.waitFor(
      [&] { return client.status().polling && client.status().health == net::Health::Partial; }, 10s))
      << "phase " << net::phaseName(client.status().phase) << ", " << client.status().lastError;
  EXPECT_NE(client.status().phase, net::Phase::Live);

  const std::string id = client.chat().send("hello over plain HTTP");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(client.waitReply(id, 15s)) << client.status().lastError;
  EXPECT_NE(client.reply(id)->content.find("hello over plain HTTP"), std::string::npos);
  EXPECT_EQ(client.status().outboxSize, 0u) << "the POST must have been acked";
  const std::string second = client.chat().send("/tool time");
  ASSERT_TRUE(client.waitReply(second, 15s));
  EXPECT_GE(proxy.refusedUpgrades(), 1);
  EXPECT_NE(client.status().phase, net::Phase::Live) << "the socket never got through";
  expectTranscriptMatchesLog(client);

  // The WebSocket comes back: the client goes live and stops polling.
  proxy.refuseUpgrades(false);
  client.chat().retryNow();
  ASSERT_TRUE(client.waitLive(10s));
  ASSERT_TRUE(client.waitFor([&] { return !client.status().polling; }, 5s));
  EXPECT_EQ(client.status().health, net::Health::Full);
  const std::string third = client.chat().send("back on the socket");
  ASSERT_TRUE(client.waitReply(third));
  expectTranscriptMatchesLog(client);
}

TEST_F(ResilienceTest, OutboxHoldsASendWhileTheNetworkIsDownAndDeliversItOnce) {
  ASSERT_TRUE(startGateway());
  FaultProxy proxy(gateway->port());
  TestClient client(loop, via(proxy));
  ASSERT_TRUE(client.waitLive());

  // The network goes away entirely: the socket is cut and nothing new gets through.
  proxy.refuseNew(true);
  proxy.cutAll();
  ASSERT_TRUE(client.waitFor(
      [&] {
        const auto& s = client.status();
        return s.phase == net::Phase::Waiting && s.health == net::Health::Disconnected;
      },
      5s))
      << "phase " << net::phaseName(client.status().phase) << ", health "
      << net::healthName(client.status().health);
  EXPECT_GT(client.status().nextRetryInMs, 0);

  const std::string id = client.chat().send("written while offline");
  ASSERT_FALSE(id.empty()) << client.state().errorText();
  client.waitFor([] { return false; }, 1500ms);  // retries keep failing meanwhile
  EXPECT_EQ(client.status().outboxSize, 1u);
  ASSERT_NE(client.userMessage(id), nullptr);
  EXPECT_EQ(client.userMessage(id)->status, core::MessageStatus::Sending);
  EXPECT_GE(client.status().attempt, 1);

  proxy.refuseNew(false);
  client.chat().notifyOnline();  // what the browser's 'online' event does: retry at once
  ASSERT_TRUE(client.waitReply(id, 15s)) << client.status().lastError;
  EXPECT_EQ(client.status().outboxSize, 0u);
  EXPECT_EQ(client.userMessage(id)->status, core::MessageStatus::Sent);
  expectTranscriptMatchesLog(client);
}

TEST_F(ResilienceTest, StalledNetworkIsFoundByTheHeartbeatAndResumed) {
  GatewayOptions options;
  options.heartbeatMs = 300;
  ASSERT_TRUE(startGateway(options));
  FaultProxy proxy(gateway->port());
  TestClient client(loop, via(proxy));
  ASSERT_TRUE(client.waitLive());

  const std::string id = client.chat().send("/long 120");
  ASSERT_TRUE(client.waitFor(
      [&] {
        const auto* s = client.session();
        return s && s->streaming && !s->streamingText().empty();
      },
      10s));
  proxy.pause(true);  // nothing moves, nothing is closed: a half-open connection
  const auto pausedAt = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.waitFor([&] { return client.status().phase != net::Phase::Live; }, 5s))
      << "the heartbeat must find the dead socket";
  const auto detectedAfter = std::chrono::steady_clock::now() - pausedAt;
  // 2.5 heartbeats (750 ms) plus scheduling slack for a loaded machine; a client that waited
  // for the TCP stack instead would take minutes.
  EXPECT_LT(detectedAfter, std::chrono::milliseconds(4000));
  proxy.pause(false);

  ASSERT_TRUE(client.waitReply(id, 20s)) << client.status().lastError;
  EXPECT_EQ(wordsIn(client.reply(id)->content), 120);
  ASSERT_TRUE(client.waitLive(10s));
  expectTranscriptMatchesLog(client);
}

TEST_F(ResilienceTest, RestartAfterSigkillResumesWithNothingLost) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  GatewayOptions options;
  options.db = dir.file("chat.db");
  options.demoDelayMs = 10;
  ASSERT_TRUE(startGateway(options));
  FaultProxy proxy(gateway->port());
  TestClient client(loop, via(proxy));
  ASSERT_TRUE(client.waitLive());

  const std::string first = client.chat().send("before the crash");
  ASSERT_TRUE(client.waitReply(first));
  const std::string interrupted = client.chat().send("/long 400");
  ASSERT_TRUE(client.waitFor(
      [&] {
        const auto* s = client.session();
        return s && s->streaming && s->streamingText().size() > 40;
      },
      10s));

  gateway->stop(SIGKILL);
  // The same database, a new process (on a new port: the proxy hides that from the client).
  auto restarted = std::make_unique<GatewayProcess>(options);
  const std::string error = restarted->start();
  ASSERT_EQ(error, "");
  proxy.setTarget(restarted->port());
  gateway = std::move(restarted);
  api_ = std::make_unique<GatewayApi>(loop, gateway->apiBase(), "test");

  ASSERT_TRUE(client.waitReply(interrupted, 20s)) << client.status().lastError;
  EXPECT_EQ(client.reply(interrupted)->stopReason, "error")
      << "a turn cut short by the crash ends with stopReason error";
  ASSERT_TRUE(client.waitLive(10s));
  const std::string after = client.chat().send("after the restart");
  ASSERT_TRUE(client.waitReply(after));

  const auto turns = turnsOf(api().events(client.sessionId()));
  ASSERT_EQ(turns.count(first), 1u);
  EXPECT_EQ(turns.at(first).stopReason, "end");
  ASSERT_EQ(turns.count(interrupted), 1u);
  EXPECT_EQ(turns.at(interrupted).stopReason, "error");
  expectTranscriptMatchesLog(client);
}

}  // namespace
}  // namespace chat::itest
