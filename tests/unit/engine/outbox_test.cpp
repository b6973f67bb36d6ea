// The outbox: bounded, persisted, resent with the same ids until acked.
#include "core/net/outbox.h"
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

TEST(Outbox, RefusesWhenMessageCountIsReached) {
  net::Outbox box(2, 1 << 20);
  EXPECT_EQ(box.add(chatSend("a", "1")), "");
  EXPECT_EQ(box.add(chatSend("b", "2")), "");
  EXPECT_EQ(box.add(chatSend("c", "3")), "outbox full");
  EXPECT_EQ(box.size(), 2u);
  EXPECT_NE(box.find("a"), nullptr);
  EXPECT_NE(box.find("b"), nullptr);
}

TEST(Outbox, RefusesWhenByteBoundIsReached) {
  const std::size_t oneFrame = proto::encode(proto::ClientMessage{chatSend("a", "xxxx")}).size();
  net::Outbox box(100, oneFrame * 2);
  EXPECT_EQ(box.add(chatSend("a", "xxxx")), "");
  EXPECT_EQ(box.add(chatSend("b", "xxxx")), "");
  EXPECT_EQ(box.add(chatSend("c", "xxxx")), "outbox full");
  EXPECT_EQ(box.bytes(), oneFrame * 2);
  box.remove("a");
  EXPECT_EQ(box.add(chatSend("c", "xxxx")), "");
}

TEST(Outbox, SameIdIsQueuedOnce) {
  net::Outbox box(10, 1 << 20);
  EXPECT_EQ(box.add(chatSend("a", "1")), "");
  EXPECT_EQ(box.add(chatSend("a", "1")), "");
  EXPECT_EQ(box.size(), 1u);
}

TEST(Outbox, SerializesAndLoadsInOrder) {
  net::Outbox box(10, 1 << 20);
  box.add(chatSend("a", "one"));
  box.add(proto::ChatCancel{"b", "a"});
  box.add(chatSend("c", "three"));
  net::Outbox loaded(10, 1 << 20);
  loaded.load(box.serialize());
  ASSERT_EQ(loaded.size(), 3u);
  EXPECT_EQ(loaded.entries()[0].id, "a");
  EXPECT_EQ(loaded.entries()[1].id, "b");
  EXPECT_EQ(loaded.entries()[2].frame, box.entries()[2].frame);
}

TEST(Outbox, CorruptPersistedFormIsSkippedNotFatal) {
  net::Outbox box(10, 1 << 20);
  box.load("{not json");
  EXPECT_TRUE(box.empty());
  box.load(R"([{"type":"chat.send","id":"ok","content":"hi"},{"type":"nope"},42,"x"])");
  ASSERT_EQ(box.size(), 1u);
  EXPECT_EQ(box.entries()[0].id, "ok");
}

TEST(EngineOutbox, SendWhileLiveGoesOutAtOnceAndAckEmptiesIt) {
  Harness h;
  h.startLive();
  EXPECT_TRUE(h.engine->send(chatSend("c-1", "hello")).queued());
  EXPECT_EQ(h.engine->status().outboxSize, 1u);
  h.settle();
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  EXPECT_EQ(h.storage.data["chat.outbox"], "[]");
}

TEST(EngineOutbox, FullOutboxRefusesAndDropsNothing) {
  Harness h;
  h.cfg.outboxMaxMessages = 3;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.engine->send(chatSend("m" + std::to_string(i), "x")).queued());
  const net::SendResult full = h.engine->send(chatSend("m3", "x"));
  EXPECT_EQ(full.refusal, net::SendRefusal::OutboxFull);
  EXPECT_EQ(full.reason, "outbox full");
  EXPECT_EQ(h.engine->status().outboxSize, 3u);
  h.gateway.down = false;
  h.engine->retryNow();
  h.settle();
  EXPECT_EQ(h.gateway.userMessages, (std::vector<std::string>{"m0", "m1", "m2"}));
}

TEST(EngineOutbox, UnackedMessagesAreResentWithSameIdsInOrderAfterReconnect) {
  Harness h;
  h.cfg.apiBase = "";  // socket only: the resend must come from the outbox
  h.startLive();
  h.gateway.halfOpen = true;  // the frames vanish: no ack
  h.engine->send(chatSend("c-1", "one"));
  h.engine->send(chatSend("c-2", "two"));
  h.settle();
  EXPECT_EQ(h.engine->status().outboxSize, 2u);
  EXPECT_TRUE(h.gateway.userMessages.empty());
  h.gateway.halfOpen = false;
  h.gateway.dropSocket();
  h.run(1500);
  ASSERT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.gateway.userMessages, (std::vector<std::string>{"c-1", "c-2"}));
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  // The second socket carried auth, resume, then the two messages with their original ids.
  const auto& sent = h.ws.sockets[1].sent;
  ASSERT_GE(sent.size(), 4u);
  EXPECT_EQ(nlohmann::json::parse(sent[2])["id"], "c-1");
  EXPECT_EQ(nlohmann::json::parse(sent[3])["id"], "c-2");
}

TEST(EngineOutbox, LostAckMeansResendAndGatewayDedupAppliesOnce) {
  Harness h;
  h.cfg.apiBase = "";
  h.startLive();
  h.gateway.autoDeliver = false;
  h.engine->send(chatSend("c-1", "once"));
  h.gateway.pump();  // the gateway applies it; its ack is still queued
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  h.gateway.dropSocket();  // the ack is lost with the socket
  EXPECT_EQ(h.engine->status().outboxSize, 1u);
  h.gateway.autoDeliver = true;
  h.run(1500);
  ASSERT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  EXPECT_EQ(h.gateway.duplicateSends, 1);
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  EXPECT_EQ(h.gateway.log["s-test"].size(), 2u);  // session.created + one chat.message
}

TEST(EngineOutbox, SurvivesAReload) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  h.settle();
  h.engine->send(chatSend("c-1", "before reload"));
  h.engine->send(chatSend("c-2", "also"));
  h.engine.reset();  // the page goes away
  // A new engine on the same storage sends what was not acked, with the same ids.
  h.gateway.down = false;
  h.make();
  EXPECT_EQ(h.engine->pendingMessages().size(), 2u);
  EXPECT_EQ(h.engine->status().outboxSize, 2u);
  h.engine->start();
  h.settle();
  EXPECT_EQ(h.gateway.userMessages, (std::vector<std::string>{"c-1", "c-2"}));
  EXPECT_TRUE(h.engine->pendingMessages().empty());
}

TEST(EngineOutbox, RateLimitedMessageIsResentLater) {
  Harness h;
  h.cfg.apiBase = "";
  h.startLive();
  h.gateway.autoDeliver = false;
  h.engine->send(chatSend("c-1", "hi"));
  h.ws.takeSent();  // the gateway never reads it; it answers rate_limited instead
  proto::ErrorEvent limited;
  limited.requestId = "c-1";
  limited.code = "rate_limited";
  limited.message = "slow down";
  h.ws.deliver(proto::encode(proto::GatewayMessage{limited}));
  EXPECT_EQ(h.engine->status().outboxSize, 1u);
  h.gateway.autoDeliver = true;
  h.run(2500);
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
}

// `internal` means the gateway failed (its store away, say), not that the message is wrong: the
// message stays queued, nothing is shown as refused, and it is resent with growing backoff
// until it is applied, once.
TEST(EngineOutbox, InternalErrorKeepsTheMessageAndResendsItWithBackoff) {
  Harness h;
  h.cfg.apiBase = "";
  h.startLive();
  h.gateway.failSends = 3;
  h.engine->send(chatSend("c-1", "hi"));
  h.run(20000);
  ASSERT_EQ(h.gateway.failedSendTimes.size(), 3u);
  const std::vector<int64_t>& t = h.gateway.failedSendTimes;
  EXPECT_GE(t[1] - t[0], 1000);  // backoff 1 s, 2 s, ... (+ up to 30% jitter)
  EXPECT_GE(t[2] - t[1], 2000);
  EXPECT_GT(t[2] - t[1], t[1] - t[0]);
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);  // the fourth copy, once
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  EXPECT_TRUE(h.sink.errors.empty());  // never shown as refused
}

TEST(EngineOutbox, RefusedMessageLeavesTheOutbox) {
  Harness h;
  h.startLive();
  h.gateway.autoDeliver = false;
  h.engine->send(chatSend("c-1", "hi"));
  h.ws.takeSent();
  proto::ErrorEvent refused;
  refused.requestId = "c-1";
  refused.code = "too_large";
  refused.message = "too big";
  h.ws.deliver(proto::encode(proto::GatewayMessage{refused}));
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  ASSERT_EQ(h.sink.errors.size(), 1u);
  EXPECT_EQ(h.sink.errors[0].code, "too_large");
}

TEST(EngineOutbox, AuthAndInvalidIdsAreRefused) {
  Harness h;
  h.make();
  EXPECT_FALSE(h.engine->send(proto::Auth{"a", std::string("t"), std::nullopt}).queued());
  EXPECT_EQ(h.engine->send(chatSend("", "x")).refusal, net::SendRefusal::InvalidMessageId);
  EXPECT_EQ(h.engine->send(chatSend(std::string(65, 'a'), "x")).reason, "invalid message id");
  EXPECT_EQ(h.engine->send(proto::Ping{"p"}).refusal, net::SendRefusal::NotConnected);
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
}

}  // namespace
}  // namespace chat::testing
