// Turns are serialized per session: the echo of a chat.send is logged at once, its turn
// (chat.stream.start ... chat.stream.end) starts only when the session's previous turn has
// ended; different sessions run side by side; a turn cancelled while it waits still gets its
// start and end {cancelled} in its place; waiting turns survive a restart. The demo delay is 0
// and the io_context is polled, so nothing waits on real time.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/util.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
using namespace chat::gateway::test_support;
namespace proto = chat::proto;
using nlohmann::json;

namespace {


void steps(boost::asio::io_context& ioc, int n) {
  for (int i = 0; i < n; ++i) {
    ioc.restart();
    ioc.poll_one();
  }
}

std::vector<json> eventsOf(EventLog& log, const std::string& sessionId) {
  std::vector<json> out;
  for (const auto& e : log.eventsAfter(sessionId, 0, 1000000)) out.push_back(json::parse(e.json));
  return out;
}


proto::ChatCancel cancel(const std::string& id, const std::string& requestId) {
  proto::ChatCancel m;
  m.id = id;
  m.requestId = requestId;
  return m;
}

bool isTurnEvent(const json& e) {
  const std::string type = e["type"];
  return type.rfind("chat.stream.", 0) == 0 || type.rfind("tool.", 0) == 0 || type == "error";
}

// The requestIds of the turn events in log order, with runs collapsed: {"c-1","c-2"} when the
// two turns never interleave. tool.approval.resolved carries no requestId and is skipped.
std::vector<std::string> turnSequence(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (!isTurnEvent(e) || !e.contains("requestId")) continue;
    std::string id = e["requestId"];
    if (out.empty() || out.back() != id) out.push_back(id);
  }
  return out;
}

int countOf(const std::vector<json>& events, const std::string& type, const std::string& requestId) {
  int n = 0;
  for (const auto& e : events)
    n += e["type"] == type && e.value("requestId", std::string()) == requestId;
  return n;
}

// Seq of the first event of `type` with `requestId` (or messageId for chat.message); 0 if none.
int64_t seqOf(const std::vector<json>& events, const std::string& type, const std::string& id) {
  for (const auto& e : events) {
    if (e["type"] != type) continue;
    const char* key = type == "chat.message" ? "messageId" : "requestId";
    if (e.value(key, std::string()) == id) return e["seq"];
  }
  return 0;
}

std::string stopReasonOf(const std::vector<json>& events, const std::string& requestId) {
  for (const auto& e : events)
    if (e["type"] == "chat.stream.end" && e["requestId"] == requestId) return e["stopReason"];
  return "";
}

class TurnOrderTest : public ::testing::Test {
 protected:
  TurnOrderTest() : log_(":memory:"), core_(ioc_, log_, hub_, 0) {}
  std::vector<json> events(const std::string& sessionId) { return eventsOf(log_, sessionId); }

  boost::asio::io_context ioc_;
  EventLog log_;
  Hub hub_;
  GatewayCore core_;
};

}  // namespace

TEST_F(TurnOrderTest, ASecondSendIsEchoedAtOnceButItsTurnStartsAfterTheFirstEnds) {
  auto first = core_.handle(send("c-1", "s", "/long 20"));
  auto second = core_.handle(send("c-2", "s", "and then this"));
  EXPECT_EQ(json::parse(second.frames.at(0)), (json{{"type", "ack"}, {"requestId", "c-2"}}));

  auto e = events("s");
  EXPECT_GT(seqOf(e, "chat.message", "c-2"), 0) << "the echo is logged at once";
  EXPECT_GT(seqOf(e, "chat.stream.start", "c-1"), 0);
  EXPECT_EQ(countOf(e, "chat.stream.start", "c-2"), 0) << "its turn waits for c-1";
  EXPECT_EQ(core_.turns().running("s").value_or(""), "c-1");
  EXPECT_EQ(core_.turns().waiting("s"), 1u);
  EXPECT_EQ(log_.queuedTurns().size(), 1u);

  settle(ioc_);
  e = events("s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2"}));
  for (const char* id : {"c-1", "c-2"}) {
    EXPECT_EQ(countOf(e, "chat.stream.start", id), 1) << id;
    EXPECT_EQ(countOf(e, "chat.stream.end", id), 1) << id;
    EXPECT_EQ(stopReasonOf(e, id), "end") << id;
  }
  EXPECT_EQ(countOf(e, "chat.stream.delta", "c-1"), 20);
  EXPECT_LT(seqOf(e, "chat.stream.end", "c-1"), seqOf(e, "chat.stream.start", "c-2"));
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_EQ(e[i]["seq"], static_cast<int64_t>(i + 1));
  EXPECT_TRUE(log_.queuedTurns().empty());
  EXPECT_TRUE(log_.openTurns().empty());
  EXPECT_FALSE(core_.turns().running("s").has_value());
}

TEST_F(TurnOrderTest, ThreeSendsRunInSendOrder) {
  core_.handle(send("c-1", "s", "/long 5"));
  core_.handle(send("c-2", "s", "/tool time"));
  core_.handle(send("c-3", "s", "/markdown"));
  settle(ioc_);
  auto e = events("s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  // The echoes came first, in send order, before the second turn started.
  EXPECT_LT(seqOf(e, "chat.message", "c-3"), seqOf(e, "chat.stream.start", "c-2"));
}

TEST_F(TurnOrderTest, CancellingAWaitingTurnEndsItInItsPlaceWithStopReasonCancelled) {
  core_.handle(send("c-1", "s", "/long 30"));
  core_.handle(send("c-2", "s", "never mind"));
  core_.handle(send("c-3", "s", "third"));
  auto ack = core_.handle(cancel("c-4", "c-2"));
  EXPECT_EQ(json::parse(ack.frames.at(0)), (json{{"type", "ack"}, {"requestId", "c-4"}}));
  EXPECT_EQ(countOf(events("s"), "chat.stream.start", "c-2"), 0) << "not before its turn";
  EXPECT_EQ(core_.handle(cancel("c-4", "c-2")).frames, ack.frames);  // a resend: same ack

  settle(ioc_);
  auto e = events("s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  EXPECT_EQ(stopReasonOf(e, "c-1"), "end") << "the running turn is not the one cancelled";
  EXPECT_EQ(countOf(e, "chat.stream.start", "c-2"), 1);
  EXPECT_EQ(countOf(e, "chat.stream.end", "c-2"), 1);
  EXPECT_EQ(countOf(e, "chat.stream.delta", "c-2"), 0);
  EXPECT_EQ(stopReasonOf(e, "c-2"), "cancelled");
  EXPECT_EQ(seqOf(e, "chat.stream.start", "c-2") + 1, seqOf(e, "chat.stream.end", "c-2"));
  EXPECT_EQ(stopReasonOf(e, "c-3"), "end");
  EXPECT_TRUE(log_.queuedTurns().empty());
}

TEST_F(TurnOrderTest, ALaterTurnWaitsForAnApprovalAndInheritsASessionApproval) {
  core_.handle(send("c-1", "s", "/tool shell ls"));
  core_.handle(send("c-2", "s", "/tool shell pwd"));
  settle(ioc_);
  auto e = events("s");
  ASSERT_EQ(countOf(e, "tool.approval.request", "c-1"), 1);
  EXPECT_EQ(countOf(e, "chat.stream.start", "c-2"), 0) << "waits while c-1 waits for the user";
  std::string toolCallId;
  for (const auto& event : e)
    if (event["type"] == "tool.approval.request") toolCallId = event["toolCallId"];

  proto::ToolApprovalResponse ok;
  ok.id = "c-3";
  ok.toolCallId = toolCallId;
  ok.approved = true;
  ok.sessionApprove = true;
  EXPECT_FALSE(core_.handle(ok).isError);
  settle(ioc_);
  e = events("s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2"}));
  EXPECT_EQ(countOf(e, "tool.approval.request", "c-2"), 0) << "approved for the session";
  EXPECT_EQ(countOf(e, "tool.result", "c-2"), 1);
  EXPECT_EQ(stopReasonOf(e, "c-2"), "end");
}

TEST_F(TurnOrderTest, CancellingTheRunningTurnStartsTheNextOne) {
  core_.handle(send("c-1", "s", "/long 1000"));
  core_.handle(send("c-2", "s", "next"));
  steps(ioc_, 3);
  core_.handle(cancel("c-3", "c-1"));
  // The cancel's end and the next turn's start come at once, in that order.
  auto e = events("s");
  EXPECT_EQ(stopReasonOf(e, "c-1"), "cancelled");
  EXPECT_EQ(seqOf(e, "chat.stream.end", "c-1") + 1, seqOf(e, "chat.stream.start", "c-2"));
  settle(ioc_);
  EXPECT_EQ(stopReasonOf(events("s"), "c-2"), "end");
}

TEST_F(TurnOrderTest, DifferentSessionsStreamAtTheSameTime) {
  core_.handle(send("c-1", "s-a", "/long 50"));
  core_.handle(send("c-2", "s-b", "/long 50"));
  core_.commits().flush();  // a turn's first events join the group commit after its echo's
  EXPECT_EQ(countOf(events("s-a"), "chat.stream.start", "c-1"), 1);
  EXPECT_EQ(countOf(events("s-b"), "chat.stream.start", "c-2"), 1) << "s-b does not wait for s-a";
  steps(ioc_, 20);
  auto a = events("s-a");
  auto b = events("s-b");
  EXPECT_GT(countOf(a, "chat.stream.delta", "c-1"), 0);
  EXPECT_GT(countOf(b, "chat.stream.delta", "c-2"), 0);
  EXPECT_EQ(countOf(a, "chat.stream.end", "c-1"), 0) << "both are streaming at once";
  EXPECT_EQ(countOf(b, "chat.stream.end", "c-2"), 0);
  settle(ioc_);
  EXPECT_EQ(stopReasonOf(events("s-a"), "c-1"), "end");
  EXPECT_EQ(stopReasonOf(events("s-b"), "c-2"), "end");
}

TEST(TurnOrderRestart, WaitingTurnsOfAKilledGatewayRunAfterTheRestartInTheirOrder) {
  std::string path = ::testing::TempDir() + "/gw-turns-" + randomHex(4) + ".db";
  {
    // A gateway killed mid-stream: c-1 streams, c-2 waits, c-3 waits and was cancelled.
    EventLog log(path);
    boost::asio::io_context ioc;
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    core.handle(send("c-1", "s", "/long 1000"));
    core.handle(send("c-2", "s", "second"));
    core.handle(send("c-3", "s", "third"));
    core.handle(cancel("c-4", "c-3"));
    steps(ioc, 5);
    ASSERT_EQ(log.queuedTurns().size(), 2u);
  }  // no stopAllTurns: the process is simply gone

  EventLog log(path);
  boost::asio::io_context ioc;
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  EXPECT_EQ(core.closeInterruptedTurns(), 1u);
  EXPECT_EQ(core.resumeQueuedTurns(), 2u);
  settle(ioc);

  auto e = eventsOf(log, "s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  for (const char* id : {"c-1", "c-2", "c-3"}) {
    EXPECT_GT(seqOf(e, "chat.message", id), 0) << id;
    EXPECT_EQ(countOf(e, "chat.stream.start", id), 1) << id;
    EXPECT_EQ(countOf(e, "chat.stream.end", id), 1) << id;
  }
  EXPECT_EQ(stopReasonOf(e, "c-1"), "error");
  EXPECT_EQ(stopReasonOf(e, "c-2"), "end") << "the acked message is answered after the restart";
  EXPECT_EQ(stopReasonOf(e, "c-3"), "cancelled") << "the cancel survived the restart";
  EXPECT_TRUE(log.queuedTurns().empty());
  EXPECT_TRUE(log.openTurns().empty());

  // A resend of a send that was waiting is still applied once.
  auto before = log.lastSeq("s");
  EXPECT_FALSE(core.handle(send("c-2", "s", "second")).isError);
  settle(ioc);
  EXPECT_EQ(log.lastSeq("s"), before);
  EXPECT_EQ(core.resumeQueuedTurns(), 0u);
  std::remove(path.c_str());
}

TEST(TurnOrderRestart, ACleanShutdownLeavesWaitingTurnsForTheNextStart) {
  std::string path = ::testing::TempDir() + "/gw-turns-" + randomHex(4) + ".db";
  {
    EventLog log(path);
    boost::asio::io_context ioc;
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    core.handle(send("c-1", "s", "/long 1000"));
    core.handle(send("c-2", "s", "second"));
    steps(ioc, 3);
    core.stopAllTurns("gateway shutting down");
    settle(ioc);
    auto e = eventsOf(log, "s");
    EXPECT_EQ(stopReasonOf(e, "c-1"), "error");
    EXPECT_EQ(countOf(e, "chat.stream.start", "c-2"), 0) << "no new turn starts while stopping";
    core.handle(send("c-3", "s", "sent while stopping"));  // e.g. over HTTP: kept too
    EXPECT_EQ(countOf(eventsOf(log, "s"), "chat.stream.start", "c-3"), 0);
    EXPECT_EQ(log.queuedTurns().size(), 2u);
  }
  EventLog log(path);
  boost::asio::io_context ioc;
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  EXPECT_EQ(core.closeInterruptedTurns(), 0u);
  EXPECT_EQ(core.resumeQueuedTurns(), 2u);
  settle(ioc);
  auto e = eventsOf(log, "s");
  EXPECT_EQ(turnSequence(e), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  EXPECT_EQ(stopReasonOf(e, "c-2"), "end");
  EXPECT_EQ(stopReasonOf(e, "c-3"), "end");
  std::remove(path.c_str());
}
