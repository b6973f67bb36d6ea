#include <gtest/gtest.h>

#include "page/snapshot.h"

using namespace chat;
using namespace chat::web;

namespace {

core::ChatState sampleState() {
  core::ChatState st;
  st.currentSessionId = "s-1";
  core::SessionState& s = st.sessions["s-1"];
  s.sessionId = "s-1";
  core::Message u;
  u.id = "c-1";
  u.role = core::Role::User;
  u.status = core::MessageStatus::Sent;
  u.content = "hello";
  core::Message a;
  a.id = "c-1";
  a.role = core::Role::Assistant;
  a.status = core::MessageStatus::Complete;
  a.content = "hi there";
  a.stopReason = "end";
  s.messages = {u, a};
  s.timeline = {{core::EntryKind::Message, 0}, {core::EntryKind::Message, 1}};
  core::ToolCard t;
  t.toolCallId = "t-1";
  t.toolName = "shell";
  t.status = core::ToolStatus::Completed;
  t.output = "a\nb\n";
  t.result = {{"exitCode", 0}};
  s.tools.push_back(t);
  core::ApprovalCard ap;
  ap.toolCallId = "t-1";
  ap.toolName = "shell";
  ap.risk = "high";
  ap.status = core::ApprovalStatus::Approved;
  s.approvals.push_back(ap);
  // The reply streaming now: its first delta made its message, which holds the text so far.
  s.streaming = core::Streaming{"c-2", "demo", 7};
  core::Message r;
  r.id = r.requestId = "c-2";
  r.role = core::Role::Assistant;
  r.status = core::MessageStatus::Streaming;
  r.content = "partial te";
  s.messageById["reply:c-2"] = s.messages.size();
  s.timeline.push_back({core::EntryKind::Message, s.messages.size()});
  s.messages.push_back(r);
  return st;
}

}  // namespace

TEST(Snapshot, StatusNames) {
  net::Status s;
  s.health = net::Health::Full;
  s.phase = net::Phase::Live;
  EXPECT_STREQ(statusName(s), "full");
  s.health = net::Health::Partial;
  EXPECT_STREQ(statusName(s), "partial");
  s.health = net::Health::Disconnected;
  EXPECT_STREQ(statusName(s), "disconnected");
  s.phase = net::Phase::Unauthorized;
  EXPECT_STREQ(statusName(s), "unauthorized");
}

TEST(Snapshot, StatusDetail) {
  net::Status s;
  s.phase = net::Phase::Waiting;
  s.health = net::Health::Partial;
  s.polling = true;
  s.attempt = 3;
  s.nextRetryInMs = 4200;
  auto j = statusJson(s);
  EXPECT_EQ(j["status"], "partial");
  EXPECT_EQ(j["polling"], true);
  EXPECT_EQ(j["attempt"], 3);
  EXPECT_EQ(j["nextRetryInMs"], 4200);
}

TEST(Snapshot, CurrentSessionAsPlainData) {
  net::Status status;
  status.health = net::Health::Full;
  status.phase = net::Phase::Live;
  auto j = snapshotJson(sampleState(), status);
  EXPECT_EQ(j["status"], "full");
  EXPECT_EQ(j["sessionId"], "s-1");
  EXPECT_EQ(j["streaming"], true);
  EXPECT_EQ(j["streamingText"], "partial te");
  ASSERT_EQ(j["messages"].size(), 3u);
  EXPECT_EQ(j["messages"][2]["status"], "streaming");
  EXPECT_EQ(j["messages"][2]["content"], "partial te");
  EXPECT_EQ(j["messages"][0]["role"], "user");
  EXPECT_EQ(j["messages"][0]["status"], "sent");
  EXPECT_EQ(j["messages"][0]["content"], "hello");
  EXPECT_EQ(j["messages"][1]["role"], "assistant");
  EXPECT_EQ(j["messages"][1]["status"], "complete");
  ASSERT_EQ(j["toolCalls"].size(), 1u);
  EXPECT_EQ(j["toolCalls"][0]["toolName"], "shell");
  EXPECT_EQ(j["toolCalls"][0]["status"], "completed");
  EXPECT_EQ(j["toolCalls"][0]["output"], "a\nb\n");
  EXPECT_EQ(j["toolCalls"][0]["result"]["exitCode"], 0);
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["risk"], "high");
  EXPECT_EQ(j["approvals"][0]["status"], "approved");
}

TEST(Snapshot, NoSessionYet) {
  auto j = snapshotJson(core::ChatState{}, net::Status{});
  EXPECT_EQ(j["status"], "disconnected");
  EXPECT_EQ(j["sessionId"], "");
  EXPECT_EQ(j["streaming"], false);
  EXPECT_TRUE(j["messages"].is_array());
  EXPECT_TRUE(j["messages"].empty());
}

TEST(Snapshot, InvalidUtf8NeverThrows) {
  core::ChatState st = sampleState();
  st.sessions["s-1"].tools[0].output = std::string("bad \xff\xfe bytes");
  std::string text;
  EXPECT_NO_THROW(text = dumpJson(snapshotJson(st, net::Status{})));
  auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["toolCalls"][0]["output"].get<std::string>().substr(0, 4), "bad ");
}

TEST(Snapshot, MessagesFollowTheTimelineAndShowStreamingText) {
  core::ChatState st = sampleState();
  core::SessionState& s = st.sessions["s-1"];
  core::Message reply;
  reply.id = "c-2";
  reply.requestId = "c-2";
  reply.role = core::Role::Assistant;
  reply.status = core::MessageStatus::Streaming;
  s.messages.push_back(reply);
  // Stored last, but the gateway logged it before the assistant reply (timeline order wins).
  s.timeline = {{core::EntryKind::Message, 0}, {core::EntryKind::Message, 2},
                {core::EntryKind::Tool, 0}, {core::EntryKind::Message, 1}};
  const nlohmann::json j = snapshotJson(st, net::Status{});
  ASSERT_EQ(j["messages"].size(), 3u);
  EXPECT_EQ(j["messages"][0]["content"], "hello");
  EXPECT_EQ(j["messages"][1]["status"], "streaming");
  EXPECT_EQ(j["messages"][1]["content"], "partial te");
  EXPECT_EQ(j["messages"][2]["content"], "hi there");
}
