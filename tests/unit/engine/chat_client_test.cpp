// ChatClient: intents -> outbox, gateway events -> reducer -> state, observers, reloads.
#include <regex>

#include "core/client/chat_client.h"
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

using client::ChatClient;
using core::MessageStatus;
using core::Role;

// The session's messages in transcript (timeline) order.
std::vector<core::Message> transcript(const core::SessionState& s) {
  std::vector<core::Message> out;
  for (const core::Entry& e : s.timeline) {
    if (e.kind == core::EntryKind::Message) out.push_back(s.messages[e.index]);
  }
  return out;
}

struct ClientHarness {
  FakeClock clock;
  FakeRandom random = FakeRandom::seeded(7);
  FakeWebSocket ws;
  FakeHttp http{clock};
  FakeStorage storage;
  FakeGateway gateway{clock, ws, http};
  EngineConfig cfg = defaultConfig();
  std::unique_ptr<ChatClient> chat;

  std::vector<std::string> completed;  // "session/role/id"
  std::vector<core::ApprovalCard> approvals;
  int statusPushes = 0;

  ChatClient& make() {
    chat = std::make_unique<ChatClient>(cfg, clock, random, ws, http, storage);
    client::Observers o;
    o.onMessageComplete = [this](const std::string& s, const core::Message& m) {
      completed.push_back(s + "/" + (m.role == Role::User ? "user" : m.role == Role::Assistant ? "assistant" : "other") + "/" + m.id);
    };
    o.onApproval = [this](const std::string&, const core::ApprovalCard& c) { approvals.push_back(c); };
    o.onStatus = [this](const net::Status&) { ++statusPushes; };
    chat->setObservers(o);
    return *chat;
  }
  void settle() {
    for (int i = 0; i < 20; ++i) {
      chat->tick();
      gateway.pump();
    }
  }
  void run(int64_t ms) {
    for (int64_t t = 0; t < ms; t += 500) {
      clock.advance(500);
      settle();
    }
  }
  ChatClient& startLive() {
    if (!chat) make();
    chat->start();
    settle();
    EXPECT_EQ(chat->status().phase, Phase::Live);
    return *chat;
  }
  const core::SessionState& session(const std::string& id = "s-test") {
    return chat->state().sessions.at(id);
  }
};

TEST(ChatClient, StartsOnTheEnginesSession) {
  ClientHarness h;
  h.make();
  EXPECT_EQ(h.chat->state().currentSessionId, "s-test");
  EXPECT_EQ(h.chat->state().sessions.count("s-test"), 1u);
}

TEST(ChatClient, SendShowsSendingThenSentAndIdsHaveTheContractFormat) {
  ClientHarness h;
  h.startLive();
  h.gateway.autoDeliver = false;
  const std::string id = h.chat->send("hello");
  EXPECT_TRUE(std::regex_match(id, std::regex("c-[0-9a-z]+-[0-9a-f]{6}"))) << id;
  ASSERT_EQ(h.session().messages.size(), 1u);
  EXPECT_EQ(h.session().messages[0].status, MessageStatus::Sending);
  EXPECT_EQ(h.chat->status().outboxSize, 1u);
  h.gateway.pump();
  h.gateway.deliver(1);  // the ack
  EXPECT_EQ(h.session().messages[0].status, MessageStatus::Sent);
  EXPECT_EQ(h.completed, (std::vector<std::string>{"s-test/user/" + id}));
}

TEST(ChatClient, ATurnEndsWithTheAssistantReplyAndObserversFireOncePerMessage) {
  ClientHarness h;
  h.startLive();
  const std::string id = h.chat->send("question");
  h.settle();
  h.gateway.runAgentToEnd();
  h.settle();
  const auto& msgs = h.session().messages;
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].role, Role::User);
  EXPECT_EQ(msgs[0].status, MessageStatus::Sent);
  EXPECT_EQ(msgs[1].role, Role::Assistant);
  EXPECT_EQ(msgs[1].content, h.gateway.replyTextFor(id));
  // The user message completes once (ack and echo both confirm it), then the reply.
  EXPECT_EQ(h.completed, (std::vector<std::string>{"s-test/user/" + id, "s-test/assistant/" + id}));
}

TEST(ChatClient, IdsAreUniqueAcrossSends) {
  ClientHarness h;
  h.startLive();
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.insert(h.chat->send("m" + std::to_string(i)));
  EXPECT_EQ(ids.size(), 50u);
  EXPECT_EQ(ids.count(""), 0u);
}

TEST(ChatClient, OutboxFullMarksTheMessageFailedAndReturnsEmpty) {
  ClientHarness h;
  h.cfg.outboxMaxMessages = 1;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  EXPECT_NE(h.chat->send("first"), "");
  EXPECT_EQ(h.chat->send("second"), "");
  ASSERT_TRUE(h.chat->state().error.has_value());
  EXPECT_EQ(h.chat->state().error->text(), "outbox full");
  ASSERT_EQ(h.session().messages.size(), 2u);
  EXPECT_EQ(h.session().messages[1].status, MessageStatus::Failed);
  EXPECT_EQ(h.session().messages[0].status, MessageStatus::Sending);
}

TEST(ChatClient, InvalidTextIsRefusedWithAReason) {
  ClientHarness h;
  h.startLive();
  EXPECT_EQ(h.chat->send(""), "");
  EXPECT_TRUE(h.chat->state().error.has_value());
  EXPECT_EQ(h.chat->status().outboxSize, 0u);
}

TEST(ChatClient, NewSessionIsClientNamedAndResumed) {
  ClientHarness h;
  h.startLive();
  const std::string sid = h.chat->newSession();
  EXPECT_TRUE(std::regex_match(sid, std::regex("s-[0-9a-f]{16}"))) << sid;
  EXPECT_EQ(h.chat->state().currentSessionId, sid);
  h.settle();
  EXPECT_EQ(h.gateway.resumes.back(), sid + "@0");
  const std::string id = h.chat->send("in the new chat");
  h.settle();
  EXPECT_EQ(h.gateway.log[sid].size(), 2u);  // session.created + the echo
  EXPECT_EQ(h.session(sid).messages[0].id, id);
}

TEST(ChatClient, SwitchSessionRefusesInvalidIds) {
  ClientHarness h;
  h.startLive();
  EXPECT_EQ(h.chat->switchSession("no spaces allowed"), "");
  EXPECT_EQ(h.chat->state().currentSessionId, "s-test");
  EXPECT_TRUE(h.chat->state().error.has_value());
}

TEST(ChatClient, PendingMessagesAreRestoredAfterAReloadAndLandAfterTheHistory) {
  ClientHarness h;
  h.startLive();
  const std::string first = h.chat->send("before");
  h.settle();
  h.gateway.runAgentToEnd();
  h.settle();
  h.gateway.down = true;
  h.gateway.dropSocket();
  h.settle();
  const std::string pending = h.chat->send("typed while offline");
  h.chat.reset();  // reload: the transcript is gone, the outbox is not

  h.make();
  ASSERT_EQ(h.session().messages.size(), 1u);
  EXPECT_EQ(h.session().messages[0].id, pending);
  EXPECT_EQ(h.session().messages[0].status, MessageStatus::Sending);
  h.gateway.down = false;
  h.chat->start();
  h.settle();
  h.gateway.runAgentToEnd();
  h.settle();
  const auto msgs = transcript(h.session());
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0].id, first);
  EXPECT_EQ(msgs[1].role, Role::Assistant);
  EXPECT_EQ(msgs[2].id, pending);
  EXPECT_EQ(msgs[2].status, MessageStatus::Sent);
  EXPECT_EQ(msgs[3].content, h.gateway.replyTextFor(pending));
  EXPECT_EQ(h.gateway.applyCount[pending], 1);
}

TEST(ChatClient, ApprovalObserverFiresOnRequestAndResolution) {
  ClientHarness h;
  h.startLive();
  const std::string id = h.chat->send("run it");
  h.settle();
  proto::ToolApprovalRequest req;
  req.requestId = id;
  req.toolCallId = "tc-1";
  req.toolName = "shell";
  req.risk = "high";
  h.gateway.emit("s-test", req);
  h.settle();
  ASSERT_EQ(h.approvals.size(), 1u);
  EXPECT_EQ(h.approvals[0].status, core::ApprovalStatus::Pending);
  EXPECT_EQ(h.approvals[0].risk, "high");

  const std::string answer = h.chat->respondToApproval("tc-1", true, false);
  EXPECT_NE(answer, "");
  h.settle();
  EXPECT_EQ(h.gateway.applyCount[answer], 1);
  proto::ToolApprovalResolved resolved;
  resolved.toolCallId = "tc-1";
  resolved.approved = true;
  h.gateway.emit("s-test", resolved);
  h.settle();
  ASSERT_EQ(h.approvals.size(), 2u);
  EXPECT_EQ(h.approvals[1].status, core::ApprovalStatus::Approved);
  EXPECT_EQ(h.chat->respondToApproval("tc-1", false, false), "");  // already resolved
}

TEST(ChatClient, CancelTargetsTheStreamingRequest) {
  ClientHarness h;
  h.startLive();
  EXPECT_EQ(h.chat->cancel(), "");  // nothing streaming
  const std::string id = h.chat->send("long answer please");
  h.settle();
  h.gateway.stepAgent();  // stream.start
  h.settle();
  const std::string cancelId = h.chat->cancel();
  ASSERT_NE(cancelId, "");
  const auto& sent = h.ws.sockets.back().sent;
  const nlohmann::json last = nlohmann::json::parse(sent.back());
  EXPECT_EQ(last["type"], "chat.cancel");
  EXPECT_EQ(last["requestId"], id);
}

TEST(ChatClient, MessageRefusedOverHttpIsShownAsFailed) {
  ClientHarness h;
  h.startLive();
  h.gateway.acceptSockets = false;
  h.gateway.dropSocket();
  h.settle();
  const std::string id = h.chat->send("REJECT");
  h.settle();
  EXPECT_EQ(h.session().messages[0].id, id);
  EXPECT_EQ(h.session().messages[0].status, MessageStatus::Failed);
  EXPECT_EQ(h.chat->status().outboxSize, 0u);
}

TEST(ChatClient, StatusChangesReachObserversAndBumpTheVersion) {
  ClientHarness h;
  h.make();
  const uint64_t v0 = h.chat->version();
  h.chat->start();
  h.settle();
  EXPECT_GT(h.statusPushes, 0);
  EXPECT_GT(h.chat->version(), v0);
  const uint64_t v1 = h.chat->version();
  const int pushes = h.statusPushes;
  h.chat->tick();  // nothing changed
  EXPECT_EQ(h.chat->version(), v1);
  EXPECT_EQ(h.statusPushes, pushes);
  h.gateway.dropSocket();
  EXPECT_GT(h.chat->version(), v1);
  EXPECT_EQ(h.chat->status().phase, Phase::Waiting);
}

TEST(ChatClient, ObserverMaySendFromItsCallback) {
  ClientHarness h;
  h.make();
  std::string followUp;
  client::Observers o;
  o.onMessageComplete = [&](const std::string&, const core::Message& m) {
    if (m.role == Role::Assistant && followUp.empty()) followUp = h.chat->send("thanks");
  };
  h.chat->setObservers(o);
  h.startLive();
  h.chat->send("hi");
  h.settle();
  h.gateway.runAgentToEnd();
  h.settle();
  ASSERT_NE(followUp, "");
  EXPECT_EQ(h.gateway.applyCount[followUp], 1);
}

TEST(ChatClient, UnauthorizedThenNewCredentials) {
  ClientHarness h;
  h.cfg.token = "bad";
  h.make().start();
  h.settle();
  EXPECT_EQ(h.chat->status().phase, Phase::Unauthorized);
  h.chat->setCredentials("secret", "");
  h.settle();
  EXPECT_EQ(h.chat->status().phase, Phase::Live);
}

}  // namespace
}  // namespace chat::testing
