#include <gtest/gtest.h>

#include "web/logic/live_announcer.h"

using namespace chat;
using namespace chat::web;

namespace {

core::Message msg(const std::string& id, core::Role role, core::MessageStatus st, const std::string& text) {
  core::Message m;
  m.id = id;
  m.role = role;
  m.status = st;
  m.content = text;
  return m;
}

core::ChatState withSession(const std::string& id) {
  core::ChatState st;
  st.currentSessionId = id;
  st.sessions[id].sessionId = id;
  return st;
}

}  // namespace

TEST(LiveAnnouncer, HistoryIsNotReadOut) {
  core::ChatState st = withSession("s");
  for (int i = 0; i < 50; ++i)
    st.sessions["s"].messages.push_back(msg("m" + std::to_string(i), core::Role::User, core::MessageStatus::Sent, "old"));
  LiveAnnouncer a;
  EXPECT_TRUE(a.update(st).empty());
  EXPECT_TRUE(a.update(st).empty());
}

TEST(LiveAnnouncer, AnnouncesCompletedMessagesOnceNotPerDelta) {
  core::ChatState st = withSession("s");
  LiveAnnouncer a;
  a.update(st);
  auto& s = st.sessions["s"];
  s.messages.push_back(msg("c-1", core::Role::User, core::MessageStatus::Sending, "hello"));
  EXPECT_TRUE(a.update(st).empty());  // not sent yet
  s.messages[0].status = core::MessageStatus::Sent;
  auto out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "You: hello");
  EXPECT_FALSE(out[0].assertive);

  s.streaming = core::Streaming{"c-1", "demo", "Hi th", 3};
  // The reply holds its place from its first delta, but is not read out while it streams.
  s.messages.push_back(msg("c-1", core::Role::Assistant, core::MessageStatus::Streaming, ""));
  EXPECT_TRUE(a.update(st).empty());
  s.streaming.reset();
  s.messages.back().status = core::MessageStatus::Complete;
  s.messages.back().content = "Hi there";
  out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Assistant: Hi there");
  EXPECT_TRUE(a.update(st).empty());
}

TEST(LiveAnnouncer, ToolResultsAndApprovals) {
  core::ChatState st = withSession("s");
  LiveAnnouncer a;
  a.update(st);
  auto& s = st.sessions["s"];
  core::ApprovalCard ap;
  ap.toolCallId = "t1";
  ap.toolName = "shell";
  ap.risk = "high";
  s.approvals.push_back(ap);
  auto out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].assertive);
  EXPECT_NE(out[0].text.find("shell"), std::string::npos);
  EXPECT_NE(out[0].text.find("high"), std::string::npos);

  s.approvals[0].status = core::ApprovalStatus::Approved;
  core::ToolCard t;
  t.toolCallId = "t1";
  t.toolName = "shell";
  t.status = core::ToolStatus::Running;
  s.tools.push_back(t);
  out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Approved: shell");

  s.tools[0].status = core::ToolStatus::Completed;
  s.tools[0].result = "file.txt";
  out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Tool shell finished: file.txt");
  EXPECT_TRUE(a.update(st).empty());
}

TEST(LiveAnnouncer, BurstsKeepOnlyTheNewest) {
  core::ChatState st = withSession("s");
  LiveAnnouncer a(2);
  a.update(st);
  for (int i = 0; i < 10; ++i)
    st.sessions["s"].messages.push_back(msg("m" + std::to_string(i), core::Role::Assistant, core::MessageStatus::Complete, std::to_string(i)));
  auto out = a.update(st);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "Assistant: 8");
  EXPECT_EQ(out[1].text, "Assistant: 9");
}

TEST(LiveAnnouncer, SwitchingSessionsBaselinesTheNewOne) {
  core::ChatState st = withSession("a");
  LiveAnnouncer an;
  an.update(st);
  st.currentSessionId = "b";
  st.sessions["b"].messages.push_back(msg("x", core::Role::User, core::MessageStatus::Sent, "old"));
  EXPECT_TRUE(an.update(st).empty());
  st.sessions["b"].messages.push_back(msg("y", core::Role::Error, core::MessageStatus::Complete, "boom"));
  auto out = an.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "Error: boom");
}

TEST(LiveAnnouncer, LongTextIsClippedOnACharacterBoundary) {
  core::ChatState st = withSession("s");
  LiveAnnouncer a(4, 20);
  a.update(st);
  std::string text;
  for (int i = 0; i < 20; ++i) text += "\xE4\xBD\xA0";  // 3-byte characters
  st.sessions["s"].messages.push_back(msg("m", core::Role::System, core::MessageStatus::Complete, text));
  auto out = a.update(st);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LE(out[0].text.size(), 20u + 3u);
  EXPECT_EQ((out[0].text.size() - 3) % 3, 0u);  // whole characters, then the ellipsis
}
