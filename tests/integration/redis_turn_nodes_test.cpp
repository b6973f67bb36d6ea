// Turns across real chat-gateway processes on one private redis-server (--redis, a short
// --lease-ms): a node SIGKILLed mid-stream has its turn closed by another node within twice
// the lease, with stopReason "error", every event once and in seq order, and the user can
// retry on the surviving node; an approval or a cancel sent to a node that does not run the
// turn is applied once by the node that does; a send that waited on a killed node is run by
// another.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
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

// Long enough that a loaded machine (two cores shared by several builds) does not stall a
// live node past its lease; short enough to keep the tests quick.
constexpr int kLeaseMs = 1000;

nlohmann::json chatSend(const std::string& id, const std::string& sessionId,
                        const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

std::vector<nlohmann::json> sessionEventsOf(const RawWs& ws, const std::string& sessionId) {
  std::vector<nlohmann::json> events;
  for (const auto& f : ws.history()) {
    if (f.is_object() && f.contains("seq") && f.value("sessionId", "") == sessionId)
      events.push_back(f);
  }
  return events;
}

int countOf(const std::vector<nlohmann::json>& frames, const std::string& type) {
  int n = 0;
  for (const auto& f : frames) n += f.is_object() && f.value("type", "") == type ? 1 : 0;
  return n;
}

// The n-th frame of `type` answering or belonging to `requestId` this client received, waiting
// for it up to `timeout` (frames that came meanwhile are not lost: all are in history()).
std::optional<nlohmann::json> nth(RawWs& ws, const std::string& type, const std::string& requestId,
                                  int n, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    int seen = 0;
    for (const auto& f : ws.history()) {
      if (f.is_object() && f.value("type", "") == type && f.value("requestId", "") == requestId &&
          ++seen == n)
        return f;
    }
    if (Clock::now() >= deadline || !ws.isOpen()) return std::nullopt;
    ws.next(50ms);
  }
}
std::optional<nlohmann::json> first(RawWs& ws, const std::string& type, const std::string& requestId,
                                    std::chrono::milliseconds timeout = 10s) {
  return nth(ws, type, requestId, 1, timeout);
}

GatewayOptions nodeOn(const RedisServer& redis, const TempDir& dir, const std::string& name) {
  GatewayOptions o;
  o.db = dir.file(name + ".db");
  o.demoDelayMs = 20;  // "/long 400" streams for ~8 s
  o.extraArgs = {"--redis", redis.url(), "--node-id", name, "--lease-ms", std::to_string(kLeaseMs)};
  return o;
}

struct TwoNodes {
  RedisServer redis;
  TempDir dir;
  std::unique_ptr<GatewayProcess> a, b;
  native::EventLoop loop;
  std::unique_ptr<RawWs> onA, onB;

  std::string start() {
    if (auto e = redis.start(); !e.empty()) return e;
    a = std::make_unique<GatewayProcess>(nodeOn(redis, dir, "A"));
    b = std::make_unique<GatewayProcess>(nodeOn(redis, dir, "B"));
    if (auto e = a->start(); !e.empty()) return e;
    if (auto e = b->start(); !e.empty()) return e;
    onA = std::make_unique<RawWs>(loop);
    onB = std::make_unique<RawWs>(loop);
    if (!onA->open(a->wsUrl()) || !onA->authenticate("test")) return "client on A";
    if (!onB->open(b->wsUrl()) || !onB->authenticate("test")) return "client on B";
    return "";
  }
  // B's client watches the session from its start.
  bool watchOnB(const std::string& session) {
    onB->send({{"type", "session.resume"}, {"id", "b-resume"}, {"sessionId", session}, {"lastSeq", 0}});
    return onB->nextOfType("session.resumed").has_value();
  }
  // What went wrong: both nodes' logs and the answers B's client got.
  std::string outputs() const {
    std::string answers;
    for (const auto& f : onB->history())
      if (f.is_object() && !f.contains("seq")) answers += f.dump() + "\n";
    return "\nA: " + a->output() + "\nB: " + b->output() + "\nB's client got:\n" + answers;
  }
};

TEST(RedisTurnNodes, ANodeKilledMidStreamHasItsTurnClosedWithinTwiceTheLeaseAndBRunsTheRetry) {
  TwoNodes n;
  ASSERT_EQ(n.start(), "");
  const std::string session = newSessionId();
  ASSERT_TRUE(n.watchOnB(session));

  n.onA->send(chatSend("c-1", session, "/long 400"));
  ASSERT_TRUE(first(*n.onA, "ack", "c-1", 5s).has_value());
  // B sees A's turn stream, then A dies mid-stream.
  ASSERT_TRUE(nth(*n.onB, "chat.stream.delta", "c-1", 3).has_value()) << n.outputs();
  n.a->stop(SIGKILL);
  const auto killedAt = Clock::now();

  auto end = first(*n.onB, "chat.stream.end", "c-1", 10s);
  const auto closeMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killedAt).count();
  ASSERT_TRUE(end.has_value()) << "node B never closed the turn of the killed node" << n.outputs();
  EXPECT_EQ(end->value("stopReason", ""), "error");
  std::cout << "turn of the killed node closed " << closeMs << " ms after the SIGKILL (lease "
            << kLeaseMs << " ms)\n";
  // Within twice the lease, with a second's grace for a loaded machine's scheduling.
  EXPECT_LT(closeMs, 2 * kLeaseMs + 1000) << n.outputs();

  // The user retries on B: B runs it to its end.
  n.onB->send(chatSend("c-2", session, "/long 5"));
  ASSERT_TRUE(first(*n.onB, "ack", "c-2", 5s).has_value());
  auto retried = first(*n.onB, "chat.stream.end", "c-2", 15s);
  ASSERT_TRUE(retried.has_value()) << n.outputs();
  EXPECT_EQ(retried->value("stopReason", ""), "end");

  // The log: seqs 1..N; c-1 started and ended once (error, with the error event), c-2 ended.
  GatewayApi pollB(n.loop, n.b->apiBase(), "test");
  const auto logged = pollB.events(session);
  EXPECT_TRUE(seqsAreContiguous(logged));
  const auto turns = turnsOf(logged);
  ASSERT_EQ(turns.count("c-1"), 1u);
  EXPECT_EQ(turns.at("c-1").starts, 1);
  EXPECT_EQ(turns.at("c-1").ends, 1);
  EXPECT_EQ(turns.at("c-1").stopReason, "error");
  EXPECT_EQ(countOf(logged, "error"), 1);
  ASSERT_EQ(turns.count("c-2"), 1u);
  EXPECT_EQ(turns.at("c-2").ends, 1);
  // B's client saw every event once, in seq order: the log itself.
  EXPECT_EQ(sessionEventsOf(*n.onB, session), logged);
}

TEST(RedisTurnNodes, AnApprovalAndACancelSentToBAreAppliedOnceByA) {
  TwoNodes n;
  ASSERT_EQ(n.start(), "");
  const std::string session = newSessionId();
  ASSERT_TRUE(n.watchOnB(session));

  // A's turn waits for an approval; B's client answers it.
  n.onA->send(chatSend("t-1", session, "/tool shell ls"));
  ASSERT_TRUE(first(*n.onA, "ack", "t-1", 5s).has_value());
  auto request = first(*n.onB, "tool.approval.request", "t-1", 10s);
  ASSERT_TRUE(request.has_value()) << n.outputs();
  const std::string toolCallId = request->value("toolCallId", "");
  const nlohmann::json approve = {{"type", "tool.approval.response"}, {"id", "ap-1"},
                                  {"toolCallId", toolCallId}, {"approved", true}};
  n.onB->send(approve);
  auto acked = first(*n.onB, "ack", "ap-1", 10s);
  ASSERT_TRUE(acked.has_value()) << "the approval sent to B is answered" << n.outputs();
  auto done = first(*n.onB, "chat.stream.end", "t-1", 15s);
  ASSERT_TRUE(done.has_value()) << n.outputs();
  EXPECT_EQ(done->value("stopReason", ""), "end");
  // The same approval again (its ack was lost, say): answered, not applied again.
  n.onB->send(approve);
  ASSERT_TRUE(nth(*n.onB, "ack", "ap-1", 2).has_value());
  // An approval nobody waits for: answered as one node does.
  n.onB->send({{"type", "tool.approval.response"}, {"id", "ap-2"}, {"toolCallId", "no-such-call"},
               {"approved", true}});
  auto notFound = first(*n.onB, "error", "ap-2", 10s);
  ASSERT_TRUE(notFound.has_value());
  EXPECT_EQ(notFound->value("code", ""), "not_found");

  // A's long turn, cancelled from B.
  n.onA->send(chatSend("l-1", session, "/long 400"));
  ASSERT_TRUE(first(*n.onA, "ack", "l-1", 5s).has_value());
  ASSERT_TRUE(first(*n.onB, "chat.stream.delta", "l-1", 10s).has_value());
  const auto cancelAt = Clock::now();
  n.onB->send({{"type", "chat.cancel"}, {"id", "x-1"}, {"requestId", "l-1"}});
  ASSERT_TRUE(first(*n.onB, "ack", "x-1", 10s).has_value()) << n.outputs();
  auto cancelled = first(*n.onB, "chat.stream.end", "l-1", 10s);
  ASSERT_TRUE(cancelled.has_value()) << n.outputs();
  EXPECT_EQ(cancelled->value("stopReason", ""), "cancelled");
  EXPECT_LT(Clock::now() - cancelAt, 5s) << "the cancel stopped A's turn, not its end";
  // A cancel of a turn that has ended: acked, as on one node.
  n.onB->send({{"type", "chat.cancel"}, {"id", "x-2"}, {"requestId", "l-1"}});
  ASSERT_TRUE(first(*n.onB, "ack", "x-2", 10s).has_value());

  GatewayApi pollA(n.loop, n.a->apiBase(), "test");
  const auto logged = pollA.events(session);
  EXPECT_TRUE(seqsAreContiguous(logged));
  EXPECT_EQ(countOf(logged, "tool.approval.resolved"), 1) << "the approval applied once";
  const auto turns = turnsOf(logged);
  ASSERT_EQ(turns.count("l-1"), 1u);
  EXPECT_EQ(turns.at("l-1").ends, 1);
  EXPECT_EQ(turns.at("t-1").ends, 1);
  EXPECT_EQ(sessionEventsOf(*n.onB, session), logged);
}

TEST(RedisTurnNodes, ACancelSentToBOfASendWaitingOnAEndsItCancelledOnA) {
  TwoNodes n;
  ASSERT_EQ(n.start(), "");
  const std::string session = newSessionId();
  ASSERT_TRUE(n.watchOnB(session));

  // w-2 waits on A behind w-1; B's client cancels it before it starts.
  n.onA->send(chatSend("w-1", session, "/long 60"));
  ASSERT_TRUE(first(*n.onA, "ack", "w-1", 5s).has_value());
  n.onA->send(chatSend("w-2", session, "/long 60"));
  ASSERT_TRUE(first(*n.onA, "ack", "w-2", 5s).has_value());
  ASSERT_TRUE(first(*n.onB, "chat.stream.delta", "w-1").has_value()) << n.outputs();
  n.onB->send({{"type", "chat.cancel"}, {"id", "x-w"}, {"requestId", "w-2"}});
  ASSERT_TRUE(first(*n.onB, "ack", "x-w").has_value()) << n.outputs();

  auto ran = first(*n.onB, "chat.stream.end", "w-1", 15s);
  ASSERT_TRUE(ran.has_value()) << n.outputs();
  EXPECT_EQ(ran->value("stopReason", ""), "end");
  auto cancelled = first(*n.onB, "chat.stream.end", "w-2", 15s);
  ASSERT_TRUE(cancelled.has_value()) << n.outputs();
  EXPECT_EQ(cancelled->value("stopReason", ""), "cancelled");

  GatewayApi pollA(n.loop, n.a->apiBase(), "test");
  const auto turns = turnsOf(pollA.events(session));
  ASSERT_EQ(turns.count("w-2"), 1u);
  EXPECT_EQ(turns.at("w-2").deltas, 0) << "a cancelled waiting turn never streams";
  EXPECT_EQ(turns.at("w-2").ends, 1);
}

// The seq of the first event of `type` of turn `requestId` in the log, 0 when none.
int64_t seqOf(const std::vector<nlohmann::json>& logged, const std::string& type,
              const std::string& requestId) {
  for (const auto& e : logged)
    if (e.value("type", "") == type && e.value("requestId", "") == requestId) return e.value("seq", int64_t{0});
  return 0;
}

TEST(RedisTurnNodes, ASendToBWhileASessionTurnRunsOnAStartsAfterItInTheOrderSent) {
  TwoNodes n;
  ASSERT_EQ(n.start(), "");
  const std::string session = newSessionId();
  ASSERT_TRUE(n.watchOnB(session));

  // o-1 runs on A; o-2 is sent to B, then o-3 to A: one turn of the session at a time, in the
  // order they were sent, whichever node took them.
  n.onA->send(chatSend("o-1", session, "/long 40"));
  ASSERT_TRUE(first(*n.onA, "ack", "o-1", 5s).has_value());
  ASSERT_TRUE(first(*n.onB, "chat.stream.delta", "o-1").has_value()) << n.outputs();
  n.onB->send(chatSend("o-2", session, "/long 10"));
  ASSERT_TRUE(first(*n.onB, "ack", "o-2", 5s).has_value());
  n.onA->send(chatSend("o-3", session, "/long 10"));
  ASSERT_TRUE(first(*n.onA, "ack", "o-3", 5s).has_value());
  for (const char* id : {"o-1", "o-2", "o-3"}) {
    auto end = first(*n.onB, "chat.stream.end", id, 15s);
    ASSERT_TRUE(end.has_value()) << id << n.outputs();
    EXPECT_EQ(end->value("stopReason", ""), "end") << id;
  }

  GatewayApi pollB(n.loop, n.b->apiBase(), "test");
  const auto logged = pollB.events(session);
  EXPECT_TRUE(seqsAreContiguous(logged));
  EXPECT_LT(seqOf(logged, "chat.stream.end", "o-1"), seqOf(logged, "chat.stream.start", "o-2"));
  EXPECT_LT(seqOf(logged, "chat.stream.end", "o-2"), seqOf(logged, "chat.stream.start", "o-3"));
  EXPECT_EQ(sessionEventsOf(*n.onB, session), logged);
}

TEST(RedisTurnNodes, ASendWaitingOnAKilledNodeIsRunByAnother) {
  TwoNodes n;
  ASSERT_EQ(n.start(), "");
  const std::string session = newSessionId();
  ASSERT_TRUE(n.watchOnB(session));

  // q-2 waits on A behind q-1; A dies.
  n.onA->send(chatSend("q-1", session, "/long 400"));
  ASSERT_TRUE(first(*n.onA, "ack", "q-1", 5s).has_value());
  n.onA->send(chatSend("q-2", session, "/long 5"));
  ASSERT_TRUE(first(*n.onA, "ack", "q-2", 5s).has_value());
  ASSERT_TRUE(first(*n.onB, "chat.stream.delta", "q-1", 10s).has_value()) << n.outputs();
  n.a->stop(SIGKILL);

  // B closes q-1 and runs q-2 to its end.
  auto closed = first(*n.onB, "chat.stream.end", "q-1", 10s);
  ASSERT_TRUE(closed.has_value()) << n.outputs();
  EXPECT_EQ(closed->value("stopReason", ""), "error");
  auto second = first(*n.onB, "chat.stream.end", "q-2", 15s);
  ASSERT_TRUE(second.has_value()) << "the send that waited on A was never run" << n.outputs();
  EXPECT_EQ(second->value("stopReason", ""), "end");

  GatewayApi pollB(n.loop, n.b->apiBase(), "test");
  const auto logged = pollB.events(session);
  EXPECT_TRUE(seqsAreContiguous(logged));
  const auto turns = turnsOf(logged);
  ASSERT_EQ(turns.count("q-2"), 1u);
  EXPECT_EQ(turns.at("q-2").starts, 1);
  EXPECT_EQ(turns.at("q-2").ends, 1);
  EXPECT_EQ(sessionEventsOf(*n.onB, session), logged);
}

TEST(RedisTurnNodes, ANodeRestartedUnderItsIdClosesItsOpenTurnAndRunsItsWaitingSend) {
  RedisServer redis;
  ASSERT_EQ(redis.start(), "");
  TempDir dir;
  GatewayProcess node(nodeOn(redis, dir, "A"));
  ASSERT_EQ(node.start(), "");
  native::EventLoop loop;
  const std::string session = newSessionId();
  {
    RawWs ws(loop);
    ASSERT_TRUE(ws.open(node.wsUrl()) && ws.authenticate("test"));
    ws.send(chatSend("r-1", session, "/long 400"));
    ASSERT_TRUE(first(ws, "ack", "r-1").has_value());
    ws.send(chatSend("r-2", session, "/long 5"));
    ASSERT_TRUE(first(ws, "ack", "r-2").has_value());
    ASSERT_TRUE(first(ws, "chat.stream.delta", "r-1").has_value());
    node.stop(SIGKILL);
  }
  // The only node comes back under the same --node-id (a new run).
  ASSERT_EQ(node.start(), "");
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(node.wsUrl()) && ws.authenticate("test"));
  ws.send({{"type", "session.resume"}, {"id", "resume"}, {"sessionId", session}, {"lastSeq", 0}});
  auto closed = first(ws, "chat.stream.end", "r-1");
  ASSERT_TRUE(closed.has_value()) << node.output();
  EXPECT_EQ(closed->value("stopReason", ""), "error");
  auto ran = first(ws, "chat.stream.end", "r-2", 15s);
  ASSERT_TRUE(ran.has_value()) << "the send waiting at the kill never ran\n" << node.output();
  EXPECT_EQ(ran->value("stopReason", ""), "end");

  GatewayApi poll(loop, node.apiBase(), "test");
  const auto logged = poll.events(session);
  EXPECT_TRUE(seqsAreContiguous(logged));
  const auto turns = turnsOf(logged);
  ASSERT_EQ(turns.count("r-2"), 1u);
  EXPECT_EQ(turns.at("r-2").starts, 1);
  EXPECT_EQ(turns.at("r-2").ends, 1);
  EXPECT_EQ(turns.at("r-1").ends, 1);
}

}  // namespace
}  // namespace chat::itest
