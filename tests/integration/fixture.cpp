#include "fixture.h"

#include <set>

namespace chat::itest {

void GatewayTest::TearDown() {
  if (HasFailure() && gateway) {
    std::string out = gateway->output();
    if (out.size() > 6000) out = "...\n" + out.substr(out.size() - 6000);
    std::cerr << "---- gateway output ----\n" << out << "------------------------\n";
  }
}

bool GatewayTest::startGateway(GatewayOptions options) {
  gateway = std::make_unique<GatewayProcess>(std::move(options));
  const std::string error = gateway->start();
  if (!error.empty()) {
    ADD_FAILURE() << "gateway did not start: " << error;
    return false;
  }
  api_ = std::make_unique<GatewayApi>(loop, gateway->apiBase(), gateway->options().token);
  return true;
}

ClientSetup GatewayTest::direct(const std::string& sessionId) const {
  ClientSetup setup;
  setup.wsUrl = gateway->wsUrl();
  setup.apiBase = gateway->apiBase();
  setup.token = gateway->options().token;
  setup.sessionId = sessionId;
  return setup;
}

ClientSetup GatewayTest::via(const FaultProxy& proxy, const std::string& sessionId) const {
  ClientSetup setup = direct(sessionId);
  setup.wsUrl = proxy.wsUrl();
  setup.apiBase = proxy.apiBase();
  return setup;
}

GatewayApi& GatewayTest::api() { return *api_; }

void GatewayTest::expectTranscriptMatchesLog(const TestClient& client) {
  const auto events = api().events(client.sessionId());
  ASSERT_FALSE(events.empty()) << "the gateway logged nothing for " << client.sessionId();
  EXPECT_TRUE(seqsAreContiguous(events)) << "the gateway log has holes";
  const auto* session = client.session();
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->lastSeq, static_cast<int64_t>(events.size()));

  const auto turns = turnsOf(events);
  std::size_t replies = 0;
  for (const auto& [requestId, turn] : turns) {
    SCOPED_TRACE("turn " + requestId);
    EXPECT_EQ(turn.starts, 1);
    EXPECT_EQ(turn.ends, 1);
    const auto* user = client.userMessage(requestId);
    ASSERT_NE(user, nullptr) << "user message missing";
    EXPECT_EQ(user->content, turn.userContent);
    const auto* reply = client.reply(requestId);
    ASSERT_NE(reply, nullptr) << "reply missing";
    EXPECT_EQ(reply->status, core::MessageStatus::Complete);
    EXPECT_EQ(reply->content, turn.reply);
    EXPECT_EQ(reply->stopReason, turn.stopReason);
    EXPECT_LE(client.completions(core::Role::Assistant, requestId), 1)
        << "a reply must never be reported complete twice";
    ++replies;
  }
  std::size_t clientReplies = 0;
  for (const auto& m : session->messages) {
    if (m.role == core::Role::Assistant) ++clientReplies;
  }
  EXPECT_EQ(clientReplies, replies) << "the client shows replies the gateway never logged";
}

}  // namespace chat::itest
