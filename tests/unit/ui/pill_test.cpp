#include <gtest/gtest.h>

#include "ui/connection_pill.h"
#include "ui/footer.h"
#include "ui/header.h"
#include "ui/message_view.h"

namespace chat::ui {
namespace {

TEST(ConnectionPill, TextAndColourPerStatus) {
  net::Status s;
  s.phase = net::Phase::Live;
  s.health = net::Health::Full;
  EXPECT_EQ(connectionPill(s, 0).text, "Connected");
  EXPECT_EQ(connectionPill(s, 0).tone, PillTone::Green);
  EXPECT_FALSE(connectionPill(s, 0).showRetry);

  s.phase = net::Phase::Waiting;
  s.health = net::Health::Partial;
  s.polling = true;
  EXPECT_EQ(connectionPill(s, 3000).text, "Polling");
  EXPECT_EQ(connectionPill(s, 3000).tone, PillTone::Amber);

  s.health = net::Health::Disconnected;
  s.attempt = 3;
  const PillInfo down = connectionPill(s, 4200);
  EXPECT_EQ(down.text, "Disconnected \xE2\x80\x94 retry 3 in 5s");
  EXPECT_EQ(down.tone, PillTone::Red);
  EXPECT_TRUE(down.showRetry);
  EXPECT_TRUE(down.counting);

  s.phase = net::Phase::Unauthorized;
  const PillInfo unauth = connectionPill(s, 0);
  EXPECT_EQ(unauth.tone, PillTone::Red);
  EXPECT_NE(unauth.text.find("Unauthorized"), std::string::npos);
  EXPECT_FALSE(unauth.showRetry);

  s = net::Status{};
  s.phase = net::Phase::Connecting;
  EXPECT_EQ(connectionPill(s, 0).text, "Connecting\xE2\x80\xA6");
}

TEST(ConnectionPill, CountdownFollowsTheClockAndResetsPerAttempt) {
  RetryCountdown c;
  net::Status s;
  s.phase = net::Phase::Waiting;
  s.attempt = 1;
  s.nextRetryInMs = 2000;
  EXPECT_EQ(c.remainingMs(s, 10'000), 2000);
  EXPECT_EQ(c.remainingMs(s, 11'500), 500);
  EXPECT_EQ(c.remainingMs(s, 13'000), 0);
  s.attempt = 2;
  s.nextRetryInMs = 4000;
  EXPECT_EQ(c.remainingMs(s, 14'000), 4000);
  s.phase = net::Phase::Connecting;
  EXPECT_EQ(c.remainingMs(s, 15'000), 0);
}

TEST(Header, TitleAndModelFromState) {
  core::ChatState st;
  st.currentSessionId = "s-1";
  st.sessions["s-1"].sessionId = "s-1";
  st.currentModel = "demo-model";
  net::Status s;
  HeaderModel h = headerModel(st, s, 0);
  EXPECT_EQ(h.title, "New chat");
  EXPECT_EQ(h.model, "demo-model");
  st.sessions["s-1"].title = "Trip plans";
  EXPECT_EQ(headerModel(st, s, 0).title, "Trip plans");
}

TEST(Header, ModelPickerShowsTheSessionsPickElseTheDefault) {
  core::ChatState st;
  st.currentSessionId = "s-1";
  st.sessions["s-1"].sessionId = "s-1";
  net::Status s;
  EXPECT_TRUE(headerModel(st, s, 0).models.empty());  // no list yet: no picker
  st.models = {"demo-1"};
  EXPECT_TRUE(headerModel(st, s, 0).models.empty());  // one model: nothing to pick
  st.models = {"fake-model", "fake-reasoner"};
  HeaderModel h = headerModel(st, s, 0);
  EXPECT_EQ(h.models, st.models);
  EXPECT_EQ(h.chosenModel, "fake-model");
  st.sessions["s-1"].model = "fake-reasoner";
  EXPECT_EQ(headerModel(st, s, 0).chosenModel, "fake-reasoner");
}

TEST(Footer, CostOfRepliesWithoutAPriceIsUnknownNotZero) {
  core::SessionState s;
  s.totalUsage = proto::Usage{1, 2, 3};
  EXPECT_NE(usageText(&s).find("$0"), std::string::npos);  // nothing unknown: a real $0
  s.unpricedReplies = 1;
  EXPECT_NE(usageText(&s).find("cost unknown"), std::string::npos) << usageText(&s);
  EXPECT_EQ(usageText(&s).find("$0"), std::string::npos) << usageText(&s);
  s.totalCost = proto::Cost{0.01, 0.02, 0.03};
  EXPECT_NE(usageText(&s).find("+ unknown"), std::string::npos) << usageText(&s);
}

TEST(MessageNote, SaysSendingFailedStoppedOrUsage) {
  core::Message m;
  m.role = core::Role::User;
  m.status = core::MessageStatus::Sending;
  EXPECT_EQ(messageNote(MessageModel{&m, m.content, false, {}}), "sending\xE2\x80\xA6");
  m.status = core::MessageStatus::Failed;
  m.error = "outbox full";
  EXPECT_EQ(messageNote(MessageModel{&m, m.content, false, {}}), "failed: outbox full");
  m.status = core::MessageStatus::Sent;
  EXPECT_EQ(messageNote(MessageModel{&m, m.content, false, {}}), "");

  core::Message r;
  r.role = core::Role::Assistant;
  r.model = "demo";
  r.usage = proto::Usage{12, 34, 46};
  r.cost = proto::Cost{0, 0, 0.0012};
  r.stopReason = "end";
  const std::string note = messageNote(MessageModel{&r, r.content, false, {}});
  EXPECT_NE(note.find("demo"), std::string::npos);
  EXPECT_NE(note.find("12 in / 34 out"), std::string::npos);
  EXPECT_NE(note.find("$0.0012"), std::string::npos);
  // A model without a price: the cost is unknown, not $0.
  r.cost.reset();
  const std::string unpriced = messageNote(MessageModel{&r, r.content, false, {}});
  EXPECT_NE(unpriced.find("cost unknown"), std::string::npos) << unpriced;
  EXPECT_EQ(unpriced.find("$0"), std::string::npos) << unpriced;
  r.stopReason = "cancelled";
  EXPECT_EQ(messageNote(MessageModel{&r, r.content, false, {}}).rfind("stopped", 0), 0u);
  EXPECT_EQ(messageNote(MessageModel{&r, r.content, true, {}}), "");  // streaming: no note yet
}

}  // namespace
}  // namespace chat::ui
