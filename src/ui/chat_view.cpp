// Wires the views into one full-window ImGui frame: sidebar | header / messages / composer /
// footer, and collects what they report.
#include "ui/chat_view.h"

#include <algorithm>

#include <imgui.h>
#include <imgui_internal.h>

#include "ui/a11y_report.h"
#include "ui/composer.h"
#include "ui/connection_pill.h"
#include "ui/fonts.h"
#include "ui/links.h"
#include "ui/text_layer.h"
#include "ui/footer.h"
#include "ui/format.h"
#include "ui/glyph_fallback.h"
#include "ui/header.h"
#include "ui/message_list.h"
#include "ui/session_actions.h"
#include "ui/sidebar.h"
#include "ui/sign_in_panel.h"
#include "ui/theme.h"
#include "ui/view_context.h"

namespace chat::ui {

struct ChatView::Impl {
  Theme theme = Theme::Light;
  bool themeApplied = false;
  FontSet fonts;
  uint32_t fontGeneration = 0;
  MessageList list;
  RetryCountdown countdown;
  ViewDebug debug;
  bool sidebarOpen = false;  // narrow windows only: the overlay is shown
  SidebarUi sidebar;
  bool popupWasOpen = false;
  bool signInShown = false;  // the sign-in panel was drawn last frame

  void fillContext(ViewContext& ctx, const FrameInput& in, FrameOutput& out);
  void drawSidebarOverlay(const core::ChatState& state, const FrameInput& in, ViewContext& ctx,
                          ImVec2 display, FrameOutput& out);
};

ChatView::ChatView() : impl_(std::make_unique<Impl>()) {}
ChatView::~ChatView() = default;

void ChatView::loadFonts(const std::string& fontDir, float pixelRatio) {
  impl_->fonts = loadFontSet(fontDir, pixelRatio);
  ++impl_->fontGeneration;  // every cached layout was measured with the old glyphs
}

void ChatView::setTheme(Theme t) {
  impl_->theme = t;
  if (ImGui::GetCurrentContext() != nullptr) {
    applyTheme(t, ImGui::GetStyle());
    impl_->themeApplied = true;
  } else {
    impl_->themeApplied = false;
  }
}

Theme ChatView::theme() const { return impl_->theme; }
const ViewDebug& ChatView::debug() const { return impl_->debug; }

void ChatView::Impl::fillContext(ViewContext& ctx, const FrameInput& in, FrameOutput& out) {
  ctx.palette = &paletteFor(theme);
  // Before loadFonts (or if the atlas was rebuilt by someone else) fall back to ImGui's font.
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  const bool ours = fonts.sans && fonts.mono && atlas->Fonts.Size >= 2 &&
                    atlas->Fonts[0] == fonts.sans && atlas->Fonts[1] == fonts.mono;
  ctx.sans = ours ? fonts.sans : ImGui::GetFont();
  ctx.mono = ours ? fonts.mono : ImGui::GetFont();
  ctx.sansSize = drawSizeOf(ctx.sans);
  ctx.monoSize = drawSizeOf(ctx.mono);
  ctx.sansMetrics = metricsOf(ctx.sans, 1.4f);
  ctx.monoMetrics = metricsOf(ctx.mono, 1.3f);
  ctx.nowMs = in.nowMs;
  ctx.fontGeneration = fontGeneration + (ours ? 0u : 0x80000000u);
  ctx.intents = &out.intents;
  ctx.debug = &debug;
  ctx.themeChoice = in.themeChoice;
  ctx.minTarget = in.coarsePointer ? kTouchTarget : 0.0f;
  // Button rows and code headers are laid out taller for a finger: a change of pointer makes
  // every cached layout stale, as a change of fonts does.
  if (in.coarsePointer) ctx.fontGeneration ^= 0x40000000u;
}

void ChatView::Impl::drawSidebarOverlay(const core::ChatState& state, const FrameInput& in,
                                        ViewContext& ctx, ImVec2 display, FrameOutput& out) {
  const float w = std::min(300.0f, display.x * 0.85f);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(w, display.y));
  ImGui::Begin("##sidebar-overlay", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoScrollWithMouse);
  const SidebarResult drawn = drawSidebar(state, in, sidebar, ctx, ImVec2(w, display.y));
  out.searchFieldRect = drawn.searchField;
  out.renameFieldRect = drawn.renameField;
  const bool picked = drawn.picked;
  ImGui::End();
  // Picking a chat, or clicking outside the panel, closes it.
  const bool clickedOutside = ImGui::IsMouseClicked(ImGuiMouseButton_Left) &&
                              ImGui::GetIO().MousePos.x > w;
  if (picked || clickedOutside) sidebarOpen = false;
}

FrameOutput ChatView::frame(const FrameInput& in) {
  FrameOutput out;
  Impl& s = *impl_;
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab / arrows / Space reach buttons
  if (!s.themeApplied) {
    applyTheme(s.theme, ImGui::GetStyle());
    s.themeApplied = true;
  }
  s.debug.widgets.clear();
  s.debug.pillText.clear();
  beginTextRunFrame();  // this frame's budget for rasterizing new browser-font runs

  static const core::ChatState kEmptyState;
  static const net::Status kNoStatus;
  const core::ChatState& state = in.state ? *in.state : kEmptyState;
  const net::Status& status = in.status ? *in.status : kNoStatus;
  const core::SessionState* session = state.current();

  ViewContext ctx;
  s.fillContext(ctx, in, out);
  ctx.streamStalled = status.health == net::Health::Disconnected;

  const ImVec2 display = io.DisplaySize;
  const bool narrow = display.x < kNarrowWidth;
  if (!narrow) s.sidebarOpen = false;
  const float sidebarW = narrow ? 0.0f : std::clamp(display.x * 0.24f, 200.0f, 280.0f);
  const float mainX = sidebarW;
  const float mainW = std::max(1.0f, display.x - sidebarW);

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(display);
  // Never brought to front: the narrow-window sidebar overlay stays above it.
  ImGui::Begin("##chat", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                   ImGuiWindowFlags_NoScrollbar);
  if (!narrow) {
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    const SidebarResult drawn = drawSidebar(state, in, s.sidebar, ctx, ImVec2(sidebarW, display.y));
    out.searchFieldRect = drawn.searchField;
    out.renameFieldRect = drawn.renameField;
  }

  ImGui::SetCursorScreenPos(ImVec2(mainX, 0));
  const int64_t retryInMs = s.countdown.remainingMs(status, in.nowMs);
  HeaderModel header = headerModel(state, status, retryInMs);
  if (in.signIn.visible && status.phase == net::Phase::Unauthorized) header.pill = signInPill();
  header.showToggle = narrow;
  header.drawerOpen = narrow && s.sidebarOpen;
  if (drawHeader(header, ctx, mainW)) s.sidebarOpen = !s.sidebarOpen;

  // Stop only while the reply can still be stopped (not while nothing reaches the gateway).
  const bool streaming = session && session->streaming.has_value() && !ctx.streamStalled;
  const float composerH = composerHeight(in.composerText, ctx, mainW);
  const float footerH = footerHeight(ctx);
  // Regenerate / Retry / Edit for the last exchange, between the transcript and the composer.
  const float actionsH = sessionActionsHeight(session, in, ctx);
  const float listH = std::max(40.0f, display.y - kHeaderHeight - composerH - footerH - actionsH);
  ImGui::SetCursorScreenPos(ImVec2(mainX, kHeaderHeight));
  s.list.scroll(in.scroll);
  if (!in.revealMessageId.empty()) s.list.reveal(in.revealMessageId, in.revealSerial);
  s.list.draw(session, ctx, ImVec2(mainW, listH));
  if (actionsH > 0.0f) {
    ImGui::SetCursorScreenPos(ImVec2(mainX, kHeaderHeight + listH));
    drawSessionActions(session, in, ctx);
  }

  ImGui::SetCursorScreenPos(ImVec2(mainX, kHeaderHeight + listH + actionsH));
  out.composerRect = drawComposer(in, streaming, ctx, mainW, composerH);
  ImGui::SetCursorScreenPos(ImVec2(mainX, kHeaderHeight + listH + actionsH + composerH));
  drawFooter(state, ctx, mainW, in.signIn.visible);
  ImGui::End();
  endLinkFrame();  // the pointer cursor over a link, or not
  endTextLayerFrame();  // the selectable DOM copy of the lines drawn, if they changed

  // The sign-in panel covers the messages (not while the narrow sidebar is open over them).
  if (in.signIn.visible && !(narrow && s.sidebarOpen)) {
    out.signInFieldRect = drawSignInPanel(in.signIn, ctx, Rect{mainX, kHeaderHeight, mainW, listH}, !s.signInShown);
    s.signInShown = true;
  } else {
    s.signInShown = false;
  }
  if (narrow && s.sidebarOpen) s.drawSidebarOverlay(state, in, ctx, display, out);
  endA11yFrame(display.x);  // the DOM twins of the controls drawn, if they changed

  // Report what the tests and the app's diagnostics look at.
  s.debug.layoutCalls = s.list.layoutCalls();
  s.debug.entryCount = s.list.entryCount();
  s.debug.firstVisible = s.list.firstVisible();
  s.debug.lastVisible = s.list.lastVisible();
  s.debug.sidebarCollapsed = narrow;
  s.debug.sidebarOpen = !narrow || s.sidebarOpen;
  s.debug.stickToBottom = s.list.stickToBottom();
  s.debug.contentHeight = s.list.contentHeight();

  // Idle costs nothing: another frame only while something moves or input is still queued.
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool popupOpen = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (header.pill.counting && countdownChangesInMs(retryInMs) > 0) {
    ctx.redrawAt(in.nowMs + countdownChangesInMs(retryInMs));
  }
  out.redrawAtMs = ctx.redrawAtMs;
  // Runs the raster budget left out are drawn on the next frame.
  out.wantsAnotherFrame = ctx.animating || s.list.wantsAnotherFrame() || textRunsDeferred() ||
                          !out.intents.empty() || g.InputEventsQueue.Size > 0 ||
                          ImGui::IsAnyItemActive() || popupOpen != s.popupWasOpen;
  s.popupWasOpen = popupOpen;
  return out;
}

}  // namespace chat::ui
