// Touch targets: on a coarse pointer (a finger) every button and row the view draws is at least
// kTouchTarget (44) CSS px tall, and buttons that many wide; with a mouse they keep their
// compact sizes. Read from the rects the view reports (ViewDebug::widgets), as the e2e test
// reads them from the page.
#include <string>

#include "ui/header.h"
#include "ui/view_context.h"
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

using core::Role;

// The regions and text areas the view also reports: not buttons.
bool isRegion(const std::string& name) {
  return name == "composer" || name == "sidebar" || name == "header" || name == "messages" ||
         name == "footer" || name == "sign-in-field";
}

class TouchTargets : public ViewTest {
 protected:
  void fill() {
    core::SessionState& s = addSession(state, "s-1", "**First** chat");
    addSession(state, "s-2", "Second");
    state.currentSessionId = "s-1";
    proto::SessionInfo a;
    a.sessionId = "s-1";
    a.title = "**First** chat";
    proto::SessionInfo b;
    b.sessionId = "s-2";
    b.title = "Second";
    state.sessionList.rows = {a, b};
    addMessage(s, Role::User, "show me");
    addMessage(s, Role::Assistant, "Here:\n```sh\nls -la\n```\ndone");
    addApproval(s, "t-1", "high");
    addTool(s, "t-2", core::ToolStatus::Running);
  }

  // Every button drawn in the last frame; fails if one is smaller than `minH` tall.
  int checkButtons(float minH, float minW) {
    int buttons = 0;
    for (const auto& [name, r] : view.debug().widgets) {
      if (isRegion(name)) continue;
      ++buttons;
      EXPECT_GE(r.h, minH) << name;
      EXPECT_GE(r.w, minW) << name;
    }
    return buttons;
  }
};

TEST_F(TouchTargets, EveryButtonAndRowIsFingerSizedOnACoarsePointer) {
  fill();
  in.coarsePointer = true;
  frames(3);
  for (const char* name : {"new-chat", "search", "show-archived", "theme", "session:s-1", "session-menu:s-1", "session:s-2", "send",
                           "copy-code:1:1", "approval:t-1:Approve", "approval:t-1:Deny", "tool-args:t-2"}) {
    EXPECT_TRUE(hasWidget(name)) << name;
  }
  EXPECT_GE(checkButtons(kTouchTarget, kTouchTarget), 10);
  // Hovering a bubble offers Copy (a tap moves the pointer there): finger-sized too.
  const Rect reply = widget("copy-code:1:1");
  moveTo(reply.x - 40.0f, reply.y + 4.0f);
  frame();
  ASSERT_TRUE(hasWidget("copy:1"));
  EXPECT_GE(widget("copy:1").h, kTouchTarget);
  EXPECT_GE(widget("copy:1").w, kTouchTarget);
  // The buttons still work.
  click("approval:t-1:Approve");
  EXPECT_EQ(intentsOf(UiIntent::Kind::Approve).size(), 1u);
}

TEST_F(TouchTargets, ThePhoneLayoutsToggleAndDrawerRowsToo) {
  fill();
  in.coarsePointer = true;
  ImGui::GetIO().DisplaySize = ImVec2(390, 844);
  frames(3);
  ASSERT_TRUE(hasWidget("sidebar-toggle"));
  EXPECT_GE(widget("sidebar-toggle").h, kTouchTarget);
  click("sidebar-toggle");
  frames(2);
  ASSERT_TRUE(hasWidget("session:s-2"));
  checkButtons(kTouchTarget, kTouchTarget);
}

TEST_F(TouchTargets, AMouseKeepsTheCompactSizes) {
  fill();
  in.coarsePointer = false;
  frames(3);
  ASSERT_TRUE(hasWidget("approval:t-1:Approve"));
  EXPECT_LT(widget("approval:t-1:Approve").h, kTouchTarget);
  EXPECT_LT(widget("copy-code:1:1").h, kTouchTarget);
  EXPECT_LT(widget("session:s-1").h, kTouchTarget);
  // Switching to a finger lays the cards out again (the button rows grow).
  const float before = widget("approval:t-1:Approve").y;
  in.coarsePointer = true;
  frames(3);
  EXPECT_GE(widget("approval:t-1:Approve").h, kTouchTarget);
  EXPECT_NE(widget("approval:t-1:Approve").y, before);
}

}  // namespace
}  // namespace chat::ui::test
