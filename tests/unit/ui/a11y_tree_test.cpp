// The accessible twin's bookkeeping (ui/a11y_tree.h): what a frame hands to the DOM is only
// what changed since the last one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ui/a11y_readout.h"
#include "ui/a11y_tree.h"

using namespace chat::ui;

namespace {

A11yControl button(const std::string& id, const std::string& name, Rect r = {10, 20, 80, 30}) {
  A11yControl c;
  c.id = id;
  c.name = name;
  c.rect = r;
  c.intent = UiIntent{UiIntent::Kind::NewChat, {}, {}};
  return c;
}

A11yDelta frame(A11yTree& t, const std::vector<A11yControl>& controls) {
  for (const A11yControl& c : controls) t.add(c);
  return t.finishFrame();
}

}  // namespace

TEST(A11yTree, FirstFrameBuildsEveryControlInReportOrder) {
  A11yTree t;
  const A11yDelta d = frame(t, {button("new-chat", "New chat"), button("send", "Send")});
  ASSERT_EQ(d.upserts.size(), 2u);
  EXPECT_EQ(d.upserts[0].id, "new-chat");
  EXPECT_TRUE(d.moves.empty());
  EXPECT_TRUE(d.removed.empty());
  EXPECT_EQ(d.order, (std::vector<std::string>{"new-chat", "send"}));
  EXPECT_EQ(t.stats().controls, 2u);
}

TEST(A11yTree, AnIdleFrameSendsNothing) {
  A11yTree t;
  frame(t, {button("new-chat", "New chat"), button("send", "Send")});
  const A11yDelta d = frame(t, {button("new-chat", "New chat"), button("send", "Send")});
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(t.stats().deltas, 1u);
  EXPECT_EQ(t.stats().upserts, 2u);
}

TEST(A11yTree, ScrollingSendsOnlyNewRects) {
  A11yTree t;
  frame(t, {button("copy:1", "Copy message", {10, 100, 40, 20}), button("send", "Send")});
  const A11yDelta d = frame(t, {button("copy:1", "Copy message", {10, 60, 40, 20}), button("send", "Send")});
  EXPECT_TRUE(d.upserts.empty());
  EXPECT_TRUE(d.order.empty());
  ASSERT_EQ(d.moves.size(), 1u);
  EXPECT_EQ(d.moves[0].first, "copy:1");
  EXPECT_FLOAT_EQ(d.moves[0].second.y, 60.0f);
  // Float noise below a hundredth of a pixel is no move.
  EXPECT_TRUE(frame(t, {button("copy:1", "Copy message", {10, 60.001f, 40, 20}), button("send", "Send")}).empty());
}

TEST(A11yTree, AChangedNameOrStateRebuildsOnlyThatControl) {
  A11yTree t;
  frame(t, {button("theme", "Theme: Auto"), button("send", "Send")});
  A11yControl send = button("send", "Send");
  send.state.disabled = true;
  A11yDelta d = frame(t, {button("theme", "Theme: Light"), send});
  ASSERT_EQ(d.upserts.size(), 2u);
  EXPECT_EQ(d.upserts[0].name, "Theme: Light");
  EXPECT_TRUE(d.upserts[1].state.disabled);
  EXPECT_TRUE(d.order.empty());
  d = frame(t, {button("theme", "Theme: Light"), send});
  EXPECT_TRUE(d.empty());
}

TEST(A11yTree, GoneControlsAreRemovedAndTheOrderResent) {
  A11yTree t;
  frame(t, {button("a", "A"), button("approve:t1", "Approve"), button("send", "Send")});
  const A11yDelta d = frame(t, {button("a", "A"), button("send", "Send")});
  EXPECT_EQ(d.removed, std::vector<std::string>{"approve:t1"});
  EXPECT_EQ(d.order, (std::vector<std::string>{"a", "send"}));
  EXPECT_TRUE(d.upserts.empty());
  EXPECT_EQ(t.find("approve:t1"), nullptr);
}

TEST(A11yTree, ANewControlInTheMiddleResendsTheOrder) {
  A11yTree t;
  frame(t, {button("a", "A"), button("send", "Send")});
  const A11yDelta d = frame(t, {button("a", "A"), button("stop", "Stop"), button("send", "Send")});
  ASSERT_EQ(d.upserts.size(), 1u);
  EXPECT_EQ(d.upserts[0].id, "stop");
  EXPECT_EQ(d.order, (std::vector<std::string>{"a", "stop", "send"}));
}

TEST(A11yTree, RepeatedIdsAreMadeUniqueAndEmptyOnesIgnored) {
  A11yTree t;
  const A11yDelta d = frame(t, {button("copy", "Copy"), button("copy", "Copy"), button("", "nameless")});
  EXPECT_EQ(d.order, (std::vector<std::string>{"copy", "copy#2"}));
}

TEST(A11yTree, ActivationGivesTheIntentOrQueuesItForTheView) {
  A11yTree t;
  A11yControl jump = button("jump-latest", "Jump to latest");
  jump.intent.reset();
  A11yControl off = button("send", "Send");
  off.state.disabled = true;
  frame(t, {button("new-chat", "New chat"), jump, off});
  auto intent = t.activate("new-chat");
  ASSERT_TRUE(intent.has_value());
  EXPECT_EQ(intent->kind, UiIntent::Kind::NewChat);
  EXPECT_FALSE(t.takeActivation("new-chat"));
  EXPECT_FALSE(t.activate("send").has_value());  // disabled: nothing
  EXPECT_FALSE(t.activate("nope").has_value());
  EXPECT_FALSE(t.activate("jump-latest").has_value());
  EXPECT_TRUE(t.takeActivation("jump-latest"));  // the view acts once
  EXPECT_FALSE(t.takeActivation("jump-latest"));
  // Not taken during the next frame: dropped with it.
  t.activate("jump-latest");
  frame(t, {jump});
  EXPECT_FALSE(t.takeActivation("jump-latest"));
}

TEST(A11yTree, AFocusRequestIsTakenOnce) {
  A11yTree t;
  EXPECT_EQ(t.takeFocusRequest(), "");
  t.requestFocus("a");
  t.requestFocus("new-chat");  // the last one wins
  EXPECT_EQ(t.takeFocusRequest(), "new-chat");
  EXPECT_EQ(t.takeFocusRequest(), "");
}

TEST(A11yTree, FocusIsForgottenWithItsControl) {
  A11yTree t;
  frame(t, {button("copy:3", "Copy message")});
  t.setFocused("copy:3");
  frame(t, {button("copy:3", "Copy message")});
  EXPECT_EQ(t.focused(), "copy:3");
  frame(t, {});
  EXPECT_EQ(t.focused(), "");
}

TEST(A11yTree, DeltaJsonCarriesRolesStatesAndMoves) {
  A11yTree t;
  A11yControl row = button("session:s1", "Trip plans");
  row.state.selected = true;
  A11yControl list;
  list.id = "messages";
  list.role = A11yRole::List;
  list.name = "Messages";
  A11yControl item;
  item.id = "entry:0";
  item.role = A11yRole::ListItem;
  item.parent = "messages";
  item.name = "You: hi \xFF";  // not UTF-8: replaced, never thrown
  item.posInSet = 1;
  item.setSize = 40;
  A11yControl toggle = button("sidebar-toggle", "Chats");
  toggle.state.expanded = 0;
  A11yControl approve = button("approve:t1", "Approve shell");
  approve.shortcut = "A";
  nlohmann::json j = nlohmann::json::parse(a11yDeltaJson(frame(t, {row, list, item, toggle, approve}), 800.0f));
  EXPECT_EQ(j["w"], 800.0);
  ASSERT_EQ(j["up"].size(), 5u);
  EXPECT_EQ(j["up"][0]["role"], "button");
  EXPECT_EQ(j["up"][0]["selected"], true);
  EXPECT_EQ(j["up"][0]["r"], nlohmann::json::parse("[10,20,80,30]"));
  EXPECT_EQ(j["up"][1]["role"], "list");
  EXPECT_EQ(j["up"][2]["role"], "listitem");
  EXPECT_EQ(j["up"][2]["parent"], "messages");
  EXPECT_EQ(j["up"][2]["pos"], 1);
  EXPECT_EQ(j["up"][2]["size"], 40);
  EXPECT_EQ(j["up"][2]["name"], "You: hi \xEF\xBF\xBD");
  EXPECT_EQ(j["up"][3]["expanded"], false);
  EXPECT_FALSE(j["up"][3].contains("checked"));
  EXPECT_EQ(j["up"][4]["keys"], "A");
  EXPECT_EQ(j["order"].size(), 5u);

  row.rect.y = 50;
  j = nlohmann::json::parse(a11yDeltaJson(frame(t, {row, list, item, toggle, approve}), 800.0f));
  EXPECT_TRUE(j["up"].empty());
  EXPECT_FALSE(j.contains("order"));
  EXPECT_EQ(j["mv"], nlohmann::json::parse(R"([["session:s1",10,50,80,30]])"));
}

TEST(A11yReadout, EntriesNameTheirAuthorAndLongTextIsCutOnACharacter) {
  chat::core::Message m;
  m.role = chat::core::Role::Assistant;
  m.content = "Hello there";
  EXPECT_EQ(messageReadout(m), "Assistant: Hello there");
  m.role = chat::core::Role::User;
  EXPECT_EQ(messageReadout(m), "You: Hello there");
  std::string euros;
  for (int i = 0; i < 1000; ++i) euros += "\xE2\x82\xAC";  // 3 bytes each
  m.content = euros;
  const std::string r = messageReadout(m);
  EXPECT_LE(r.size(), kMaxReadoutBytes + 3);
  EXPECT_EQ(r.substr(r.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ((r.size() - 3 - 5) % 3, 0u);  // "You: " then whole euro signs
  chat::core::ApprovalCard a;
  a.toolName = "run_command";
  a.risk = "high";
  EXPECT_EQ(approvalReadout(a), "Approval request: run_command, high risk, waiting for your answer");
  a.status = chat::core::ApprovalStatus::Approved;
  a.sessionApprove = true;
  EXPECT_EQ(approvalReadout(a), "Approval request: run_command, high risk, approved for session");
}
