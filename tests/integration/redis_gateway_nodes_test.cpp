// Two real chat-gateway processes started with `--redis` on one private redis-server: a client
// on node A sends, a client on node B watching the same session sees the whole stream in seq
// order, a resend of the same client message id to B is applied once, and a client polling
// B's HTTP API reads the same transcript.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "gateway_api.h"
#include "gateway_process.h"
#include "raw_ws.h"
#include "redis_server.h"
#include "test_client.h"

namespace chat::itest {
namespace {

nlohmann::json chatSend(const std::string& id, const std::string& sessionId,
                        const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

// The session events a WebSocket received, in the order it received them.
std::vector<nlohmann::json> sessionEventsOf(const RawWs& ws, const std::string& sessionId) {
  std::vector<nlohmann::json> events;
  for (const auto& f : ws.history()) {
    if (f.is_object() && f.contains("seq") && f.value("sessionId", "") == sessionId)
      events.push_back(f);
  }
  return events;
}

int countOf(const std::vector<nlohmann::json>& frames, const std::string& type,
            const std::string& key, const std::string& id) {
  int n = 0;
  for (const auto& f : frames) {
    if (f.is_object() && f.value("type", "") == type && f.value(key, "") == id) ++n;
  }
  return n;
}

GatewayOptions nodeOn(const RedisServer& redis, const TempDir& dir, const std::string& name) {
  GatewayOptions o;
  o.db = dir.file(name + ".db");  // this node's own catalog; the events live in Redis
  o.extraArgs = {"--redis", redis.url(), "--node-id", name};
  return o;
}

TEST(RedisGatewayNodes, ClientOnBSeesAStreamResendAppliedOncePollReadsTheSame) {
  RedisServer redis;
  ASSERT_EQ(redis.start(), "");
  TempDir dir;
  GatewayProcess nodeA(nodeOn(redis, dir, "A"));
  GatewayProcess nodeB(nodeOn(redis, dir, "B"));
  ASSERT_EQ(nodeA.start(), "");
  ASSERT_EQ(nodeB.start(), "");

  native::EventLoop loop;
  RawWs onA(loop), onB(loop);
  ASSERT_TRUE(onA.open(nodeA.wsUrl())) << onA.closeReason();
  ASSERT_TRUE(onA.authenticate("test"));
  ASSERT_TRUE(onB.open(nodeB.wsUrl())) << onB.closeReason();
  ASSERT_TRUE(onB.authenticate("test"));

  const std::string session = newSessionId();
  onB.send({{"type", "session.resume"}, {"id", "b-resume"}, {"sessionId", session}, {"lastSeq", 0}});
  ASSERT_TRUE(onB.nextOfType("session.resumed").has_value());

  // A runs the turn; B, which only watches, sees all of it.
  onA.send(chatSend("c-1", session, "/long 40"));
  ASSERT_TRUE(onA.nextOfType("ack", 5s, "c-1").has_value());
  ASSERT_TRUE(onB.nextOfType("chat.stream.end", 20s, "c-1").has_value())
      << "node B never saw the end of the turn node A ran\nA: " << nodeA.output()
      << "\nB: " << nodeB.output();

  // The same client message id again, to the other node (a client that lost its ack and
  // reconnected through the balancer elsewhere): acked, not applied a second time.
  onB.send(chatSend("c-1", session, "/long 40"));
  ASSERT_TRUE(onB.nextOfType("ack", 5s, "c-1").has_value()) << "a resend to node B is acked";
  // A turn B runs itself proves B is past any second run of c-1, and that A sees B's events.
  onB.send(chatSend("c-2", session, "and from B"));
  ASSERT_TRUE(onB.nextOfType("chat.stream.end", 20s, "c-2").has_value()) << nodeB.output();
  ASSERT_TRUE(onA.nextOfType("chat.stream.end", 20s, "c-2").has_value())
      << "node A did not see the turn node B ran";

  // The log, read by polling node B: every seq once, 1..N; c-1 echoed, started, ended once.
  GatewayApi pollB(loop, nodeB.apiBase(), "test");
  const auto logged = pollB.events(session);
  ASSERT_FALSE(logged.empty());
  EXPECT_TRUE(seqsAreContiguous(logged));
  const auto turns = turnsOf(logged);
  ASSERT_EQ(turns.count("c-1"), 1u);
  EXPECT_EQ(turns.at("c-1").starts, 1);
  EXPECT_EQ(turns.at("c-1").ends, 1);
  EXPECT_GT(turns.at("c-1").deltas, 1);
  EXPECT_EQ(countOf(logged, "chat.message", "messageId", "c-1"), 1) << "c-1 applied once";
  ASSERT_EQ(turns.count("c-2"), 1u);
  EXPECT_EQ(turns.at("c-2").ends, 1);

  // What each live client saw is the log itself: same frames, in seq order, none twice. (A's
  // client joined with its chat.send, so it saw the session from its first event as well.)
  const auto seenOnB = sessionEventsOf(onB, session);
  const auto seenOnA = sessionEventsOf(onA, session);
  ASSERT_EQ(seenOnB.size(), logged.size());
  ASSERT_EQ(seenOnA.size(), logged.size());
  for (std::size_t i = 0; i < logged.size(); ++i) {
    EXPECT_EQ(seenOnB[i], logged[i]) << "node B's client, event " << i;
    EXPECT_EQ(seenOnA[i], logged[i]) << "node A's client, event " << i;
  }
  // And node A's own API serves the very same log.
  GatewayApi pollA(loop, nodeA.apiBase(), "test");
  EXPECT_EQ(pollA.events(session), logged);
}

}  // namespace
}  // namespace chat::itest
