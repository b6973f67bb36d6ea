// Three real chat-gateway nodes on one private redis-server (append-only file, fsync always),
// one session, three kinds of client: the client engine over a WebSocket on node A, another
// on node B, and a polling client on node C (POST /api/send, GET /api/events long polls).
// They chat while Redis is SIGKILLed and restarted mid-stream; afterwards every transcript
// equals the log read back from the nodes, every user message is in it exactly once, seqs are
// 1..N, and a message id resent (its ack never read) to two other nodes is applied once. Then
// node A is SIGKILLed in the middle of a turn it runs: B and C see that turn end (stopReason
// "error", within twice the lease) and chat on.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
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

using Clock = std::chrono::steady_clock;

nlohmann::json chatSend(const std::string& id, const std::string& sessionId,
                        const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

GatewayOptions nodeOn(const RedisServer& redis, const TempDir& dir, const std::string& name,
                      int leaseMs = 0) {
  GatewayOptions o;
  o.db = dir.file(name + ".db");  // the node's own catalog; the events live in Redis
  o.demoDelayMs = 10;
  o.extraArgs = {"--redis", redis.url(), "--node-id", name};
  if (leaseMs > 0) o.extraArgs.insert(o.extraArgs.end(), {"--lease-ms", std::to_string(leaseMs)});
  return o;
}

ClientSetup clientOn(const GatewayProcess& node, const std::string& sessionId) {
  ClientSetup s;
  s.wsUrl = node.wsUrl();
  s.apiBase = node.apiBase();
  s.sessionId = sessionId;
  return s;
}

// A client that only speaks HTTP to one node, as a browser without WebSockets does: sends with
// POST /api/send and reads the session with GET /api/events long polls from its last seq. It
// keeps every event it read, and notes whether each page followed on from the one before.
class PollingClient {
 public:
  PollingClient(native::EventLoop& loop, const GatewayProcess& node, std::string sessionId)
      : api_(loop, node.apiBase(), "test"), sessionId_(std::move(sessionId)) {}

  // One chat.send; true when the node took it (200, queued). A failed send is retried by
  // the caller with the same id, as the client engine's outbox does.
  bool send(const std::string& id, const std::string& content) {
    const HttpResult r = api_.post("/send", chatSend(id, sessionId_, content));
    return r.status == 200 && r.json.is_object() && r.json.value("requestId", "") == id;
  }

  // One long poll of at most waitMs; an error (Redis away, say) is counted and retried later.
  void poll(int waitMs) {
    const HttpResult r = api_.get("/events?sessionId=" + sessionId_ + "&after=" +
                                  std::to_string(lastSeq()) + "&waitMs=" + std::to_string(waitMs));
    if (r.status != 200 || !r.json.is_object() || !r.json.contains("events") ||
        !r.json["events"].is_array()) {
      ++failedPolls_;
      return;
    }
    for (const auto& e : r.json["events"]) {
      if (e.value("seq", int64_t{0}) != lastSeq() + 1) followsOn_ = false;
      events_.push_back(e);
    }
  }

  int64_t lastSeq() const { return events_.empty() ? 0 : events_.back().value("seq", int64_t{0}); }
  bool sawEnd(const std::string& requestId) const {
    for (const auto& e : events_) {
      if (e.value("type", "") == "chat.stream.end" && e.value("requestId", "") == requestId)
        return true;
    }
    return false;
  }
  const std::vector<nlohmann::json>& events() const { return events_; }
  bool followsOn() const { return followsOn_; }
  int failedPolls() const { return failedPolls_; }

 private:
  GatewayApi api_;
  std::string sessionId_;
  std::vector<nlohmann::json> events_;
  bool followsOn_ = true;
  int failedPolls_ = 0;
};

// Keeps the polling client polling (short long polls, so the shared loop that the WebSocket
// clients run on turns meanwhile) until `done` or the timeout.
bool pollUntil(PollingClient& poller, const std::function<bool()>& done,
               std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    poller.poll(200);
  }
  return true;
}

int countOf(const std::vector<nlohmann::json>& events, const std::string& type,
            const std::string& key, const std::string& id) {
  int n = 0;
  for (const auto& e : events) {
    if (e.value("type", "") == type && e.value(key, "") == id) ++n;
  }
  return n;
}

// A client engine's transcript of the session equals the log: every logged turn once, its user
// message with the logged content, its reply complete with exactly the logged text; no reply
// or user message the log does not have, and its last applied seq the log's last.
void expectTranscriptIsTheLog(const TestClient& client, const std::vector<nlohmann::json>& log,
                              const std::string& who) {
  SCOPED_TRACE(who);
  const auto* session = client.session();
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->lastSeq, static_cast<int64_t>(log.size()));
  const auto turns = turnsOf(log);
  std::size_t replies = 0;
  for (const auto& [requestId, turn] : turns) {
    SCOPED_TRACE("turn " + requestId);
    const auto* user = client.userMessage(requestId);
    ASSERT_NE(user, nullptr) << "user message missing";
    EXPECT_EQ(user->content, turn.userContent);
    const auto* reply = client.reply(requestId);
    ASSERT_NE(reply, nullptr) << "reply missing";
    EXPECT_EQ(reply->status, core::MessageStatus::Complete);
    EXPECT_EQ(reply->content, turn.reply);
    EXPECT_EQ(reply->stopReason, turn.stopReason);
    EXPECT_LE(client.completions(core::Role::Assistant, requestId), 1) << "reply completed twice";
    ++replies;
  }
  std::map<std::string, int> users;
  std::size_t clientReplies = 0;
  for (const auto& m : session->messages) {
    if (m.role == core::Role::User) ++users[m.id];
    if (m.role == core::Role::Assistant) ++clientReplies;
  }
  EXPECT_EQ(clientReplies, replies) << "the client shows replies the log does not have";
  EXPECT_EQ(users.size(), turns.size()) << "the client shows user messages the log does not have";
  for (const auto& [id, n] : users) EXPECT_EQ(n, 1) << "user message " << id << " shown " << n << " times";
}

TEST(RedisThreeNodes, WsOnAWsOnBPollOnCChatThroughARedisRestartAndAResendIsAppliedOnce) {
  RedisServerOptions aof;
  aof.appendOnly = true;  // appendonly yes, appendfsync always
  RedisServer redis(aof);
  ASSERT_EQ(redis.start(), "");
  TempDir dir;
  GatewayProcess nodeA(nodeOn(redis, dir, "A"));
  GatewayProcess nodeB(nodeOn(redis, dir, "B"));
  GatewayProcess nodeC(nodeOn(redis, dir, "C"));
  ASSERT_EQ(nodeA.start(), "");
  ASSERT_EQ(nodeB.start(), "");
  ASSERT_EQ(nodeC.start(), "");
  const auto outputs = [&] {
    return "\nA: " + nodeA.output() + "\nB: " + nodeB.output() + "\nC: " + nodeC.output() +
           "\nredis: " + redis.log();
  };

  native::EventLoop loop;
  const std::string session = newSessionId();
  TestClient onA(loop, clientOn(nodeA, session));
  TestClient onB(loop, clientOn(nodeB, session));
  PollingClient onC(loop, nodeC, session);
  ASSERT_TRUE(onA.waitLive()) << onA.status().lastError;
  ASSERT_TRUE(onB.waitLive()) << onB.status().lastError;

  // Whether all three clients saw these turns end, and if not, who lacks what.
  const auto allSaw = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (!onA.replyComplete(id) || !onB.replyComplete(id) || !onC.sawEnd(id)) return false;
    }
    return true;
  };
  const auto state = [&](const std::vector<std::string>& ids) {
    std::string out = "C read up to seq " + std::to_string(onC.lastSeq()) + ", " +
                      std::to_string(onC.failedPolls()) + " failed polls";
    for (const auto& id : ids) {
      const auto* a = onA.reply(id);
      const auto* b = onB.reply(id);
      out += "\n  " + id + ": A " + (a ? std::to_string(a->content.size()) + " chars" : "none") +
             (onA.replyComplete(id) ? " complete" : "") + ", B " +
             (b ? std::to_string(b->content.size()) + " chars" : "none") +
             (onB.replyComplete(id) ? " complete" : "") + ", C " + (onC.sawEnd(id) ? "ended" : "open");
    }
    return out + "\nA " + net::phaseName(onA.status().phase) + " " + onA.status().lastError + ", B " +
           net::phaseName(onB.status().phase) + " " + onB.status().lastError + outputs();
  };

  // Each client sends one; everyone sees every reply.
  const std::string fromA = onA.chat().send("hello from A");
  ASSERT_TRUE(pollUntil(onC, [&] { return allSaw({fromA}); }, 20s)) << state({fromA});
  ASSERT_TRUE(onC.send("c-1", "hello from C"));
  ASSERT_TRUE(pollUntil(onC, [&] { return allSaw({"c-1"}); }, 20s)) << state({"c-1"});

  // A long reply that B asked for streams to all three (300 words, 10 ms each), and Redis is
  // SIGKILLed a few words in and restarted from its append-only file on the same port.
  const std::string longOne = onB.chat().send("/long 300");
  ASSERT_TRUE(pollUntil(onC, [&] {
    const auto* r = onA.reply(longOne);
    return r && r->content.size() > 40 && onC.lastSeq() > 10;
  }, 20s)) << state({longOne});
  const int64_t seqAtKill = onC.lastSeq();
  redis.stop(/*kill=*/true);
  // Meanwhile A's and C's users send: a node answers `internal` ("retrying later may work")
  // while it cannot reach Redis; the client engine keeps the message and resends it with
  // backoff, and the poller sends the same id again until a node takes it.
  const std::string duringOutage = onA.chat().send("typed while Redis was down");
  const std::string fromC = "c-2";
  bool tookIt = onC.send(fromC, "sent while Redis was down");
  loop.runUntil([] { return false; }, 300ms);
  ASSERT_EQ(redis.restart(), "") << redis.log();
  if (!tookIt) {
    ASSERT_TRUE(pollUntil(onC, [&] { return onC.send(fromC, "sent while Redis was down"); }, 15s))
        << state({longOne, fromC});
  }
  // After the restart A's user sends too, while the long reply is still going.
  const std::string fromA2 = onA.chat().send("hello again from A");
  ASSERT_TRUE(pollUntil(onC, [&] { return allSaw({longOne, duringOutage, fromC, fromA2}); }, 45s))
      << "after Redis came back (killed at seq " << seqAtKill << ")\n"
      << state({longOne, duringOutage, fromC, fromA2});

  // A message whose ack was never read: sent on a WebSocket to A that closes at once, then
  // resent with the same id over HTTP to C and over a WebSocket to B. All three are answered
  // as the same message; it is in the log once and runs once.
  {
    RawWs toA(loop);
    ASSERT_TRUE(toA.open(nodeA.wsUrl()));
    ASSERT_TRUE(toA.authenticate("test"));
    toA.send(chatSend("u-1", session, "who acked me?"));
  }
  ASSERT_TRUE(onC.send("u-1", "who acked me?")) << outputs();
  RawWs toB(loop);
  ASSERT_TRUE(toB.open(nodeB.wsUrl()));
  ASSERT_TRUE(toB.authenticate("test"));
  toB.send(chatSend("u-1", session, "who acked me?"));
  ASSERT_TRUE(toB.nextOfType("ack", 5s, "u-1").has_value()) << "the resend to B is acked";
  ASSERT_TRUE(pollUntil(onC, [&] { return allSaw({"u-1"}); }, 20s)) << state({"u-1"});
  // A last turn proves no second run of u-1 is queued behind it.
  const std::string last = onB.chat().send("the last word");
  ASSERT_TRUE(pollUntil(onC, [&] { return allSaw({last}); }, 20s)) << state({last});
  loop.runUntil([] { return false; }, 200ms);  // the clients apply what is in flight

  // The log, read from each node: the same on all three, seqs 1..N, every turn started and
  // ended once, every user message once.
  GatewayApi readA(loop, nodeA.apiBase(), "test");
  const auto log = readA.events(session);
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(seqsAreContiguous(log)) << "the log has holes";
  EXPECT_EQ(GatewayApi(loop, nodeB.apiBase(), "test").events(session), log);
  EXPECT_EQ(GatewayApi(loop, nodeC.apiBase(), "test").events(session), log);
  const auto turns = turnsOf(log);
  const std::vector<std::string> sent = {fromA, "c-1", longOne, duringOutage, fromC, fromA2, "u-1", last};
  EXPECT_EQ(turns.size(), sent.size());
  for (const auto& id : sent) {
    SCOPED_TRACE("message " + id);
    ASSERT_EQ(turns.count(id), 1u);
    EXPECT_EQ(countOf(log, "chat.message", "messageId", id), 1) << "applied once";
    EXPECT_EQ(turns.at(id).starts, 1);
    EXPECT_EQ(turns.at(id).ends, 1);
    EXPECT_EQ(turns.at(id).stopReason, "end");
  }
  EXPECT_EQ(turns.at(longOne).deltas, 300) << "every word of the reply Redis died under";

  // Every transcript is the log: the two engines' views, and the poller's events frame for frame.
  expectTranscriptIsTheLog(onA, log, "the client on node A");
  expectTranscriptIsTheLog(onB, log, "the client on node B");
  EXPECT_TRUE(onC.followsOn()) << "a page of the poller did not follow on from the one before";
  EXPECT_EQ(onC.events(), log) << "the polling client on node C";
  RecordProperty("events", static_cast<int>(log.size()));
  RecordProperty("seq_at_redis_kill", static_cast<int>(seqAtKill));
  RecordProperty("failed_polls_on_C", onC.failedPolls());
  RecordProperty("send_while_redis_down_taken_at_once", tookIt ? 1 : 0);
  // How often node A refused the engine's send while Redis was away (the engine resent it).
  int refusedOnA = 0;
  for (auto at = nodeA.output().find("error handling chat.send"); at != std::string::npos;
       at = nodeA.output().find("error handling chat.send", at + 1))
    ++refusedOnA;
  RecordProperty("sends_refused_on_A_while_redis_down", refusedOnA);
}

TEST(RedisThreeNodes, NodeAKilledMidStreamBAndCSeeTheTurnEndAndChatOn) {
  constexpr int kLeaseMs = 1000;  // short for a quick test; long enough for a loaded machine
  RedisServerOptions aof;
  aof.appendOnly = true;
  RedisServer redis(aof);
  ASSERT_EQ(redis.start(), "");
  TempDir dir;
  GatewayProcess nodeA(nodeOn(redis, dir, "A", kLeaseMs));
  GatewayProcess nodeB(nodeOn(redis, dir, "B", kLeaseMs));
  GatewayProcess nodeC(nodeOn(redis, dir, "C", kLeaseMs));
  ASSERT_EQ(nodeA.start(), "");
  ASSERT_EQ(nodeB.start(), "");
  ASSERT_EQ(nodeC.start(), "");
  const auto outputs = [&] {
    return "\nA: " + nodeA.output() + "\nB: " + nodeB.output() + "\nC: " + nodeC.output();
  };

  native::EventLoop loop;
  const std::string session = newSessionId();
  const std::string warmUp = "w-0";
  std::string longOne;
  int64_t closeMs = 0;
  {
    TestClient onA(loop, clientOn(nodeA, session));
    ASSERT_TRUE(onA.waitLive()) << onA.status().lastError;
    TestClient onB(loop, clientOn(nodeB, session));
    ASSERT_TRUE(onB.waitLive()) << onB.status().lastError;
    PollingClient onC(loop, nodeC, session);
    ASSERT_TRUE(onC.send(warmUp, "before the kill"));
    ASSERT_TRUE(pollUntil(onC, [&] { return onA.replyComplete(warmUp) && onB.replyComplete(warmUp) &&
                                            onC.sawEnd(warmUp); }, 20s)) << outputs();

    // A runs a long turn (its client sent it there); B and C watch it stream; A dies.
    longOne = onA.chat().send("/long 400");
    ASSERT_TRUE(pollUntil(onC, [&] {
      const auto* r = onB.reply(longOne);
      return r && r->content.size() > 40 && onC.lastSeq() > 10;
    }, 20s)) << outputs();
    nodeA.stop(SIGKILL);
    const auto killedAt = Clock::now();
    ASSERT_TRUE(pollUntil(onC, [&] { return onB.replyComplete(longOne) && onC.sawEnd(longOne); }, 15s))
        << "the turn of the killed node was never closed" << outputs();
    closeMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killedAt).count();
    EXPECT_EQ(onB.reply(longOne)->stopReason, "error");
    // Within twice the lease; a second's grace for delivery and a loaded machine's scheduling.
    EXPECT_LT(closeMs, 2 * kLeaseMs + 1000) << outputs();

    // B and C chat on: B retries, C sends over HTTP.
    const std::string retry = onB.chat().send("/long 5");
    ASSERT_TRUE(onC.send("c-after", "and C goes on"));
    ASSERT_TRUE(pollUntil(onC, [&] {
      return onB.replyComplete(retry) && onB.replyComplete("c-after") && onC.sawEnd(retry) &&
             onC.sawEnd("c-after");
    }, 20s)) << outputs();
    loop.runUntil([] { return false; }, 200ms);

    const auto log = GatewayApi(loop, nodeB.apiBase(), "test").events(session);
    ASSERT_FALSE(log.empty());
    EXPECT_TRUE(seqsAreContiguous(log));
    EXPECT_EQ(GatewayApi(loop, nodeC.apiBase(), "test").events(session), log);
    const auto turns = turnsOf(log);
    ASSERT_EQ(turns.size(), 4u);
    for (const auto& [id, turn] : turns) {
      SCOPED_TRACE("turn " + id);
      EXPECT_EQ(countOf(log, "chat.message", "messageId", id), 1);
      EXPECT_EQ(turn.starts, 1);
      EXPECT_EQ(turn.ends, 1);
      EXPECT_EQ(turn.stopReason, id == longOne ? "error" : "end");
    }
    EXPECT_LT(turns.at(longOne).deltas, 400) << "the turn was cut, not finished";
    expectTranscriptIsTheLog(onB, log, "the client on node B");
    EXPECT_TRUE(onC.followsOn());
    EXPECT_EQ(onC.events(), log) << "the polling client on node C";
  }
  RecordProperty("turn_closed_ms_after_kill", static_cast<int>(closeMs));
  RecordProperty("lease_ms", kLeaseMs);
}

}  // namespace
}  // namespace chat::itest
