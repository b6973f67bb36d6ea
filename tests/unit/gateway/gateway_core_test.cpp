// The transport-independent core: dedup of client ids, session creation, approvals, cancel,
// and the closing of turns a killed gateway left open. The demo delay is 0 and the io_context
// is polled, so nothing waits on real time.
#include <gtest/gtest.h>

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
namespace proto = chat::proto;
using nlohmann::json;

namespace {
class CoreTest : public ::testing::Test {
 protected:
  CoreTest() : log_(":memory:"), core_(ioc_, log_, hub_, 0) {}

  // Runs the demo agent's zero-delay steps until nothing is left to do.
  void settle() {
    for (int i = 0; i < 100000; ++i) {
      ioc_.restart();
      if (ioc_.poll() == 0) return;
    }
  }
  std::vector<json> events(const std::string& sessionId) {
    std::vector<json> out;
    for (const auto& e : log_.eventsAfter(sessionId, 0, 100000)) out.push_back(json::parse(e.json));
    return out;
  }
  static proto::ChatSend send(const std::string& id, const std::string& session,
                              const std::string& content) {
    return test_support::send(id, session, content);
  }
  static int count(const std::vector<json>& events, const std::string& type) {
    int n = 0;
    for (const auto& e : events) n += e["type"] == type;
    return n;
  }

  boost::asio::io_context ioc_;
  EventLog log_;
  Hub hub_;
  GatewayCore core_;
};
}  // namespace

TEST_F(CoreTest, ChatSendCreatesTheSessionAndStreamsAReply) {
  auto r = core_.handle(send("c-1", "s-1", "hello"));
  ASSERT_FALSE(r.isError);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(json::parse(r.frames[0]), (json{{"type", "ack"}, {"requestId", "c-1"}}));
  EXPECT_EQ(r.sessionId.value_or(""), "s-1");
  EXPECT_EQ(r.fromSeq, 0);
  settle();
  auto e = events("s-1");
  ASSERT_GE(e.size(), 4u);
  EXPECT_EQ(e[0]["type"], "session.created");
  EXPECT_EQ(e[1]["type"], "chat.message");
  EXPECT_EQ(e[1]["messageId"], "c-1");
  EXPECT_EQ(e[1]["content"], "hello");
  EXPECT_EQ(e[2]["type"], "chat.stream.start");
  EXPECT_EQ(e.back()["type"], "chat.stream.end");
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_EQ(e[i]["seq"], static_cast<int64_t>(i + 1));
  EXPECT_TRUE(log_.openTurns().empty());
}

TEST_F(CoreTest, AResentIdGetsTheSameAckAndNoSecondEffect) {
  auto first = core_.handle(send("c-1", "s-1", "hello"));
  settle();
  auto before = log_.lastSeq("s-1");
  auto again = core_.handle(send("c-1", "s-1", "hello"));
  settle();
  EXPECT_EQ(again.frames, first.frames);
  EXPECT_EQ(log_.lastSeq("s-1"), before);
  EXPECT_EQ(count(events("s-1"), "chat.message"), 1);
}

TEST_F(CoreTest, DedupSurvivesARestartOnTheSameFile) {
  std::string path = ::testing::TempDir() + "/gw-core-" + randomHex(4) + ".db";
  {
    EventLog log(path);
    boost::asio::io_context ioc;
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    core.handle(send("c-7", "s-7", "hi"));
  }
  EventLog log(path);
  boost::asio::io_context ioc;
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  auto before = log.lastSeq("s-7");
  auto again = core.handle(send("c-7", "s-7", "hi"));
  EXPECT_FALSE(again.isError);
  EXPECT_EQ(json::parse(again.frames[0])["type"], "ack");
  EXPECT_EQ(log.lastSeq("s-7"), before);
  std::remove(path.c_str());
}

TEST_F(CoreTest, WithoutSessionIdTheGatewayNamesTheSession) {
  proto::ChatSend m;
  m.id = "c-1";
  m.content = "hi";
  auto r = core_.handle(m);
  ASSERT_TRUE(r.sessionId.has_value());
  EXPECT_EQ(r.sessionId->rfind("s-", 0), 0u);
  EXPECT_EQ(r.sessionId->size(), 2u + 2 * kSecretBytes);  // a session key: 128 random bits
  EXPECT_TRUE(log_.sessionExists(*r.sessionId));
}

TEST_F(CoreTest, RejectsABadSessionIdWithBadRequest) {
  auto r = core_.handle(send("c-1", "bad id!", "hi"));
  EXPECT_TRUE(r.isError);
  EXPECT_EQ(r.errorCode, "bad_request");
  auto j = json::parse(r.frames.back());
  EXPECT_EQ(j["requestId"], "c-1");
  EXPECT_EQ(log_.listSessions(true).size(), 0u);
}

TEST_F(CoreTest, ApprovalFlowAndUnknownToolCall) {
  core_.handle(send("c-1", "s", "/tool shell ls"));
  settle();
  auto e = events("s");
  ASSERT_EQ(e.back()["type"], "tool.approval.request");
  std::string toolCallId = e.back()["toolCallId"];

  proto::ToolApprovalResponse unknown;
  unknown.id = "c-2";
  unknown.toolCallId = "tc-nope";
  unknown.approved = true;
  auto nf = core_.handle(unknown);
  EXPECT_TRUE(nf.isError);
  EXPECT_EQ(nf.errorCode, "not_found");

  proto::ToolApprovalResponse ok;
  ok.id = "c-3";
  ok.toolCallId = toolCallId;
  ok.approved = true;
  ok.sessionApprove = true;
  EXPECT_FALSE(core_.handle(ok).isError);
  EXPECT_FALSE(core_.handle(ok).isError);  // a resend: same ack, no second effect
  settle();
  e = events("s");
  EXPECT_EQ(count(e, "tool.approval.resolved"), 1);
  EXPECT_EQ(count(e, "tool.result"), 1);
  EXPECT_EQ(e.back()["type"], "chat.stream.end");

  // Approved for the session: the next shell call asks no more.
  core_.handle(send("c-4", "s", "/tool shell pwd"));
  settle();
  e = events("s");
  EXPECT_EQ(count(e, "tool.approval.request"), 1);
  EXPECT_EQ(count(e, "tool.result"), 2);
}

TEST_F(CoreTest, CancelStopsTheStreamWithStopReasonCancelled) {
  core_.handle(send("c-1", "s", "/long 1000"));
  ioc_.restart();
  ioc_.poll_one();
  proto::ChatCancel cancel;
  cancel.id = "c-2";
  cancel.requestId = "c-1";
  auto r = core_.handle(cancel);
  EXPECT_EQ(json::parse(r.frames[0])["type"], "ack");
  settle();
  auto e = events("s");
  EXPECT_EQ(count(e, "chat.stream.end"), 1);
  EXPECT_EQ(e.back()["stopReason"], "cancelled");
  EXPECT_LT(count(e, "chat.stream.delta"), 1000);
  // Cancelling a finished turn is harmless.
  cancel.id = "c-3";
  EXPECT_FALSE(core_.handle(cancel).isError);
}

// The session list (session.list, thread.list) is the SessionManager's (session_manager_test).
TEST_F(CoreTest, PingAndResume) {
  proto::Ping ping;
  ping.id = "c-3";
  auto p = core_.handle(ping);
  EXPECT_EQ(json::parse(p.frames.back()), (json{{"type", "pong"}, {"requestId", "c-3"}}));

  proto::SessionResume resume;
  resume.id = "c-4";
  resume.sessionId = "s-unknown";
  auto resumed = json::parse(core_.handle(resume).frames.back());
  EXPECT_EQ(resumed["type"], "session.resumed");
  EXPECT_EQ(resumed["lastSeq"], 0);
}

TEST_F(CoreTest, TurnsLeftOpenByAKilledProcessAreClosedWithAnError) {
  // What a process killed mid-stream leaves: a start, a tool in flight, no end.
  proto::ToolCall call;
  call.requestId = "c-1";
  call.toolCallId = "tc-1";
  call.toolName = "shell";
  log_.append("s", {proto::StreamStart{"", 0, "c-1", "", std::nullopt}, call}, 1);
  EXPECT_EQ(core_.closeInterruptedTurns(), 1u);
  auto e = events("s");
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[2]["type"], "tool.error");
  EXPECT_EQ(e[2]["toolCallId"], "tc-1");
  EXPECT_EQ(e[3]["type"], "error");
  EXPECT_EQ(e[3]["message"], "interrupted by gateway restart");
  EXPECT_EQ(e[4]["type"], "chat.stream.end");
  EXPECT_EQ(e[4]["stopReason"], "error");
  EXPECT_EQ(e[4]["requestId"], "c-1");
  EXPECT_TRUE(log_.openTurns().empty());
  EXPECT_EQ(core_.closeInterruptedTurns(), 0u);
}

TEST(CoreRestart, ApprovedForTheSessionIsRememberedAfterARestart) {
  std::string path = ::testing::TempDir() + "/gw-approve-" + randomHex(4) + ".db";
  auto settleIo = [](boost::asio::io_context& ioc) {
    for (int i = 0; i < 100000; ++i) {
      ioc.restart();
      if (ioc.poll() == 0) return;
    }
  };
  auto sendMsg = [](const std::string& id, const std::string& session, const std::string& text) {
    proto::ChatSend m;
    m.id = id;
    m.sessionId = session;
    m.content = text;
    return m;
  };
  auto countIn = [](EventLog& log, const std::string& session, const std::string& type) {
    int n = 0;
    for (const auto& e : log.eventsAfter(session, 0, 100000)) n += json::parse(e.json)["type"] == type;
    return n;
  };
  {
    boost::asio::io_context ioc;
    EventLog log(path);
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    core.handle(sendMsg("c-1", "s", "/tool shell ls"));
    core.handle(sendMsg("c-5", "s-other", "/tool shell ls"));
    settleIo(ioc);
    auto stored = log.eventsAfter("s", 0, 1000);
    auto request = json::parse(stored.back().json);
    ASSERT_EQ(request["type"], "tool.approval.request");
    proto::ToolApprovalResponse ok;
    ok.id = "c-2";
    ok.toolCallId = request["toolCallId"];
    ok.approved = true;
    ok.sessionApprove = true;
    EXPECT_FALSE(core.handle(ok).isError);
    settleIo(ioc);
    EXPECT_EQ(countIn(log, "s", "chat.stream.end"), 1);
  }
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  core.closeInterruptedTurns();  // s-other's turn, left waiting for its approval
  core.handle(sendMsg("c-3", "s", "/tool shell pwd"));
  settleIo(ioc);
  EXPECT_EQ(countIn(log, "s", "tool.approval.request"), 1) << "the restart asked again";
  EXPECT_EQ(countIn(log, "s", "tool.result"), 2);
  // Approved for that session only.
  core.handle(sendMsg("c-4", "s-other", "/tool shell pwd"));
  settleIo(ioc);
  EXPECT_EQ(countIn(log, "s-other", "tool.approval.request"), 2);
  std::remove(path.c_str());
}
