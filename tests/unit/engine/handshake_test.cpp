// Opening handshake (auth first, then session.resume), credentials and unauthorized.
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

nlohmann::json frameJson(const std::string& frame) { return nlohmann::json::parse(frame); }

TEST(EngineHandshake, AuthWithTokenIsTheFirstFrameThenResume) {
  Harness h;
  h.startLive();
  const auto& sent = h.ws.sockets[0].sent;
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(frameJson(sent[0])["type"], "auth");
  EXPECT_EQ(frameJson(sent[0])["token"], "secret");
  EXPECT_FALSE(frameJson(sent[0])["id"].get<std::string>().empty());
  EXPECT_EQ(frameJson(sent[1])["type"], "session.resume");
  EXPECT_EQ(frameJson(sent[1])["sessionId"], "s-test");
  EXPECT_EQ(frameJson(sent[1])["lastSeq"], 0);
  EXPECT_EQ(h.engine->status().health, Health::Full);
}

TEST(EngineHandshake, PhasesGoConnectingAuthenticatingResumingLive) {
  Harness h;
  h.gateway.autoDeliver = false;
  h.make().start();
  EXPECT_EQ(h.phase(), Phase::Connecting);
  h.gateway.pump();
  EXPECT_EQ(h.phase(), Phase::Authenticating);
  h.gateway.deliver(1);  // auth.ok
  EXPECT_EQ(h.phase(), Phase::Resuming);
  h.gateway.pump();
  h.gateway.deliver(1);  // session.resumed
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineHandshake, ResumeAsksFromTheSinksLastAppliedSeq) {
  Harness h;
  h.sink.lastSeq["s-test"] = 41;
  h.startLive();
  EXPECT_EQ(frameJson(h.ws.sockets[0].sent[1])["lastSeq"], 41);
  EXPECT_EQ(h.gateway.resumes.back(), "s-test@41");
}

TEST(EngineHandshake, AuthWithPinWhenNoToken) {
  Harness h;
  h.cfg.token = "";
  h.cfg.pin = "1234";
  h.startLive();
  const nlohmann::json auth = frameJson(h.ws.sockets[0].sent[0]);
  EXPECT_EQ(auth["pin"], "1234");
  EXPECT_FALSE(auth.contains("token"));
}

TEST(EngineHandshake, HeartbeatIntervalComesFromAuthOk) {
  Harness h;
  h.gateway.heartbeatMs = 4000;
  h.startLive();
  const std::size_t before = h.ws.sockets[0].sent.size();
  h.run(4000);
  EXPECT_EQ(h.ws.sockets[0].sent.size(), before + 1);
  EXPECT_EQ(frameJson(h.ws.sockets[0].sent.back())["type"], "ping");
}

TEST(EngineHandshake, NewSessionIdIsMadeAndPersistedWhenNoneGiven) {
  Harness h;
  h.cfg.sessionId = "";
  h.random = FakeRandom(0.5);
  h.make();
  EXPECT_EQ(h.engine->sessionId(), "s-8888888888888888");
  EXPECT_EQ(h.storage.data["chat.session"], "s-8888888888888888");
}

TEST(EngineHandshake, PersistedSessionIsResumedAfterReload) {
  Harness h;
  h.cfg.sessionId = "";
  h.storage.data["chat.session"] = "s-earlier";
  h.make();
  EXPECT_EQ(h.engine->sessionId(), "s-earlier");
}

TEST(EngineUnauthorized, AuthFailedStopsRetrying) {
  Harness h;
  h.cfg.token = "wrong";
  h.make().start();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Unauthorized);
  EXPECT_EQ(h.engine->status().lastError, "unauthorized");
  const std::size_t opens = h.ws.opens();
  h.run(600000, 1000);
  EXPECT_EQ(h.ws.opens(), opens);
  EXPECT_EQ(h.http.count("/events"), 0u);
  h.engine->retryNow();
  EXPECT_EQ(h.ws.opens(), opens);
}

TEST(EngineUnauthorized, Close4001StopsRetrying) {
  Harness h;
  h.startLive();
  h.ws.serverClose(4001, "token revoked");
  h.run(120000, 1000);
  EXPECT_EQ(h.phase(), Phase::Unauthorized);
  EXPECT_EQ(h.ws.opens(), 1u);
}

TEST(EngineUnauthorized, Http401StopsRetrying) {
  Harness h;
  h.startLive();
  // The socket drops and cannot reopen; the API no longer accepts the token: the poll gets 401.
  h.gateway.acceptSockets = false;
  h.gateway.token = "rotated";
  h.gateway.dropSocket();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Unauthorized);
  EXPECT_EQ(h.engine->status().lastError, "unauthorized");
  EXPECT_FALSE(h.engine->status().polling);
  const std::size_t opens = h.ws.opens();
  h.run(120000, 1000);
  EXPECT_EQ(h.ws.opens(), opens);
}

TEST(EngineUnauthorized, SetCredentialsRestarts) {
  Harness h;
  h.cfg.token = "wrong";
  h.make().start();
  h.settle();
  ASSERT_EQ(h.phase(), Phase::Unauthorized);
  h.engine->setCredentials("secret", "");
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.engine->status().lastError, "");
  EXPECT_EQ(h.storage.data["chat.token"], "secret");
}

TEST(EngineUnauthorized, StaleStoredTokenFallsBackToThePin) {
  Harness h;
  h.cfg.token = "";
  h.cfg.pin = "1234";
  h.storage.data["chat.token"] = "expired";
  h.make().start();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.storage.data.count("chat.token"), 0u);
}

TEST(EngineUnauthorized, WrongPinStopsRetrying) {
  Harness h;
  h.cfg.token = "";
  h.cfg.pin = "0000";
  h.make().start();
  h.settle();
  EXPECT_EQ(h.phase(), Phase::Unauthorized);
}

}  // namespace
}  // namespace chat::testing
