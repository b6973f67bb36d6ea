// LiveAnnouncer while a session's history arrives in bulk after it became current: nothing of
// it is read out; once the load has ended, new messages are read as before.
#include <gtest/gtest.h>

#include "announcer_feed.h"

namespace chat::web {
namespace {

using testing::AnnouncerFeed;

TEST(LiveAnnouncerHistory, AHistoryArrivingInPagesIsNotReadOut) {
  AnnouncerFeed f;
  f.open("s");
  EXPECT_TRUE(f.take(/*historyLoading=*/true).empty());  // empty: the load has begun
  for (int page = 0; page < 5; ++page) {
    f.turns("s", 250);
    EXPECT_TRUE(f.take(true).empty()) << "page " << page;
  }
  f.turns("s", 3);  // the socket's replay of the rest, applied before the load ended
  EXPECT_TRUE(f.take(false).empty()) << "the last part of the load is history too";

  f.turns("s", 1);  // live from here on
  const auto out = f.take(false);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "You: question 2506");
  EXPECT_EQ(out[1].text, "Assistant: answer 2506");
}

TEST(LiveAnnouncerHistory, ALaterReplayAfterAReconnectIsReadNewestFirstAsBefore) {
  AnnouncerFeed f(LiveAnnouncer(/*maxPerUpdate=*/4));
  f.open("s");
  f.take(false);  // settled at once: nothing was loading
  f.turns("s", 100);  // missed while away, replayed after a reconnect
  const auto out = f.take(true);
  ASSERT_EQ(out.size(), 4u) << "a burst is capped, not silenced";
  EXPECT_EQ(out[3].text, "Assistant: answer 198");
  EXPECT_EQ(out[0].text, "You: question 196");
}

TEST(LiveAnnouncerHistory, SwitchingSessionsStartsOverWithTheNewOnesLoad) {
  AnnouncerFeed f;
  f.open("s");
  f.take(false);
  f.open("t");
  EXPECT_TRUE(f.take(true).empty());
  f.turns("t", 40);
  EXPECT_TRUE(f.take(true).empty());
  EXPECT_TRUE(f.take(false).empty());
  f.turns("t", 1);
  EXPECT_EQ(f.take(false).size(), 2u);
}

}  // namespace
}  // namespace chat::web
