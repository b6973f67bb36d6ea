// LiveAnnouncer while a session's history arrives in bulk after it became current: nothing of
// it is read out; once the load has ended, new messages are read as before.
#include <gtest/gtest.h>

#include "web/logic/live_announcer.h"

namespace chat::web {
namespace {

core::Message message(const std::string& id, core::Role role, const std::string& text) {
  core::Message m;
  m.id = id;
  m.role = role;
  m.status = role == core::Role::User ? core::MessageStatus::Sent : core::MessageStatus::Complete;
  m.content = text;
  return m;
}

void addTurns(core::SessionState& s, int turns) {
  for (int i = 0; i < turns; ++i) {
    const std::string n = std::to_string(s.messages.size());
    s.messages.push_back(message("u" + n, core::Role::User, "question " + n));
    s.messages.push_back(message("a" + n, core::Role::Assistant, "answer " + n));
  }
}

TEST(LiveAnnouncerHistory, AHistoryArrivingInPagesIsNotReadOut) {
  core::ChatState st;
  st.currentSessionId = "s";
  core::SessionState& s = st.sessions["s"];
  s.sessionId = "s";
  LiveAnnouncer a;
  EXPECT_TRUE(a.update(st, /*historyLoading=*/true).empty());  // empty: the load has begun
  for (int page = 0; page < 5; ++page) {
    addTurns(s, 250);
    EXPECT_TRUE(a.update(st, true).empty()) << "page " << page;
  }
  addTurns(s, 3);  // the socket's replay of the rest, applied before the load ended
  EXPECT_TRUE(a.update(st, false).empty()) << "the last part of the load is history too";

  addTurns(s, 1);  // live from here on
  const auto out = a.update(st, false);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "You: question 2506");
  EXPECT_EQ(out[1].text, "Assistant: answer 2506");
}

TEST(LiveAnnouncerHistory, ALaterReplayAfterAReconnectIsReadNewestFirstAsBefore) {
  core::ChatState st;
  st.currentSessionId = "s";
  st.sessions["s"].sessionId = "s";
  LiveAnnouncer a(/*maxPerUpdate=*/4);
  a.update(st, false);  // settled at once: nothing was loading
  addTurns(st.sessions["s"], 100);  // missed while away, replayed after a reconnect
  const auto out = a.update(st, true);
  ASSERT_EQ(out.size(), 4u) << "a burst is capped, not silenced";
  EXPECT_EQ(out[3].text, "Assistant: answer 198");
  EXPECT_EQ(out[0].text, "You: question 196");
}

TEST(LiveAnnouncerHistory, SwitchingSessionsStartsOverWithTheNewOnesLoad) {
  core::ChatState st;
  st.currentSessionId = "s";
  st.sessions["s"].sessionId = "s";
  LiveAnnouncer a;
  a.update(st, false);
  st.currentSessionId = "t";
  st.sessions["t"].sessionId = "t";
  EXPECT_TRUE(a.update(st, true).empty());
  addTurns(st.sessions["t"], 40);
  EXPECT_TRUE(a.update(st, true).empty());
  EXPECT_TRUE(a.update(st, false).empty());
  addTurns(st.sessions["t"], 1);
  EXPECT_EQ(a.update(st, false).size(), 2u);
}

}  // namespace
}  // namespace chat::web
