#include <gtest/gtest.h>

#include "announcer_feed.h"

using namespace chat;
using namespace chat::web;
using chat::web::testing::AnnouncerFeed;

TEST(LiveAnnouncer, HistoryIsNotReadOut) {
  AnnouncerFeed f;
  f.open("s");
  for (int i = 0; i < 50; ++i) f.chatMessage("s", "m" + std::to_string(i), "user", "old");
  EXPECT_TRUE(f.take().empty());
  EXPECT_TRUE(f.take().empty());
}

TEST(LiveAnnouncer, AnnouncesCompletedMessagesOnceNotPerDelta) {
  AnnouncerFeed f;
  f.open("s");
  f.take();
  f.intent(core::sendMessage(std::move(f.state), "c-1", "hello", 5000));
  EXPECT_TRUE(f.take().empty());  // not sent yet
  f.apply(proto::Ack{"c-1"});
  auto out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "You: hello");
  EXPECT_FALSE(out[0].assertive);

  f.apply(proto::StreamStart{"s", f.next("s"), "c-1", "demo", std::nullopt});
  f.apply(proto::StreamDelta{"s", f.next("s"), "c-1", "Hi th"});
  // The reply holds its place from its first delta, but is not read out while it streams.
  EXPECT_TRUE(f.take().empty());
  f.apply(proto::StreamDelta{"s", f.next("s"), "c-1", "ere"});
  f.apply(proto::StreamEnd{"s", f.next("s"), "c-1", {}, {}, "end"});
  out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Assistant: Hi there");
  EXPECT_TRUE(f.take().empty());
}

TEST(LiveAnnouncer, ToolResultsAndApprovals) {
  AnnouncerFeed f;
  f.open("s");
  f.take();
  f.apply(proto::ToolApprovalRequest{"s", f.next("s"), "c-1", "t1", "shell", nlohmann::json::object(),
                                     std::string("high")});
  auto out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].assertive);
  EXPECT_NE(out[0].text.find("shell"), std::string::npos);
  EXPECT_NE(out[0].text.find("high"), std::string::npos);
  EXPECT_NE(out[0].text.find("Press Alt+A to answer it"), std::string::npos);  // the way to it

  f.apply(proto::ToolApprovalResolved{"s", f.next("s"), "t1", true, false});
  f.apply(proto::ToolCall{"s", f.next("s"), "c-1", "t1", "shell", nlohmann::json::object()});
  out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Approved: shell");

  f.apply(proto::ToolResult{"s", f.next("s"), "c-1", "t1", "shell", "file.txt"});
  out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Tool shell finished: file.txt");
  EXPECT_TRUE(f.take().empty());
}

TEST(LiveAnnouncer, BurstsKeepOnlyTheNewest) {
  AnnouncerFeed f(LiveAnnouncer(2));
  f.open("s");
  f.take();
  for (int i = 0; i < 10; ++i) f.chatMessage("s", "m" + std::to_string(i), "assistant", std::to_string(i));
  auto out = f.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "Assistant: 8");
  EXPECT_EQ(out[1].text, "Assistant: 9");
}

TEST(LiveAnnouncer, SwitchingSessionsBaselinesTheNewOne) {
  AnnouncerFeed f;
  f.open("a");
  f.take();
  f.open("b");
  f.chatMessage("b", "x", "user", "old");
  EXPECT_TRUE(f.take().empty());
  proto::ErrorEvent boom;
  boom.message = "boom";
  boom.sessionId = "b";
  boom.seq = f.next("b");
  f.apply(boom);
  auto out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Error: boom");
}

TEST(LiveAnnouncer, LongTextIsClippedOnACharacterBoundary) {
  AnnouncerFeed f(LiveAnnouncer(4, 20));
  f.open("s");
  f.take();
  std::string text;
  for (int i = 0; i < 20; ++i) text += "\xE4\xBD\xA0";  // 3-byte characters
  f.chatMessage("s", "m", "system", text);
  auto out = f.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LE(out[0].text.size(), 20u + 3u);
  EXPECT_EQ((out[0].text.size() - 3) % 3, 0u);  // whole characters, then the ellipsis
}
