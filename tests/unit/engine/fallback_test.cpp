// HTTP fallback: long-poll and POST /send while the socket is down; stop when it is back.
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

std::string eventFrame(const std::string& session, int64_t seq, const std::string& delta) {
  proto::StreamDelta d;
  d.sessionId = session;
  d.seq = seq;
  d.requestId = "c-1";
  d.delta = delta;
  return proto::encode(proto::GatewayMessage{d});
}

std::string page(const std::vector<std::string>& frames, int64_t lastSeq) {
  std::vector<nlohmann::json> events;
  for (const std::string& f : frames) events.push_back(nlohmann::json::parse(f));
  return proto::encodeEventsPage(events, lastSeq);
}

TEST(EngineFallback, NoPollingWhileTheSocketNeverFailed) {
  Harness h;
  h.startLive();
  h.run(60000, 1000);
  EXPECT_EQ(h.http.count("/events"), 0u);
  EXPECT_FALSE(h.engine->status().polling);
}

TEST(EngineFallback, PollingStartsWhenTheSocketDrops) {
  Harness h;
  h.startLive();
  h.engine->send(chatSend("c-1", "hi"));
  h.settle();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.engine->tick();
  EXPECT_TRUE(h.engine->status().polling);
  const auto* poll = h.http.find("/events");
  ASSERT_NE(poll, nullptr);
  EXPECT_EQ(poll->req.url,
            "http://gateway.test/api/events?sessionId=s-test&after=2&waitMs=25000");
  EXPECT_EQ(poll->req.headers.at("Authorization"), "Bearer secret");
}

TEST(EngineFallback, EventsFlowOverPollingWhileDownAndPollingStopsWhenLive) {
  Harness h;
  h.startLive();
  h.engine->send(chatSend("c-1", "hi"));
  h.settle();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  h.gateway.runAgentToEnd();  // the reply streams while the socket is down
  h.settle();
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(h.engine->status().health, Health::Partial);
  // The socket comes back: the open poll is cancelled and no new one starts.
  h.gateway.acceptSockets = true;
  h.run(35000, 1000);
  ASSERT_EQ(h.phase(), Phase::Live);
  EXPECT_FALSE(h.engine->status().polling);
  EXPECT_EQ(h.http.count("/events"), 0u);
  EXPECT_GE(h.http.cancelled, 1);
  EXPECT_EQ(h.engine->status().health, Health::Full);
}

TEST(EngineFallback, OverlapOfBothPathsAppliesEveryEventOnce) {
  Harness h;
  h.cfg.sessionId = "s-o";
  h.gateway.autoDeliver = false;
  h.make().start();
  h.ws.accept();
  h.ws.serverClose(1006);  // fails before live: polling starts
  h.engine->tick();
  const auto* poll = h.http.find("/events");
  ASSERT_NE(poll, nullptr);
  std::vector<std::string> frames;
  for (int seq = 1; seq <= 6; ++seq) frames.push_back(eventFrame("s-o", seq, "d" + std::to_string(seq)));
  h.http.respond(poll->id, 200, page({frames[0], frames[1], frames[2], frames[3]}, 4));
  // Meanwhile the socket reconnects and replays 3..6: 3 and 4 arrive twice.
  h.clock.advance(2000);
  h.engine->tick();
  h.ws.accept();
  h.ws.deliver(proto::encode(proto::GatewayMessage{proto::AuthOk{"c", 15000, 1}}));
  for (int i = 2; i < 6; ++i) h.ws.deliver(frames[i]);
  // And a late poll answer repeats 5 and 6.
  const auto* poll2 = h.http.find("/events");
  ASSERT_NE(poll2, nullptr);
  h.http.respond(poll2->id, 200, page({frames[4], frames[5]}, 6));
  EXPECT_EQ(h.sink.applied["s-o"], frames);
  EXPECT_EQ(h.sink.duplicates, 4);
}

TEST(EngineFallback, SendsGoOverHttpWhileDown) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  EXPECT_TRUE(h.engine->send(chatSend("c-1", "via http")).queued());
  h.settle();
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  EXPECT_EQ(h.sink.acks.back(), "c-1");  // the queued answer reaches the sink as an ack
  // The echo and the reply come back by polling.
  h.gateway.runAgentToEnd();
  h.settle();
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  const auto& post = h.http.log;
  const bool posted = std::any_of(post.begin(), post.end(), [](const auto& r) {
    return r.method == "POST" && r.url == "http://gateway.test/api/send" &&
           r.headers.at("Authorization") == "Bearer secret";
  });
  EXPECT_TRUE(posted);
}

TEST(EngineFallback, OnePostInFlightAtATimeInOrder) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.engine->tick();
  h.engine->send(chatSend("c-1", "one"));
  h.engine->send(chatSend("c-2", "two"));
  h.engine->tick();
  EXPECT_EQ(h.http.count("/send"), 1u);
  EXPECT_NE(h.http.find("/send")->req.body.find("c-1"), std::string::npos);
  h.settle();
  EXPECT_EQ(h.gateway.userMessages, (std::vector<std::string>{"c-1", "c-2"}));
}

TEST(EngineFallback, FailedPostIsRetriedWithBackoffNotDropped) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  h.gateway.failHttp = 1;
  h.engine->send(chatSend("c-1", "retry me"));
  h.engine->tick();
  h.gateway.pump();  // 503 to the POST (or the poll): nothing is lost
  h.run(3000);
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
}

TEST(EngineFallback, RefusedPostIsReportedToTheSinkNeverSilently) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  h.engine->send(chatSend("c-bad", "REJECT"));
  h.settle();
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  ASSERT_EQ(h.sink.errors.size(), 1u);
  EXPECT_EQ(h.sink.errors[0].requestId, std::optional<std::string>("c-bad"));
  EXPECT_EQ(h.sink.errors[0].code, "bad_request");
}

TEST(EngineFallback, PollFailureBacksOffThenRecovers) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.down = true;
  h.gateway.dropSocket();
  h.settle();
  EXPECT_EQ(h.engine->status().health, Health::Disconnected);
  const std::size_t polls = h.http.log.size();
  h.settle();
  EXPECT_EQ(h.http.log.size(), polls);  // no hot loop: waits its backoff
  h.gateway.down = false;
  h.run(3000);  // the poll retries (and waits); a health probe shows the API is back
  EXPECT_EQ(h.engine->status().health, Health::Partial);
  EXPECT_TRUE(h.engine->status().polling);
  EXPECT_EQ(h.http.count("/events"), 1u);
}

TEST(EngineFallback, PinIsExchangedForATokenBeforePolling) {
  Harness h;
  h.cfg.token = "";
  h.cfg.pin = "1234";
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.engine->tick();
  const auto* auth = h.http.find("/auth", "POST");
  ASSERT_NE(auth, nullptr);
  EXPECT_EQ(nlohmann::json::parse(auth->req.body)["pin"], "1234");
  EXPECT_EQ(h.http.count("/events"), 0u);
  h.settle();
  EXPECT_EQ(h.storage.data["chat.token"], "secret");
  const auto* poll = h.http.find("/events");
  ASSERT_NE(poll, nullptr);
  EXPECT_EQ(poll->req.headers.at("Authorization"), "Bearer secret");
}

TEST(EngineFallback, SwitchSessionRedirectsThePoll) {
  Harness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  h.engine->switchSession("s-other");
  EXPECT_NE(h.http.find("sessionId=s-other"), nullptr);
  EXPECT_EQ(h.http.find("sessionId=s-test"), nullptr);
  EXPECT_EQ(h.storage.data["chat.session"], "s-other");
}

TEST(EngineStatus, HealthIsDisconnectedPartialFull) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  EXPECT_EQ(h.engine->status().health, Health::Disconnected);
  h.gateway.down = false;
  h.gateway.acceptSockets = false;
  h.run(6000);
  EXPECT_EQ(h.engine->status().health, Health::Partial);  // the API works, the socket does not
  h.gateway.acceptSockets = true;
  h.run(35000, 1000);
  EXPECT_EQ(h.engine->status().health, Health::Full);
}

TEST(EngineStatus, PushedOnlyWhenSomethingBesidesTheCountdownChanges) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  const std::size_t pushes = h.sink.statuses.size();
  ASSERT_GT(pushes, 0u);
  EXPECT_EQ(h.sink.statuses.back().phase, Phase::Waiting);
  h.clock.advance(500);
  h.engine->tick();
  h.clock.advance(300);
  h.engine->tick();
  EXPECT_EQ(h.sink.statuses.size(), pushes);      // only the countdown moved
  EXPECT_EQ(h.engine->status().nextRetryInMs, 200);  // status() is current anyway
  for (std::size_t i = 1; i < h.sink.statuses.size(); ++i) {
    net::Status a = h.sink.statuses[i - 1], b = h.sink.statuses[i];
    a.nextRetryInMs = b.nextRetryInMs = 0;
    EXPECT_NE(a, b) << "push " << i << " repeated the previous status";
  }
}

TEST(EngineStatus, StopClosesEverythingAndKeepsTheOutbox) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  h.engine->send(chatSend("c-1", "keep me"));
  h.engine->stop();
  EXPECT_EQ(h.phase(), Phase::Idle);
  EXPECT_TRUE(h.http.pending.empty());
  EXPECT_FALSE(h.ws.hasSocket());
  EXPECT_NE(h.storage.data["chat.outbox"].find("keep me"), std::string::npos);
  h.run(60000, 1000);
  EXPECT_EQ(h.phase(), Phase::Idle);
}

}  // namespace
}  // namespace chat::testing

namespace chat::testing {
namespace {

// A healthy load: the API answers before the socket is authenticated. Observers must not hear
// "partial" (the pill would flash amber "Polling", an embedding host would get partial first):
// nothing is pushed until the first attempt has an outcome, and status() says connecting.
TEST(EngineStatusOnLoad, NoPartialWhileTheFirstSocketAttemptIsStillOpening) {
  Harness h;
  h.make();
  h.engine->start();
  for (int i = 0; i < 40 && h.engine->status().phase != Phase::Live; ++i) {
    h.engine->tick();
    EXPECT_NE(h.engine->status().health, Health::Partial)
        << "phase " << static_cast<int>(h.engine->status().phase);
    h.gateway.pump();
  }
  h.settle();
  ASSERT_EQ(h.engine->status().phase, Phase::Live);
  ASSERT_FALSE(h.sink.statuses.empty());
  EXPECT_EQ(h.sink.statuses.front().health, Health::Full);
  for (const auto& s : h.sink.statuses) EXPECT_NE(s.health, Health::Partial);
}

// Once the socket has failed, the API alone is "partial" again while it reconnects.
TEST(EngineStatusOnLoad, AFailedSocketWithAWorkingApiIsPartial) {
  Harness h;
  h.make();
  h.gateway.acceptSockets = false;
  h.engine->start();
  h.settle();
  h.run(20000, 500);  // past the connect timeout: the first attempt failed
  EXPECT_EQ(h.engine->status().health, Health::Partial);
  ASSERT_FALSE(h.sink.statuses.empty());
  EXPECT_EQ(h.sink.statuses.back().health, Health::Partial);
}

}  // namespace
}  // namespace chat::testing
