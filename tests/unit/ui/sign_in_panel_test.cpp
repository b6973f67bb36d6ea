// The sign-in panel drawn by ChatView: shown only when asked, where the app puts the DOM field,
// "Sign in" enabled only with something to submit and not while waiting, reachable with Tab.
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/chat/reducer.h"
#include "ui/footer.h"
#include "ui/header.h"
#include "ui/sign_in_panel.h"
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

class SignInPanelTest : public ViewTest {
 protected:
  void SetUp() override {
    ViewTest::SetUp();
    status.phase = net::Phase::Unauthorized;
    status.health = net::Health::Disconnected;
    in.signIn.visible = true;
    in.signIn.error = true;
    in.signIn.message = "The gateway did not accept this page's token or PIN. Enter the right one to sign in.";
  }
};

TEST_F(SignInPanelTest, NotDrawnUnlessAsked) {
  in.signIn.visible = false;
  const FrameOutput out = frame();
  EXPECT_EQ(out.signInFieldRect.w, 0.0f);
  EXPECT_FALSE(hasWidget("sign-in"));
  EXPECT_FALSE(hasWidget("sign-in-field"));
}

TEST_F(SignInPanelTest, FieldRectIsOverTheMessagesAndInsideTheCard) {
  const FrameOutput out = frame();
  const Rect field = out.signInFieldRect;
  ASSERT_GT(field.w, 100.0f);
  ASSERT_GT(field.h, 10.0f);
  EXPECT_GE(field.y, kHeaderHeight) << "below the header";
  EXPECT_LT(field.y + field.h, out.composerRect.y) << "above the composer";
  const Rect button = widget("sign-in");
  EXPECT_GT(button.y, field.y + field.h) << "the button is under the field";
  const Rect fieldItem = widget("sign-in-field");
  EXPECT_EQ(fieldItem, field);
  // The layout the drawing used is the layout the function reports.
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float sidebar = std::clamp(d.x * 0.24f, 200.0f, 280.0f);
  EXPECT_GT(field.x, sidebar);
  EXPECT_LT(field.x + field.w, d.x);
}

TEST_F(SignInPanelTest, ButtonNeedsTextAndIsDisabledWhileWaiting) {
  frame();
  click("sign-in");
  EXPECT_TRUE(intentsOf(UiIntent::Kind::SignIn).empty()) << "empty field: disabled";
  in.signIn.hasText = true;
  frame();
  click("sign-in");
  EXPECT_EQ(intentsOf(UiIntent::Kind::SignIn).size(), 1u);
  in.signIn.busy = true;
  in.signIn.error = false;
  in.signIn.message = "Signing in\xE2\x80\xA6";
  frame();
  click("sign-in");
  EXPECT_EQ(intentsOf(UiIntent::Kind::SignIn).size(), 1u) << "waiting for the answer: disabled";
}

TEST_F(SignInPanelTest, ClickingTheFieldAreaAsksForTheDomField) {
  frame();
  click("sign-in-field");
  EXPECT_EQ(intentsOf(UiIntent::Kind::FocusSignIn).size(), 1u);
}

TEST_F(SignInPanelTest, TabReachesSignInAndSpaceActivatesIt) {
  in.signIn.hasText = true;
  frames(2);
  const Rect target = widget("sign-in");
  bool focused = false;
  for (int k = 0; k < 10 && !focused; ++k) {
    pressKey(ImGuiKey_Tab);
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.NavWindow == nullptr || g.NavId == 0) continue;
    const ImRect r = ImGui::WindowRectRelToAbs(g.NavWindow, g.NavWindow->NavRectRel[0]);
    focused = std::abs(r.Min.x - target.x) < 2 && std::abs(r.Min.y - target.y) < 2;
  }
  ASSERT_TRUE(focused) << "Tab never reached the Sign in button";
  pressKey(ImGuiKey_Space);
  frames(2);
  EXPECT_EQ(intentsOf(UiIntent::Kind::SignIn).size(), 1u);
}

TEST_F(SignInPanelTest, HiddenBehindTheOpenNarrowSidebarAndBackWhenItCloses) {
  ImGui::GetIO().DisplaySize = ImVec2(360, 640);
  frames(2);
  EXPECT_GT(frame().signInFieldRect.w, 0.0f);
  click("sidebar-toggle");
  EXPECT_EQ(frame().signInFieldRect.w, 0.0f) << "the sidebar covers the messages";
  EXPECT_TRUE(view.debug().sidebarOpen);
}

TEST_F(SignInPanelTest, LongMessagesWrapAndTinyWindowsNeverBreakTheLayout) {
  in.signIn.message = std::string(2000, 'x') + " " + std::string(300, 'y');
  FrameOutput out = frame();
  EXPECT_GT(out.signInFieldRect.w, 0.0f);
  ImGui::GetIO().DisplaySize = ImVec2(120, 90);
  out = frame();
  EXPECT_GE(out.signInFieldRect.w, 0.0f);
  EXPECT_FALSE(std::isnan(out.signInFieldRect.y));
}

TEST(Footer, AnUnauthorizedErrorIsDroppedOnceSignedInAndOtherErrorsStay) {
  // The reducer gives the error its lifetime: shown from auth.failed until auth.ok (signed in
  // from the page), while errors of a signed-in connection stay.
  core::ChatState state;
  auto feed = [&state](const proto::GatewayMessage& m) {
    state = core::reduce(std::move(state), m).state;
  };
  feed(proto::AuthFailed{"unauthorized", "wrong token"});
  EXPECT_EQ(footerError(state.error), "unauthorized: wrong token");
  feed(proto::AuthOk{"client-1", 15000, 1});
  EXPECT_EQ(footerError(state.error), "");
  proto::ErrorEvent tooLarge;
  tooLarge.code = "too_large";
  tooLarge.message = "message over 32 KiB";
  feed(tooLarge);
  EXPECT_EQ(footerError(state.error), "too_large: message over 32 KiB");
  EXPECT_EQ(footerError(std::nullopt), "");
}

}  // namespace
}  // namespace chat::ui::test
