// A page of history arriving while the list follows the bottom is drawn settled in one frame:
// everything on screen is measured before the frame is built, so no second frame is needed to
// correct estimated heights (the app draws few frames while a history loads).
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

using core::Role;

void appendPage(core::SessionState& s, int count) {
  for (int i = 0; i < count; ++i) {
    const std::size_t n = s.messages.size();
    // Varied lengths, so estimates and measured heights differ.
    addMessage(s, n % 2 ? Role::Assistant : Role::User,
               "History message " + std::to_string(n) + std::string(n % 7 * 40, 'x') +
                   (n % 3 ? "\nwith a second line" : ""));
  }
}

TEST_F(ViewTest, APageOfHistoryAtTheBottomIsSettledInOneFrame) {
  core::SessionState& s = addSession(state, "s-1", "History");
  state.currentSessionId = "s-1";
  frames(2);
  for (int pageNo = 0; pageNo < 3; ++pageNo) {
    appendPage(s, 500);
    const FrameOutput first = frame();
    EXPECT_FALSE(first.wantsAnotherFrame) << "page " << pageNo;
    const ViewDebug shown = view.debug();
    EXPECT_TRUE(shown.stickToBottom);
    EXPECT_EQ(shown.lastVisible, s.timeline.size());
    frame();  // would a second frame change anything?
    EXPECT_EQ(view.debug().contentHeight, shown.contentHeight) << "page " << pageNo;
    EXPECT_EQ(view.debug().layoutCalls, shown.layoutCalls) << "page " << pageNo;
    EXPECT_EQ(view.debug().firstVisible, shown.firstVisible) << "page " << pageNo;
  }
}

TEST_F(ViewTest, ScrolledUpTheTailStaysSmall) {
  core::SessionState& s = addSession(state, "s-1", "History");
  state.currentSessionId = "s-1";
  appendPage(s, 300);
  frames(3);
  // Scroll to the top: the list stops following the bottom.
  ImGui::GetIO().AddMousePosEvent(600, 300);
  for (int i = 0; i < 40; ++i) {
    ImGui::GetIO().AddMouseWheelEvent(0, 50);
    frame();
  }
  frames(2);
  ASSERT_FALSE(view.debug().stickToBottom);
  const uint64_t calls = view.debug().layoutCalls;
  appendPage(s, 300);
  frames(2);
  // Only the tail's few entries are new to lay out (nothing new is on screen).
  EXPECT_LE(view.debug().layoutCalls, calls + 4);
}

}  // namespace
}  // namespace chat::ui::test
