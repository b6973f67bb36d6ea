// Turn leases across nodes (src/gateway/redis/redis_turn_leases.h) on a real redis-server: a
// renewed lease keeps its turn, a dead node's turn is closed once within twice the lease with
// stopReason "error" (and tool.error for its tool in flight), approvals and cancels reach the
// owner, and a node whose lease was taken is told to stop.
#include <gtest/gtest.h>

#include <chrono>

#include "core/protocol/codec.h"
#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_turn_leases.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::LoggedEvent;
using gateway::redis::RedisAppendResult;
using gateway::redis::RedisClient;
using gateway::redis::RedisEventLog;
using gateway::redis::RedisReadResult;
using gateway::redis::RedisTurnLeases;
using Clock = std::chrono::steady_clock;

// Long enough that a loaded machine's scheduling stalls (hundreds of ms with a dozen builds on
// two cores) do not expire a lease that is being renewed.
constexpr int64_t kLeaseMs = 1000;

struct LeaseNode {
  LeaseNode(AsioDriver& d, const RedisServer& server, const std::string& name)
      : client(d.ioc, endpointOf(server), quickOptions(name)),
        subscriber(d.ioc, endpointOf(server), quickOptions(name + "-sub")),
        log(d.ioc, client, name),
        leases(d.ioc, client, subscriber, log, name, kLeaseMs) {
    client.start();
    subscriber.start();
    leases.onRouted([this](const std::string& p) { routed.push_back(p); });
    leases.onLeaseLost([this](const std::string& r) { lost.push_back(r); });
    leases.onClosedOrphan([this](const std::string&, const std::string& r) { closed.push_back(r); });
    leases.start();
  }
  RedisClient client;
  RedisClient subscriber;
  RedisEventLog log;
  RedisTurnLeases leases;
  std::vector<std::string> routed, lost, closed;
};

bool claim(AsioDriver& d, LeaseNode& n, const std::string& sid, const std::string& req) {
  std::optional<bool> ok;
  n.leases.claim(sid, req, [&](bool b) { ok = b; });
  d.runUntil([&] { return ok.has_value(); });
  return ok.value_or(false);
}

std::vector<proto::GatewayMessage> logOf(AsioDriver& d, RedisEventLog& log, const std::string& sid) {
  std::optional<RedisReadResult> r;
  log.eventsAfter(sid, 0, 1000, [&](RedisReadResult x) { r = std::move(x); });
  d.runUntil([&] { return r.has_value(); });
  std::vector<proto::GatewayMessage> out;
  if (!r || !r->ok) return out;
  for (const auto& e : r->events) {
    auto m = proto::decodeGatewayMessage(std::string_view(e.json));
    if (m) out.push_back(m.value());
  }
  return out;
}

TEST(RedisTurnLeases, ARenewedLeaseKeepsItsTurnAndOnlyOneNodeHoldsIt) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  LeaseNode a(d, server, "a"), b(d, server, "b");
  ASSERT_TRUE(claim(d, a, "s", "turn-1"));
  EXPECT_FALSE(claim(d, b, "s", "turn-1"));  // one holder
  d.runFor(static_cast<int>(kLeaseMs * 3));   // renewed all along: nobody closes it
  EXPECT_TRUE(a.leases.owns("turn-1"));
  EXPECT_TRUE(b.closed.empty());
  EXPECT_TRUE(a.lost.empty());
  EXPECT_TRUE(logOf(d, b.log, "s").empty());
  a.leases.release("turn-1");
  d.runFor(static_cast<int>(kLeaseMs));
  EXPECT_TRUE(claim(d, b, "s", "turn-1"));  // free again once released
}

TEST(RedisTurnLeases, ADeadNodesTurnIsClosedOnceWithinTwiceTheLease) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  auto a = std::make_unique<LeaseNode>(d, server, "a");
  LeaseNode b(d, server, "b"), c(d, server, "c");
  ASSERT_TRUE(claim(d, *a, "s2", "turn-2"));
  std::optional<RedisAppendResult> start;
  a->log.append("s2", {proto::StreamStart{"", 0, "turn-2", "demo", std::nullopt}}, std::nullopt,
                [&](RedisAppendResult r) { start = std::move(r); });
  ASSERT_TRUE(d.runUntil([&] { return start.has_value(); }));
  a->leases.setTool("turn-2", "call-7", "shell");
  d.runFor(50);
  // Node A dies (no release, no more renewals).
  a.reset();
  auto died = Clock::now();
  ASSERT_TRUE(d.runUntil([&] { return b.closed.size() + c.closed.size() == 1; }, 10000));
  double closedAfterMs = std::chrono::duration<double, std::milli>(Clock::now() - died).count();
  EXPECT_LE(closedAfterMs, 2.0 * kLeaseMs + 100) << "closed " << closedAfterMs << " ms after the death";
  d.runFor(static_cast<int>(kLeaseMs));  // both sweep again: nobody closes it twice
  EXPECT_EQ(b.closed.size() + c.closed.size(), 1u);
  auto events = logOf(d, b.log, "s2");
  ASSERT_EQ(events.size(), 4u);  // start, tool.error, error, end
  const auto* toolError = std::get_if<proto::ToolError>(&events[1]);
  ASSERT_NE(toolError, nullptr);
  EXPECT_EQ(toolError->toolCallId, "call-7");
  EXPECT_EQ(toolError->toolName, "shell");
  const auto* error = std::get_if<proto::ErrorEvent>(&events[2]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, "internal");
  const auto* end = std::get_if<proto::StreamEnd>(&events[3]);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->requestId, "turn-2");
  EXPECT_EQ(end->stopReason, "error");
}

TEST(RedisTurnLeases, ApprovalsAndCancelsReachTheOwningNode) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  auto a = std::make_unique<LeaseNode>(d, server, "a");
  LeaseNode b(d, server, "b");
  ASSERT_TRUE(d.runUntil([&] { return a->subscriber.ready() && b.subscriber.ready(); }));
  d.runFor(30);  // the node channels' subscriptions are confirmed
  ASSERT_TRUE(claim(d, *a, "s3", "turn-3"));
  std::optional<bool> delivered;
  b.leases.sendToOwner("turn-3", "{\"type\":\"chat.cancel\",\"id\":\"c1\",\"requestId\":\"turn-3\"}",
                       [&](bool ok) { delivered = ok; });
  ASSERT_TRUE(d.runUntil([&] { return delivered.has_value() && !a->routed.empty(); }));
  EXPECT_TRUE(*delivered);
  EXPECT_EQ(a->routed.front(), "{\"type\":\"chat.cancel\",\"id\":\"c1\",\"requestId\":\"turn-3\"}");
  EXPECT_TRUE(b.routed.empty());
  // No holder: the sender learns nobody got it (the turn ended, or its node died).
  std::optional<bool> none;
  b.leases.sendToOwner("no-such-turn", "x", [&](bool ok) { none = ok; });
  ASSERT_TRUE(d.runUntil([&] { return none.has_value(); }));
  EXPECT_FALSE(*none);
}

TEST(RedisTurnLeases, ANodeWhoseLeaseWasTakenIsToldToStop) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  LeaseNode a(d, server, "a");
  ASSERT_TRUE(claim(d, a, "s4", "turn-4"));
  // As if A stalled past its lease and another node took the turn over.
  RedisClient admin(d.ioc, endpointOf(server), quickOptions("admin"));
  admin.start();
  EXPECT_EQ(runCommand(d, admin, {"SET", "chat:lease:turn-4", "someone-else"}).str, "OK");
  ASSERT_TRUE(d.runUntil([&] { return !a.lost.empty(); }, 3000));
  EXPECT_EQ(a.lost.front(), "turn-4");
  EXPECT_FALSE(a.leases.owns("turn-4"));
}

}  // namespace
}  // namespace chat::itest
