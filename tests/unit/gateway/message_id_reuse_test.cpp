// Review finding 7: a message id reused for a different message (another session, other
// content, another kind of message) was acked and silently not applied. It is answered
// `conflict` and applies nothing; a true resend is still acked once, also after a restart.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/message_id_use.h"
#include "gateway/util.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
namespace proto = chat::proto;
using nlohmann::json;

namespace {
class IdReuseTest : public ::testing::Test {
 protected:
  IdReuseTest() : log_(":memory:"), core_(ioc_, log_, hub_, 0) {}
  void settle() {
    for (int i = 0; i < 100000; ++i) {
      ioc_.restart();
      if (ioc_.poll() == 0) return;
    }
  }
  boost::asio::io_context ioc_;
  EventLog log_;
  Hub hub_;
  GatewayCore core_;
};

void expectConflict(const GatewayCore::Result& r, const std::string& id) {
  ASSERT_TRUE(r.isError) << (r.frames.empty() ? "" : r.frames.back());
  EXPECT_EQ(r.errorCode, "conflict");
  auto j = json::parse(r.frames.back());
  EXPECT_EQ(j["type"], "error");
  EXPECT_EQ(j["code"], "conflict");
  EXPECT_EQ(j["requestId"], id);
}
}  // namespace

TEST_F(IdReuseTest, AnIdReusedInAnotherSessionIsAConflictAndNotApplied) {
  ASSERT_FALSE(core_.handle(test_support::send("c-1", "s-a", "hello")).isError);
  settle();
  auto r = core_.handle(test_support::send("c-1", "s-b", "hello"));
  expectConflict(r, "c-1");
  settle();
  EXPECT_EQ(log_.lastSeq("s-b"), 0) << "nothing of the reused id reached the other session";
}

TEST_F(IdReuseTest, AnIdReusedWithOtherContentIsAConflict) {
  core_.handle(test_support::send("c-1", "s-a", "hello"));
  settle();
  auto before = log_.lastSeq("s-a");
  expectConflict(core_.handle(test_support::send("c-1", "s-a", "something else")), "c-1");
  EXPECT_EQ(log_.lastSeq("s-a"), before);
}

TEST_F(IdReuseTest, AnIdReusedWhileItsFirstUseWaitsForItsCommitIsAConflict) {
  std::optional<GatewayCore::Result> first, second;
  core_.handle(proto::ClientMessage{test_support::send("c-1", "s-a", "hello")},
               [&](GatewayCore::Result r) { first = std::move(r); });
  core_.handle(proto::ClientMessage{test_support::send("c-1", "s-b", "hello")},
               [&](GatewayCore::Result r) { second = std::move(r); });
  ASSERT_TRUE(second.has_value()) << "a conflict is answered at once";
  expectConflict(*second, "c-1");
  settle();
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->isError);
  EXPECT_EQ(log_.lastSeq("s-b"), 0);
}

TEST_F(IdReuseTest, AnIdOfAChatSendReusedForACancelIsAConflict) {
  core_.handle(test_support::send("c-1", "s-a", "hello"));
  settle();
  proto::ChatCancel cancel;
  cancel.id = "c-1";
  cancel.requestId = "c-1";
  expectConflict(core_.handle(cancel), "c-1");
}

TEST_F(IdReuseTest, AResendWithoutOrWithTheCreatedSessionIsStillTheSameMessage) {
  proto::ChatSend m;
  m.id = "c-new";
  m.content = "start a session";
  auto first = core_.handle(m);
  ASSERT_FALSE(first.isError);
  const std::string created = first.sessionId.value_or("");
  settle();
  auto again = core_.handle(m);
  EXPECT_FALSE(again.isError);
  EXPECT_EQ(again.sessionId.value_or(""), created);
  m.sessionId = created;
  EXPECT_FALSE(core_.handle(m).isError);
  m.sessionId = "s-other";
  expectConflict(core_.handle(m), "c-new");
}

TEST(IdReuse, TheFirstUseIsRememberedAcrossARestart) {
  std::string path = ::testing::TempDir() + "/gw-idreuse-" + randomHex(4) + ".db";
  {
    EventLog log(path);
    boost::asio::io_context ioc;
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    ASSERT_FALSE(core.handle(test_support::send("c-7", "s-7", "hi")).isError);
  }
  {
    EventLog log(path);
    boost::asio::io_context ioc;
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    EXPECT_FALSE(core.handle(test_support::send("c-7", "s-7", "hi")).isError);
    expectConflict(core.handle(test_support::send("c-7", "s-8", "hi")), "c-7");
    EXPECT_EQ(log.lastSeq("s-8"), 0);
  }
  std::remove(path.c_str());
}

TEST(IdReuse, RowsWrittenBeforeUsesWereRecordedStillAnswerResends) {
  std::string ack = encodeAck("c-1");
  auto legacy = decodeProcessedReply(ack);
  EXPECT_EQ(legacy.frame, ack);
  EXPECT_FALSE(legacy.use.has_value());
  auto current = decodeProcessedReply(encodeProcessedReply(ack, {"chat.send", "s-1", "d"}));
  EXPECT_EQ(current.frame, ack);
  ASSERT_TRUE(current.use.has_value());
  EXPECT_EQ(current.use->target, "s-1");
}
