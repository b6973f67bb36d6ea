// Raw protocol against the real gateway: a resent id is applied once, and every kind of bad
// input gets its error (or refusal) while a healthy client on the same gateway keeps chatting.
#include <gtest/gtest.h>

#include "fixture.h"

namespace chat::itest {
namespace {

using RawProtocolTest = GatewayTest;

nlohmann::json chatSend(const std::string& id, const std::string& sessionId, const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

TEST_F(RawProtocolTest, ResentChatSendIdIsAckedEachTimeButAppliedOnce) {
  ASSERT_TRUE(startGateway());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl())) << ws.closeReason();
  ASSERT_TRUE(ws.authenticate("test"));
  const std::string session = newSessionId();
  ws.send({{"type", "session.resume"}, {"id", "c-resume"}, {"sessionId", session}, {"lastSeq", 0}});
  ASSERT_TRUE(ws.nextOfType("session.resumed").has_value());

  const auto frame = chatSend("c-dup-1", session, "say this once");
  ws.send(frame);
  ASSERT_TRUE(ws.nextOfType("ack", 5s, "c-dup-1").has_value());
  ws.send(frame);  // the same id again, as a client does after a reconnect
  ASSERT_TRUE(ws.nextOfType("ack", 5s, "c-dup-1").has_value()) << "a resent id is acked again";
  ASSERT_TRUE(ws.nextOfType("chat.stream.end", 10s, "c-dup-1").has_value());

  // Another turn after it proves the gateway is past any second run of the first.
  ws.send(chatSend("c-next", session, "next"));
  ASSERT_TRUE(ws.nextOfType("chat.stream.end", 10s, "c-next").has_value());

  const auto events = api().events(session);
  const auto turns = turnsOf(events);
  ASSERT_EQ(turns.count("c-dup-1"), 1u);
  EXPECT_EQ(turns.at("c-dup-1").starts, 1);
  EXPECT_EQ(turns.at("c-dup-1").ends, 1);
  int echoes = 0;
  for (const auto& e : events) {
    if (e.value("type", "") == "chat.message" && e.value("messageId", "") == "c-dup-1") ++echoes;
  }
  EXPECT_EQ(echoes, 1);
  int acks = 0;
  for (const auto& f : ws.history()) {
    if (f.is_object() && f.value("type", "") == "ack" && f.value("requestId", "") == "c-dup-1") ++acks;
  }
  EXPECT_EQ(acks, 2);
}

// Each bad-input test runs next to a healthy client that is streaming a long reply, and ends
// by checking that client never noticed: still live, reply complete, and it can chat on.
class BadInputTest : public GatewayTest {
 protected:
  void startWithHealthyClient(GatewayOptions options = {}) {
    ASSERT_TRUE(startGateway(std::move(options)));
    healthy = std::make_unique<TestClient>(loop, direct());
    ASSERT_TRUE(healthy->waitLive()) << healthy->status().lastError;
    healthyTurn = healthy->chat().send("/long 150");
    ASSERT_FALSE(healthyTurn.empty());
    ASSERT_TRUE(healthy->waitFor(
        [&] {
          const auto* s = healthy->session();
          return s && s->streaming && !s->streamingText().empty();
        },
        10s))
        << "the healthy client's reply did not start streaming";
    livesBefore = liveEntries();
  }

  void expectHealthyClientKeptChatting() {
    ASSERT_TRUE(healthy->waitReply(healthyTurn, 20s));
    EXPECT_EQ(healthy->status().phase, net::Phase::Live);
    EXPECT_EQ(liveEntries(), livesBefore) << "the healthy client had to reconnect";
    const std::string after = healthy->chat().send("still here");
    ASSERT_TRUE(healthy->waitReply(after));
    const auto turns = turnsOf(api().events(healthy->sessionId()));
    ASSERT_EQ(turns.count(healthyTurn), 1u);
    EXPECT_EQ(turns.at(healthyTurn).deltas, 150);
    expectTranscriptMatchesLog(*healthy);
  }

  // How often the healthy client's status entered Live.
  int liveEntries() const {
    int n = 0;
    net::Phase previous = net::Phase::Idle;
    for (const auto& s : healthy->statuses()) {
      if (s.phase == net::Phase::Live && previous != net::Phase::Live) ++n;
      previous = s.phase;
    }
    return n;
  }

  std::unique_ptr<TestClient> healthy;
  std::string healthyTurn;
  int livesBefore = 0;
};

TEST_F(BadInputTest, BadJsonGetsBadRequestAndTheConnectionStaysOpen) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  ws.sendText("{\"type\": \"chat.send\", \"id\": ");  // truncated JSON
  const auto error = ws.nextOfType("error");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->value("code", ""), "bad_request");
  ws.send({{"type", "ping"}, {"id", "c-ping"}});
  EXPECT_TRUE(ws.nextOfType("pong", 5s, "c-ping").has_value()) << "bad JSON must not close the socket";
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, UnknownTypeGetsBadRequestAnsweringItsId) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  ws.send({{"type", "chat.explode"}, {"id", "c-unknown"}});
  const auto error = ws.nextOfType("error");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->value("code", ""), "bad_request");
  EXPECT_EQ(error->value("requestId", ""), "c-unknown");
  ws.send({{"type", "ping"}, {"id", "c-ping"}});
  EXPECT_TRUE(ws.nextOfType("pong", 5s, "c-ping").has_value());
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, OversizedFrameIsClosedWith4008) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  ws.send(chatSend("c-huge", newSessionId(), std::string(300 * 1024, 'x')));  // > 256 KiB frame
  ASSERT_TRUE(ws.waitClosed(5s));
  EXPECT_EQ(ws.closeCode(), 4008) << ws.closeReason();
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, MessagesBeforeAuthAreUnauthorized) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ws.send(chatSend("c-early", newSessionId(), "let me in"));
  const auto error = ws.nextOfType("error");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->value("code", ""), "unauthorized");
  // The HTTP API refuses a request without a bearer token too.
  GatewayApi anonymous(loop, gateway->apiBase(), "");
  EXPECT_EQ(anonymous.get("/sessions").status, 401);
  EXPECT_EQ(anonymous.post("/send", chatSend("c-http", newSessionId(), "hi")).status, 401);
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, WrongTokenGetsAuthFailedAndClose4001) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ws.send({{"type", "auth"}, {"id", "c-auth"}, {"token", "not-the-token"}});
  const auto failed = ws.nextOfType("auth.failed");
  ASSERT_TRUE(failed.has_value());
  EXPECT_FALSE(failed->value("code", "").empty());
  ASSERT_TRUE(ws.waitClosed(5s));
  EXPECT_EQ(ws.closeCode(), 4001) << ws.closeReason();
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, ForeignOriginIsRefusedWith403OnUpgrade) {
  GatewayOptions options;
  options.extraArgs = {"--allow-origin", "http://good.example"};
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient(options));

  RawWs evil(loop, "http://evil.example");
  EXPECT_FALSE(evil.open(gateway->wsUrl()));
  EXPECT_NE(evil.closeReason().find("HTTP 403"), std::string::npos) << evil.closeReason();

  RawWs allowed(loop, "http://good.example");
  EXPECT_TRUE(allowed.open(gateway->wsUrl())) << allowed.closeReason();
  RawWs own(loop, "http://127.0.0.1:" + std::to_string(gateway->port()));
  EXPECT_TRUE(own.open(gateway->wsUrl())) << "the gateway's own origin: " << own.closeReason();
  expectHealthyClientKeptChatting();
}

TEST_F(BadInputTest, FloodIsRateLimitedThenDisconnected) {
  ASSERT_NO_FATAL_FAILURE(startWithHealthyClient());
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  for (int i = 0; i < 600; ++i) ws.send({{"type", "ping"}, {"id", "c-flood-" + std::to_string(i)}});
  const auto limited = ws.nextOfType("error", 5s);
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->value("code", ""), "rate_limited");
  ASSERT_TRUE(ws.waitClosed(5s)) << "a client that keeps flooding is disconnected";
  EXPECT_EQ(ws.closeCode(), 4008) << ws.closeReason();
  expectHealthyClientKeptChatting();
}

}  // namespace
}  // namespace chat::itest
