// The views report every control they draw to the accessible twin (ui/a11y_report.h), where it
// is drawn and in reading order; a twin's activation does what a click does; keyboard scroll
// requests move the transcript.
#include <algorithm>

#include "ui/a11y_report.h"
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

using core::Role;

core::SessionState& chat(core::ChatState& st, int messages) {
  core::SessionState& s = addSession(st, "s-1", "Trip plans");
  st.currentSessionId = "s-1";
  for (int i = 0; i < messages; ++i) {
    addMessage(s, i % 2 ? Role::Assistant : Role::User,
               "Message " + std::to_string(i) + " with enough words to wrap over a line or two in the list.");
  }
  return s;
}

std::vector<std::string> ids() {
  std::vector<std::string> out;
  for (const A11yControl& c : a11yTree().controls()) out.push_back(c.id);
  return out;
}

std::ptrdiff_t at(const std::vector<std::string>& v, const std::string& id) {
  auto it = std::find(v.begin(), v.end(), id);
  return it == v.end() ? -1 : it - v.begin();
}

void expectSameRect(const Rect& a, const Rect& b, const std::string& what) {
  EXPECT_NEAR(a.x, b.x, 0.5f) << what;
  EXPECT_NEAR(a.y, b.y, 0.5f) << what;
  EXPECT_NEAR(a.w, b.w, 0.5f) << what;
  EXPECT_NEAR(a.h, b.h, 0.5f) << what;
}

TEST_F(ViewTest, EveryControlDrawnHasATwinWhereItIsDrawnInReadingOrder) {
  core::SessionState& s = chat(state, 2);
  addApproval(s, "t-1", "high");
  frames(2);
  const std::vector<std::string> v = ids();
  for (const char* id : {"new-chat", "search", "show-archived", "session:s-1", "session-menu:s-1", "theme", "connection", "messages", "entry:0",
                         "copy:0", "entry:2", "approve:t-1", "deny:t-1", "approve-session:t-1", "composer", "send"}) {
    EXPECT_GE(at(v, id), 0) << id << " is not reported";
  }
  EXPECT_LT(at(v, "new-chat"), at(v, "search"));
  EXPECT_LT(at(v, "search"), at(v, "session:s-1"));
  EXPECT_LT(at(v, "session:s-1"), at(v, "session-menu:s-1"));
  EXPECT_LT(at(v, "session:s-1"), at(v, "theme"));
  EXPECT_LT(at(v, "theme"), at(v, "messages"));
  EXPECT_LT(at(v, "messages"), at(v, "entry:0"));
  EXPECT_LT(at(v, "entry:0"), at(v, "copy:0"));
  EXPECT_LT(at(v, "approve:t-1"), at(v, "composer"));
  EXPECT_LT(at(v, "composer"), at(v, "send"));

  const A11yTree& t = a11yTree();
  expectSameRect(t.find("send")->rect, widget("send"), "send");
  expectSameRect(t.find("new-chat")->rect, widget("new-chat"), "new chat");
  expectSameRect(t.find("approve:t-1")->rect, widget("approval:t-1:Approve"), "approve");
  expectSameRect(t.find("deny:t-1")->rect, widget("approval:t-1:Deny"), "deny");
  EXPECT_EQ(t.find("approve:t-1")->name, "Approve shell");
  EXPECT_EQ(t.find("approve:t-1")->parent, "entry:2");
  EXPECT_EQ(t.find("approve:t-1")->shortcut, "A");
  EXPECT_EQ(t.find("copy:0")->parent, "entry:0");
  EXPECT_EQ(t.find("entry:0")->role, A11yRole::ListItem);
  EXPECT_EQ(t.find("entry:0")->name.rfind("You: Message 0", 0), 0u);
  EXPECT_EQ(t.find("entry:1")->name.rfind("Assistant: Message 1", 0), 0u);
  EXPECT_EQ(t.find("entry:0")->setSize, 3);
  EXPECT_TRUE(t.find("session:s-1")->state.selected);
  EXPECT_TRUE(t.find("send")->state.disabled);  // nothing typed
  EXPECT_EQ(t.find("composer")->domId, "chat-composer");
  EXPECT_EQ(t.find("connection")->role, A11yRole::Status);
  EXPECT_EQ(t.find("connection")->name, "Connection: Connected");
  EXPECT_EQ(t.find("title")->role, A11yRole::Heading);
  EXPECT_EQ(t.find("title")->name, "Trip plans");
  EXPECT_LT(at(v, "title"), at(v, "connection"));
}

TEST_F(ViewTest, ATwinsActivationIsTheClicksIntent) {
  core::SessionState& s = chat(state, 2);
  addApproval(s, "t-1", "high");
  in.composerText = "hello";
  frames(2);
  A11yTree& t = a11yTree();
  auto approve = t.activate("approve:t-1");
  ASSERT_TRUE(approve.has_value());
  EXPECT_EQ(approve->kind, UiIntent::Kind::Approve);
  EXPECT_EQ(approve->target, "t-1");
  EXPECT_EQ(t.activate("approve-session:t-1")->kind, UiIntent::Kind::ApproveSession);
  auto send = t.activate("send");
  ASSERT_TRUE(send.has_value());
  EXPECT_EQ(send->kind, UiIntent::Kind::Send);
  EXPECT_EQ(send->text, "hello");
  EXPECT_EQ(t.activate("theme")->kind, UiIntent::Kind::SetTheme);
  // Copy has no intent (it would hold the message's text each frame): the view copies on the
  // next frame.
  EXPECT_FALSE(t.activate("copy:1").has_value());
  frame();
  const auto copies = intentsOf(UiIntent::Kind::Copy);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].text, s.messages[1].content);
}

TEST_F(ViewTest, TheDrawerOpensFromItsTwinTakesTheFocusAndClosesOnAPick) {
  chat(state, 2);
  proto::SessionInfo a;
  a.sessionId = "s-1";
  a.title = "Trip plans";
  proto::SessionInfo b;
  b.sessionId = "s-2";
  b.title = "Older chat";
  state.sessionList.rows = {a, b};
  ImGui::GetIO().DisplaySize = ImVec2(500, 700);  // narrow: the sidebar is a drawer
  frames(2);
  A11yTree& t = a11yTree();
  ASSERT_NE(t.find("sidebar-toggle"), nullptr);
  EXPECT_EQ(t.find("sidebar-toggle")->state.expanded, 0);
  EXPECT_EQ(t.find("session:s-2"), nullptr);  // the drawer is closed
  EXPECT_FALSE(t.activate("sidebar-toggle").has_value());  // the header acts on its next frame
  t.takeFocusRequest();
  frame();
  EXPECT_TRUE(view.debug().sidebarOpen);
  EXPECT_EQ(t.takeFocusRequest(), "new-chat");  // the keyboard goes into the drawer
  frame();
  ASSERT_NE(t.find("session:s-2"), nullptr);
  EXPECT_EQ(t.find("sidebar-toggle")->state.expanded, 1);
  EXPECT_FALSE(t.activate("session:s-2").has_value());  // the row acts through the click's path
  frames(2);
  const auto switches = intentsOf(UiIntent::Kind::SwitchSession);
  ASSERT_EQ(switches.size(), 1u);
  EXPECT_EQ(switches[0].target, "s-2");
  EXPECT_FALSE(view.debug().sidebarOpen);  // picking a chat closes the drawer
}

TEST_F(ViewTest, AFocusedCopyTwinShowsItsButtonWithoutHovering) {
  chat(state, 2);
  frames(2);
  EXPECT_FALSE(hasWidget("copy:1"));  // drawn on hover only
  a11yTree().setFocused("copy:1");
  frame();
  EXPECT_TRUE(hasWidget("copy:1"));
  expectSameRect(a11yTree().find("copy:1")->rect, widget("copy:1"), "copy");
  a11yTree().setFocused("");
  frame();
  EXPECT_FALSE(hasWidget("copy:1"));
}

TEST_F(ViewTest, KeyboardScrollMovesTheTranscriptAndJumpToLatestTwinReturns) {
  chat(state, 200);
  frames(3);
  ASSERT_TRUE(view.debug().stickToBottom);
  const std::size_t bottomFirst = view.debug().firstVisible;
  in.scroll = TranscriptScroll::PageUp;
  frame();
  in.scroll = TranscriptScroll::None;
  frames(2);
  EXPECT_FALSE(view.debug().stickToBottom);
  EXPECT_LT(view.debug().firstVisible, bottomFirst);
  EXPECT_GT(view.debug().firstVisible + 20, bottomFirst);  // about a page, not the whole way
  in.scroll = TranscriptScroll::Top;
  frame();
  in.scroll = TranscriptScroll::None;
  frames(2);
  EXPECT_EQ(view.debug().firstVisible, 0u);
  in.scroll = TranscriptScroll::PageDown;
  frame();
  in.scroll = TranscriptScroll::None;
  frames(2);
  EXPECT_GT(view.debug().firstVisible, 0u);
  ASSERT_NE(a11yTree().find("jump-latest"), nullptr);
  EXPECT_FALSE(a11yTree().activate("jump-latest").has_value());  // the list acts on its next frame
  frames(3);
  EXPECT_TRUE(view.debug().stickToBottom);
  EXPECT_EQ(view.debug().lastVisible, 200u);
  in.scroll = TranscriptScroll::Top;
  frames(2);
  in.scroll = TranscriptScroll::Bottom;
  frame();
  in.scroll = TranscriptScroll::None;
  frames(2);
  EXPECT_TRUE(view.debug().stickToBottom);
}

TEST_F(ViewTest, AnIdleViewSendsTheTwinNothing) {
  chat(state, 20);
  frames(3);
  const uint64_t deltas = a11yTree().stats().deltas;
  frames(5);
  EXPECT_EQ(a11yTree().stats().deltas, deltas);
  in.composerText = "typing";  // Send becomes enabled: one change
  frames(2);
  EXPECT_EQ(a11yTree().stats().deltas, deltas + 1);
}

}  // namespace
}  // namespace chat::ui::test
