// The deployment sample of README.md, src/gateway/redis/deploy/haproxy.cfg, run by a real
// HAProxy in front of two real gateway nodes on one redis-server (only its addresses replaced):
// two clients of one session chat over WebSockets and the HTTP API through it, their requests
// spread over both nodes (round robin, no stickiness); a node holding one of their WebSockets
// is SIGKILLed, its client reconnects through HAProxy to the other and both chat on; the
// transcripts equal the log.
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <string>
#include <vector>

#include "gateway_api.h"
#include "gateway_process.h"
#include "haproxy_front.h"
#include "redis_server.h"
#include "test_client.h"

namespace chat::itest {
namespace {

int occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

GatewayOptions nodeOn(const RedisServer& redis, const TempDir& dir, const std::string& name) {
  GatewayOptions o;
  o.db = dir.file(name + ".db");
  o.demoDelayMs = 5;
  o.extraArgs = {"--redis", redis.url(), "--node-id", name};
  return o;
}

ClientSetup through(const HaproxyFront& front, const std::string& sessionId) {
  ClientSetup s;
  s.wsUrl = "ws://127.0.0.1:" + std::to_string(front.port()) + "/gateway";
  s.apiBase = "http://127.0.0.1:" + std::to_string(front.port()) + "/api";
  s.sessionId = sessionId;
  return s;
}

// The client's transcript is the log: every logged turn's user message and complete reply,
// nothing else, each user message once.
void expectTranscriptIsTheLog(const TestClient& client, const std::vector<nlohmann::json>& log) {
  const auto* session = client.session();
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->lastSeq, static_cast<int64_t>(log.size()));
  const auto turns = turnsOf(log);
  for (const auto& [id, turn] : turns) {
    SCOPED_TRACE("turn " + id);
    ASSERT_NE(client.userMessage(id), nullptr);
    EXPECT_EQ(client.userMessage(id)->content, turn.userContent);
    ASSERT_TRUE(client.replyComplete(id));
    EXPECT_EQ(client.reply(id)->content, turn.reply);
  }
  std::map<std::string, int> users;
  for (const auto& m : session->messages) {
    if (m.role == core::Role::User) ++users[m.id];
  }
  EXPECT_EQ(users.size(), turns.size());
  for (const auto& [id, n] : users) EXPECT_EQ(n, 1) << id;
}

TEST(RedisHaproxy, TheSampleConfigBalancesTwoNodesAndClientsChatOnWhenOneIsKilled) {
  RedisServerOptions aof;
  aof.appendOnly = true;
  RedisServer redis(aof);
  ASSERT_EQ(redis.start(), "");
  TempDir dir;
  GatewayProcess nodeA(nodeOn(redis, dir, "A"));
  GatewayProcess nodeB(nodeOn(redis, dir, "B"));
  ASSERT_EQ(nodeA.start(), "");
  ASSERT_EQ(nodeB.start(), "");
  HaproxyFront front({nodeA.port(), nodeB.port()});
  ASSERT_EQ(front.start(), "");
  const auto outputs = [&] {
    return "\nA: " + nodeA.output() + "\nB: " + nodeB.output() + "\nhaproxy: " + front.output();
  };

  native::EventLoop loop;
  const std::string session = newSessionId();
  TestClient first(loop, through(front, session));
  ASSERT_TRUE(first.waitLive()) << first.status().lastError << outputs();
  TestClient second(loop, through(front, session));
  ASSERT_TRUE(second.waitLive()) << second.status().lastError << outputs();

  const std::string one = first.chat().send("hello through HAProxy");
  ASSERT_TRUE(first.waitFor([&] { return first.replyComplete(one) && second.replyComplete(one); }, 15s))
      << outputs();
  // The HTTP API through HAProxy too: a send, then the log read with it (any node answers).
  GatewayApi api(loop, through(front, session).apiBase, "test");
  const HttpResult posted = api.post("/send", {{"type", "chat.send"}, {"id", "h-1"},
                                               {"sessionId", session}, {"content", "over HTTP"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_TRUE(first.waitFor([&] { return first.replyComplete("h-1") && second.replyComplete("h-1"); }, 15s))
      << outputs();
  // No stickiness: the clients' requests were spread over both nodes. HAProxy logs each HTTP
  // request with its node when it ends (a WebSocket only when it closes); the nodes log each
  // WebSocket they accept.
  const int wsOnA = occurrences(nodeA.output(), " ws open ");
  const int wsOnB = occurrences(nodeB.output(), " ws open ");
  EXPECT_GT(wsOnA + occurrences(front.output(), " gateways/node1 "), 0) << outputs();
  EXPECT_GT(wsOnB + occurrences(front.output(), " gateways/node2 "), 0) << outputs();

  // A node that holds a WebSocket of these clients dies with its sockets open; that client
  // reconnects through HAProxy (a refused connect is retried on the other node before the
  // health check notices) and both chat on.
  ASSERT_GE(wsOnA + wsOnB, 2) << outputs();
  GatewayProcess& victim = wsOnA > 0 ? nodeA : nodeB;
  GatewayProcess& survivor = wsOnA > 0 ? nodeB : nodeA;
  const int survivorHad = wsOnA > 0 ? wsOnB : wsOnA;
  victim.stop(SIGKILL);
  const std::string two = second.chat().send("after a node died");
  const std::string three = first.chat().send("and from the first client");
  ASSERT_TRUE(first.waitFor([&] {
    return first.replyComplete(two) && second.replyComplete(two) && first.replyComplete(three) &&
           second.replyComplete(three);
  }, 30s)) << "first " << net::phaseName(first.status().phase) << " " << first.status().lastError
           << ", second " << net::phaseName(second.status().phase) << outputs();
  // Meanwhile the client of the dead node chatted over HTTP (polling through HAProxy); its
  // WebSocket comes back too, on the other node.
  EXPECT_TRUE(first.waitFor([&] {
    return occurrences(survivor.output(), " ws open ") > survivorHad &&
           first.status().phase == net::Phase::Live && !first.status().polling &&
           second.status().phase == net::Phase::Live && !second.status().polling;
  }, 15s)) << "the clients of the dead node reconnected to the other" << outputs();

  const auto log = api.events(session);
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(seqsAreContiguous(log));
  const auto turns = turnsOf(log);
  EXPECT_EQ(turns.size(), 4u);
  for (const auto& [id, turn] : turns) {
    EXPECT_EQ(turn.starts, 1) << id;
    EXPECT_EQ(turn.ends, 1) << id;
    EXPECT_EQ(turn.stopReason, "end") << id;
  }
  {
    SCOPED_TRACE("first client");
    expectTranscriptIsTheLog(first, log);
  }
  {
    SCOPED_TRACE("second client");
    expectTranscriptIsTheLog(second, log);
  }
}

}  // namespace
}  // namespace chat::itest
