// ChatView driven headless: real fonts, real ImGui frames, simulated mouse and keyboard.
#include <imgui.h>
#include <imgui_internal.h>

#include "ui/fonts.h"
#include "ui/footer.h"
#include "ui/header.h"
#include "ui/sidebar.h"
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

using core::MessageStatus;
using core::Role;

core::SessionState& history(core::ChatState& st, int messages) {
  core::SessionState& s = addSession(st, "s-1", "History");
  st.currentSessionId = "s-1";
  for (int i = 0; i < messages; ++i) {
    addMessage(s, i % 2 ? Role::Assistant : Role::User,
               "Message number " + std::to_string(i) +
                   (i % 3 ? " with a somewhat longer body that wraps over a couple of lines in a "
                            "narrow window, to vary the heights of the entries."
                          : ""));
  }
  return s;
}

TEST_F(ViewTest, FontsAreCrispAtHighDpiAndRebuildWhenTheRatioChanges) {
  ImGuiIO& io = ImGui::GetIO();
  ASSERT_EQ(io.Fonts->Fonts.Size, 2);
  EXPECT_FLOAT_EQ(io.Fonts->Fonts[0]->FontSize, kSansPx);
  EXPECT_NE(io.Fonts->Fonts[0]->FindGlyphNoFallback(0x00E9), nullptr);  // é
  EXPECT_NE(io.Fonts->Fonts[0]->FindGlyphNoFallback(0x2014), nullptr);  // —
  EXPECT_NE(io.Fonts->Fonts[1]->FindGlyphNoFallback(0x2500), nullptr);  // ─ in mono
  view.loadFonts(kFontDir, 2.0f);
  buildAtlas();
  ASSERT_EQ(io.Fonts->Fonts.Size, 2);
  EXPECT_FLOAT_EQ(io.Fonts->Fonts[0]->FontSize, 2 * kSansPx);
  EXPECT_FLOAT_EQ(io.Fonts->Fonts[1]->FontSize, 2 * kMonoPx);
  EXPECT_FLOAT_EQ(io.FontGlobalScale, 0.5f);
  history(state, 20);
  frames(2);
  EXPECT_GT(view.debug().layoutCalls, 0u);
  const uint64_t before = view.debug().layoutCalls;
  view.loadFonts(kFontDir, 1.5f);  // fractional ratio: everything is measured again
  buildAtlas();
  // ImGui rasterises at whole pixel sizes (22 for 22.5): glyphs map 1:1 to device pixels.
  EXPECT_NEAR(io.Fonts->Fonts[0]->FontSize, 1.5f * kSansPx, 0.5f);
  frames(2);
  EXPECT_GT(view.debug().layoutCalls, before);
}

TEST_F(ViewTest, MissingFontFilesFallBackInsteadOfFailing) {
  view.loadFonts("/nonexistent", 1.0f);
  buildAtlas();
  history(state, 3);
  EXPECT_NO_FATAL_FAILURE(frames(2));
  EXPECT_EQ(ImGui::GetIO().Fonts->Fonts.Size, 2);
}

TEST_F(ViewTest, TenThousandMessagesCostAboutWhatAHundredDo) {
  history(state, 100);
  frames(3);
  const uint64_t small = view.debug().layoutCalls;

  ChatView big;
  big.loadFonts(kFontDir, 1.0f);
  buildAtlas();
  core::ChatState large;
  history(large, 10'000);
  FrameInput bigIn = in;
  bigIn.state = &large;
  for (int k = 0; k < 3; ++k) {
    ImGui::NewFrame();
    big.frame(bigIn);
    ImGui::Render();
  }
  const ViewDebug& d = big.debug();
  EXPECT_EQ(d.entryCount, 10'000u);
  EXPECT_LE(d.layoutCalls, small + 4);  // only visible entries and the tail were laid out
  EXPECT_LT(d.layoutCalls, 60u);
  EXPECT_GT(d.firstVisible, 9'900u);    // stuck to the bottom
  EXPECT_EQ(d.lastVisible, 10'000u);
  // Steady state: nothing new to lay out.
  const uint64_t steady = d.layoutCalls;
  ImGui::NewFrame();
  big.frame(bigIn);
  ImGui::Render();
  EXPECT_EQ(big.debug().layoutCalls, steady);
}

TEST_F(ViewTest, HeightCacheIsInvalidatedByAContentChangeOnly) {
  core::SessionState& s = history(state, 6);
  frames(3);
  const uint64_t calls = view.debug().layoutCalls;
  const double height = view.debug().contentHeight;
  frames(2);
  EXPECT_EQ(view.debug().layoutCalls, calls);  // nothing changed: nothing re-laid out
  s.messages.back().content += std::string(" more words") + std::string(40, '!') + "\nand a new line";
  ++s.messages.back().revision;  // as the reducer does with every change (EntryRevised)
  frames(2);
  EXPECT_EQ(view.debug().layoutCalls, calls + 1);
  EXPECT_GT(view.debug().contentHeight, height);
}

TEST_F(ViewTest, HeightCacheIsInvalidatedByAWidthChange) {
  history(state, 6);
  frames(3);
  const uint64_t calls = view.debug().layoutCalls;
  const double wide = view.debug().contentHeight;
  ImGui::GetIO().DisplaySize = ImVec2(700, 768);
  frames(3);
  const uint64_t visible = view.debug().lastVisible - view.debug().firstVisible;
  EXPECT_GE(view.debug().layoutCalls, calls + visible);
  EXPECT_GT(view.debug().contentHeight, wide);  // narrower: more lines
  const uint64_t after = view.debug().layoutCalls;
  frames(2);
  EXPECT_EQ(view.debug().layoutCalls, after);
}

TEST_F(ViewTest, SendButtonEmitsSendWithTheComposerText) {
  history(state, 2);
  in.composerText = "hello there";
  frame();
  click("send");
  const auto sends = intentsOf(UiIntent::Kind::Send);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].text, "hello there");
}

TEST_F(ViewTest, BlankComposerCannotSend) {
  history(state, 2);
  in.composerText = "  \n ";
  frame();
  click("send");
  EXPECT_TRUE(intentsOf(UiIntent::Kind::Send).empty());
}

TEST_F(ViewTest, NoCopyForAReplyThatIsStillStreaming) {
  core::SessionState& s = history(state, 0);
  addMessage(s, Role::Assistant, "Partial answ", core::MessageStatus::Streaming);  // id m0
  s.streaming = core::Streaming{"m0", "demo", 3};  // the reply's text is in its message
  frames(2);
  moveTo(340.0f, kHeaderHeight + 24.0f);  // over the left-aligned reply (past the sidebar)
  frames(2);
  EXPECT_FALSE(hasWidget("copy:0"));
  s.streaming.reset();  // complete: Copy is offered on hover
  s.messages[0].status = core::MessageStatus::Complete;
  frames(2);
  EXPECT_TRUE(hasWidget("copy:0"));
}

TEST_F(ViewTest, StopReplacesSendWhileStreamingAndEmitsCancel) {
  core::SessionState& s = history(state, 2);
  s.streaming = core::Streaming{"req-1", "demo", 3};
  streamDelta(s, "Partial answ");
  frame();
  EXPECT_FALSE(hasWidget("send"));
  click("stop");
  EXPECT_EQ(intentsOf(UiIntent::Kind::Cancel).size(), 1u);
}

TEST_F(ViewTest, ComposerRectIsReportedAndGrowsWithLines) {
  history(state, 2);
  const Rect one = frame().composerRect;
  EXPECT_GT(one.w, 100.0f);
  EXPECT_GT(one.h, 10.0f);
  EXPECT_LE(one.y + one.h, 768.0f);
  EXPECT_GE(one.x, 200.0f);  // right of the sidebar
  in.composerText = "one\ntwo\nthree";
  const Rect three = frame().composerRect;
  EXPECT_GT(three.h, one.h * 2);
  click("composer");
  EXPECT_FALSE(intentsOf(UiIntent::Kind::FocusComposer).empty());
}

TEST_F(ViewTest, ApprovalButtonsEmitTheirIntents) {
  core::SessionState& s = history(state, 1);
  addApproval(s, "t-1", "high");
  frames(2);
  click("approval:t-1:Approve");
  click("approval:t-1:Deny");
  click("approval:t-1:Approve for session");
  ASSERT_EQ(intentsOf(UiIntent::Kind::Approve).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::Approve)[0].target, "t-1");
  ASSERT_EQ(intentsOf(UiIntent::Kind::Deny).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::Deny)[0].target, "t-1");
  ASSERT_EQ(intentsOf(UiIntent::Kind::ApproveSession).size(), 1u);
}

TEST_F(ViewTest, ApprovalButtonsAreReachableByKeyboard) {
  core::SessionState& s = history(state, 1);
  addApproval(s, "t-1", "medium");
  frames(2);
  const Rect target = widget("approval:t-1:Approve");
  bool focused = false;
  for (int k = 0; k < 30 && !focused; ++k) {
    pressKey(ImGuiKey_Tab);
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.NavWindow == nullptr || g.NavId == 0) continue;
    const ImRect r = ImGui::WindowRectRelToAbs(g.NavWindow, g.NavWindow->NavRectRel[0]);
    focused = std::abs(r.Min.x - target.x) < 2 && std::abs(r.Min.y - target.y) < 2;
  }
  ASSERT_TRUE(focused) << "Tab never reached the Approve button";
  pressKey(ImGuiKey_Space);
  frames(2);
  ASSERT_EQ(intentsOf(UiIntent::Kind::Approve).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::Approve)[0].target, "t-1");
}

TEST_F(ViewTest, ResolvedApprovalShowsTheDecisionWithoutButtons) {
  core::SessionState& s = history(state, 1);
  core::ApprovalCard& a = addApproval(s, "t-1", "low");
  a.status = core::ApprovalStatus::Approved;
  a.sessionApprove = true;
  frames(2);
  EXPECT_FALSE(hasWidget("approval:t-1:Approve"));
  EXPECT_FALSE(hasWidget("approval:t-1:Deny"));
}

TEST_F(ViewTest, SidebarCollapsesUnder640AndOpensFromTheToggle) {
  history(state, 2);
  frame();
  EXPECT_FALSE(view.debug().sidebarCollapsed);
  EXPECT_TRUE(hasWidget("new-chat"));
  EXPECT_FALSE(hasWidget("sidebar-toggle"));

  ImGui::GetIO().DisplaySize = ImVec2(600, 500);
  frame();
  EXPECT_TRUE(view.debug().sidebarCollapsed);
  EXPECT_FALSE(view.debug().sidebarOpen);
  EXPECT_FALSE(hasWidget("new-chat"));
  click("sidebar-toggle");
  EXPECT_TRUE(view.debug().sidebarOpen);
  click("new-chat");
  EXPECT_EQ(intentsOf(UiIntent::Kind::NewChat).size(), 1u);
  EXPECT_FALSE(view.debug().sidebarOpen);  // picking something closes the overlay
}

namespace {
bool tooltipShown() {
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->Active && std::string(w->Name).rfind("##Tooltip", 0) == 0) return true;
  return false;
}
}  // namespace

TEST_F(ViewTest, NoTooltipLeftOverTheDrawerTheToggleOpened) {
  history(state, 2);
  ImGui::GetIO().DisplaySize = ImVec2(600, 500);
  frames(2);
  const Rect toggle = widget("sidebar-toggle");
  moveTo(toggle.x + toggle.w * 0.5f, toggle.y + toggle.h * 0.5f);
  frames(2);
  EXPECT_TRUE(tooltipShown()) << "a mouse resting on the toggle gets its hint";
  click("sidebar-toggle");  // a tap: the pointer stays where the finger was
  ASSERT_TRUE(view.debug().sidebarOpen);
  frames(3);
  EXPECT_FALSE(tooltipShown());
}

TEST_F(ViewTest, TheThemeSwitchCyclesAutoLightDark) {
  history(state, 1);
  frames(2);
  click("theme");
  auto picks = intentsOf(UiIntent::Kind::SetTheme);
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_EQ(picks[0].text, "light");
  EXPECT_STREQ(nextThemeChoice("light"), "dark");
  EXPECT_STREQ(nextThemeChoice("dark"), "auto");
  EXPECT_EQ(themeSwitchLabel("dark"), "Theme: Dark");
  EXPECT_EQ(themeSwitchLabel("auto"), "Theme: Auto");
  in.themeChoice = "dark";  // what the app says is set
  frames(2);
  click("theme");
  picks = intentsOf(UiIntent::Kind::SetTheme);
  ASSERT_FALSE(picks.empty());
  EXPECT_EQ(picks.back().text, "auto");
}

TEST_F(ViewTest, SidebarListsSessionsAndSwitches) {
  history(state, 2);
  proto::SessionInfo a;
  a.sessionId = "s-1";
  a.title = "History";
  proto::SessionInfo b;
  b.sessionId = "s-2";
  b.title = "Other chat";
  a.updatedAt = b.updatedAt = in.nowMs;
  state.sessionList.rows = {a, b};
  frame();
  click("session:s-2");
  click("session:s-1");  // the current one: no switch
  const auto switches = intentsOf(UiIntent::Kind::SwitchSession);
  ASSERT_EQ(switches.size(), 1u);
  EXPECT_EQ(switches[0].target, "s-2");
}

TEST_F(ViewTest, PillShowsStatusAndRetryNowRetries) {
  history(state, 1);
  frame();
  EXPECT_EQ(view.debug().pillText, "Connected");
  EXPECT_FALSE(hasWidget("retry"));
  status.phase = net::Phase::Waiting;
  status.health = net::Health::Disconnected;
  status.attempt = 2;
  status.nextRetryInMs = 8000;
  const int64_t seenAt = in.nowMs;
  const FrameOutput out = frame();
  EXPECT_EQ(view.debug().pillText, "Disconnected \xE2\x80\x94 retry 2 in 8s");
  // The countdown asks for a frame when its text changes (8s -> 7s), not for every vsync.
  EXPECT_FALSE(out.wantsAnotherFrame);
  EXPECT_EQ(out.redrawAtMs, seenAt + 1000);
  in.nowMs = seenAt + 3400;  // 4.6 s left: "5s" until 4 s are left, at seenAt + 4000
  const FrameOutput later = frame();
  EXPECT_EQ(view.debug().pillText, "Disconnected \xE2\x80\x94 retry 2 in 5s");
  EXPECT_EQ(later.redrawAtMs, seenAt + 4000);
  click("retry");
  EXPECT_EQ(intentsOf(UiIntent::Kind::RetryNow).size(), 1u);
  status.phase = net::Phase::Unauthorized;
  frame();
  EXPECT_NE(view.debug().pillText.find("Unauthorized"), std::string::npos);
}

TEST_F(ViewTest, SignInPanelMakesTheRefusalCalm) {
  // A first visit without a token: the gateway refuses, the page asks for a token. No red
  // "Unauthorized" pill, no "unauthorized" in the footer: the panel is the whole story.
  status.phase = net::Phase::Unauthorized;
  status.lastError = "unauthorized";
  in.signIn.visible = true;
  in.signIn.message = "Paste the token or type the PIN";
  frame();
  EXPECT_EQ(view.debug().pillText, "Sign in to connect");
  const core::ChatError refused{core::ErrorKind::Unauthorized, "", "unauthorized"};
  EXPECT_EQ(footerError(refused, true), "");
  EXPECT_EQ(footerError(refused, false), "unauthorized");
  in.signIn.visible = false;  // dismissed (e.g. an embedding host without a sign-in): say it
  frame();
  EXPECT_NE(view.debug().pillText.find("Unauthorized"), std::string::npos);
}

TEST_F(ViewTest, CodeBlockCopyButtonCopiesTheCode) {
  core::SessionState& s = history(state, 1);
  addMessage(s, Role::Assistant, "Try this:\n```sh\nls -la\n```\nThat lists files.");
  frames(2);
  // Entry 1 (the reply), block 1 (the code between the prose blocks).
  click("copy-code:1:1");
  const auto copies = intentsOf(UiIntent::Kind::Copy);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].text, "ls -la");
}

TEST_F(ViewTest, HoveringAMessageOffersCopy) {
  core::SessionState& s = history(state, 0);
  addMessage(s, Role::User, "copy me please");
  frames(2);
  EXPECT_FALSE(hasWidget("copy:0"));
  // Hover the bubble (right-aligned user bubble near the top of the list).
  moveTo(ImGui::GetIO().DisplaySize.x - 50.0f, kHeaderHeight + 24.0f);
  frame();
  ASSERT_TRUE(hasWidget("copy:0"));
  click("copy:0");

  const auto copies = intentsOf(UiIntent::Kind::Copy);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].text, "copy me please");
}

TEST_F(ViewTest, ToolCardArgumentsToggleOpen) {
  core::SessionState& s = history(state, 1);
  core::ToolCard& t = addTool(s, "t-9", core::ToolStatus::Running);
  t.output = "line 1\nline 2\n";
  const int64_t drawnAt = in.nowMs;
  const FrameOutput running = frame();
  // The spinner steps and the elapsed time counts: timed redraws, well under a second away.
  EXPECT_FALSE(running.wantsAnotherFrame);
  EXPECT_GT(running.redrawAtMs, drawnAt);
  EXPECT_LE(running.redrawAtMs, drawnAt + 100);
  frame();
  const double closed = view.debug().contentHeight;
  click("tool-args:t-9");
  frames(2);
  EXPECT_GT(view.debug().contentHeight, closed);
}

TEST_F(ViewTest, IdleViewStopsAskingForFramesAndStreamingKeepsThem) {
  history(state, 4);
  frames(4);
  const FrameOutput idle = frame();
  EXPECT_FALSE(idle.wantsAnotherFrame);
  EXPECT_EQ(idle.redrawAtMs, 0) << "nothing changes by itself";
  state.sessions["s-1"].streaming = core::Streaming{"req-2", "demo", 5};
  streamDelta(state.sessions["s-1"], "Thinking about");
  frame();
  // A stream keeps the frame loop running (the caret blinks; a delta shows in the next frame).
  EXPECT_TRUE(frame().wantsAnotherFrame);
}

TEST_F(ViewTest, AStreamCutOffByAnOutageNeitherRunsTheFrameLoopNorOffersStop) {
  // The gateway died mid-reply: nothing can arrive until it is back, so no frame loop for the
  // caret (the countdown's timed redraws remain) and no Stop button that could not stop it.
  history(state, 4);
  state.sessions["s-1"].streaming = core::Streaming{"req-2", "demo", 5};
  streamDelta(state.sessions["s-1"], "Thinking about");
  status.health = net::Health::Disconnected;
  status.phase = net::Phase::Waiting;
  status.attempt = 1;
  status.nextRetryInMs = 4000;
  frames(3);
  const FrameOutput out = frame();
  EXPECT_FALSE(out.wantsAnotherFrame);
  EXPECT_GT(out.redrawAtMs, 0) << "the countdown still redraws once a second";
  EXPECT_EQ(view.debug().widgets.count("stop"), 0u);
  EXPECT_EQ(view.debug().widgets.count("send"), 1u);
  status.health = net::Health::Partial;  // polling carries the stream again
  status.phase = net::Phase::Waiting;
  frame();
  EXPECT_TRUE(frame().wantsAnotherFrame);
  EXPECT_EQ(view.debug().widgets.count("stop"), 1u);
}

TEST_F(ViewTest, StreamingReplyGrowsAndStaysAtTheBottom) {
  core::SessionState& s = history(state, 60);
  s.streaming = core::Streaming{"req-3", "demo", 9};
  frames(2);
  EXPECT_TRUE(view.debug().stickToBottom);
  const std::size_t entries = view.debug().entryCount;
  EXPECT_EQ(entries, 61u);  // the live reply is an entry of its own
  for (int k = 0; k < 20; ++k) {
    streamDelta(s, "more streamed words ");
    frame();
  }
  frame();
  EXPECT_TRUE(view.debug().stickToBottom);
  EXPECT_EQ(view.debug().lastVisible, entries);
}

TEST_F(ViewTest, ScrollingUpShowsJumpToLatestWhichReturnsToTheBottom) {
  history(state, 200);
  frames(3);
  EXPECT_FALSE(hasWidget("jump-latest"));
  const Rect composer = widget("composer");
  ImGui::GetIO().AddMousePosEvent(composer.x + 50.0f, 300.0f);
  frame();
  for (int k = 0; k < 5; ++k) {
    ImGui::GetIO().AddMouseWheelEvent(0.0f, 5.0f);
    frame();
  }
  frame();
  EXPECT_FALSE(view.debug().stickToBottom);
  EXPECT_LT(view.debug().lastVisible, 200u);
  ASSERT_TRUE(hasWidget("jump-latest"));
  click("jump-latest");
  frames(2);
  EXPECT_TRUE(view.debug().stickToBottom);
  EXPECT_EQ(view.debug().lastVisible, 200u);
}

TEST_F(ViewTest, MalformedStateNeverCrashes) {
  core::SessionState& s = addSession(state, "s-x", "");
  state.currentSessionId = "s-x";
  s.timeline.push_back(core::Entry{core::EntryKind::Message, 42});  // dangling indices
  s.timeline.push_back(core::Entry{core::EntryKind::Tool, 7});
  s.timeline.push_back(core::Entry{core::EntryKind::Approval, 3});
  addMessage(s, Role::Error, std::string("bad \xFF\xFE utf8 and a very long token ") + std::string(500, 'x'));
  EXPECT_NO_FATAL_FAILURE(frames(3));
  in.state = nullptr;
  in.status = nullptr;
  EXPECT_NO_FATAL_FAILURE(frames(2));
}

TEST_F(ViewTest, ThemesSwitchWithoutRelayout) {
  history(state, 5);
  frames(2);
  const uint64_t calls = view.debug().layoutCalls;
  view.setTheme(Theme::Dark);
  EXPECT_EQ(view.theme(), Theme::Dark);
  frames(2);
  EXPECT_EQ(view.debug().layoutCalls, calls);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  EXPECT_LT(bg.x + bg.y + bg.z, 0.5f);  // dark background
}

}  // namespace
}  // namespace chat::ui::test
