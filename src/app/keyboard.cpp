// The App's keyboard and screen-reader side: the canvas's accessible twins (ui/a11y_tree.h,
// web/library_a11y.js) and the shortcuts of page/composer_keys.h.
#include <emscripten.h>

#include "app/app.h"
#include "page/a11y_focus.h"
#include "ui/a11y_report.h"
#include "ui/approval_card.h"
#include "web/browser_a11y.h"
#include "web/js_bridge.h"

namespace chat::app {

namespace {

constexpr int kFocusRetryFrames = 5;  // frames to wait for a scrolled-to card to be drawn
constexpr const char* kDrawerToggle = "sidebar-toggle";  // the header's twin (ui/header.cpp)

bool isApprovalIntent(ui::UiIntent::Kind k) {
  using K = ui::UiIntent::Kind;
  return k == K::Approve || k == K::Deny || k == K::ApproveSession;
}

// A / D / S on any of a card's three buttons: the answer that key names, for that card.
ui::UiIntent approvalIntent(web::KeyAction a, const std::string& toolCallId) {
  using K = ui::UiIntent::Kind;
  const K kind = a == web::KeyAction::Approve ? K::Approve : a == web::KeyAction::Deny ? K::Deny : K::ApproveSession;
  return ui::UiIntent{kind, toolCallId, std::string()};
}

}  // namespace

void App::onA11yActivate(const std::string& id) {
  // A twin with an intent does what a click on the canvas does; one without it is acted on by
  // its view in the next frame (a11y_report.h).
  if (auto intent = ui::a11yTree().activate(id)) {
    dispatch(*intent);
  } else {
    onInput();
  }
}

void App::onA11yFocus(const std::string& id, bool focused) {
  ui::A11yTree& tree = ui::a11yTree();
  if (focused) {
    tree.setFocused(id);
  } else if (tree.focused() == id) {
    tree.setFocused(std::string());
  }
  onInput();  // a focused Copy twin shows its button on the canvas
}

int App::onA11yKey(const std::string& id, const web::KeyPress& key) {
  const ui::A11yControl* c = id.empty() ? nullptr : ui::a11yTree().find(id);
  const bool onApproval = c != nullptr && c->intent && isApprovalIntent(c->intent->kind);
  return runKeyAction(web::controlKeyAction(key, onApproval), id) ? 1 : 0;
}

bool App::runKeyAction(web::KeyAction action, const std::string& controlId) {
  using A = web::KeyAction;
  using S = ui::TranscriptScroll;
  switch (action) {
    case A::None: return false;
    case A::Send: dispatch(ui::UiIntent{ui::UiIntent::Kind::Send, std::string(), composer_.text()}); return true;
    case A::CancelStream: {
      // Escape in the narrow layout's open drawer closes it (as its toggle does) and gives the
      // focus back to the toggle.
      const ui::A11yControl* toggle = ui::a11yTree().find(kDrawerToggle);
      if (!controlId.empty() && toggle != nullptr && toggle->state.expanded == 1) {
        ui::a11yTree().activate(kDrawerToggle);
        pendingFocus_ = kDrawerToggle;
        pendingFocusFrames_ = kFocusRetryFrames;
        onInput();
        return true;
      }
      const core::SessionState* s = client_->state().current();
      if (s == nullptr || !s->streaming) return false;  // nothing to stop: Escape stays the page's
      dispatch(ui::UiIntent{ui::UiIntent::Kind::Cancel, std::string(), std::string()});
      return true;
    }
    case A::ScrollPageUp: scroll_ = S::PageUp; break;
    case A::ScrollPageDown: scroll_ = S::PageDown; break;
    case A::ScrollTop: scroll_ = S::Top; break;
    case A::ScrollBottom: scroll_ = S::Bottom; break;
    case A::FocusApproval: focusOldestApproval(); return true;
    case A::Approve:
    case A::Deny:
    case A::ApproveSession: {
      const ui::A11yControl* c = ui::a11yTree().find(controlId);
      if (c == nullptr || !c->intent) return false;
      dispatch(approvalIntent(action, c->intent->target));
      return true;
    }
  }
  onInput();
  return true;
}

void App::focusOldestApproval() {
  const std::string toolCallId = web::oldestPendingApproval(client_->state().current());
  if (toolCallId.empty()) {
    chatjs_announce("No approval is waiting.", 0);
    return;
  }
  const std::string id = ui::approveControlId(toolCallId);
  if (web::focusA11yControl(id.c_str())) return;
  // Not on screen: follow the transcript to its end (where pending cards are) and try again
  // once it has been drawn.
  pendingFocus_ = id;
  pendingFocusFrames_ = kFocusRetryFrames;
  scroll_ = ui::TranscriptScroll::Bottom;
  onInput();
}

void App::afterA11yFrame() {
  const std::string asked = ui::a11yTree().takeFocusRequest();
  if (!asked.empty() && !web::focusA11yControl(asked.c_str())) {
    pendingFocus_ = asked;
    pendingFocusFrames_ = kFocusRetryFrames;
  }
  if (pendingFocus_.empty()) return;
  if (web::focusA11yControl(pendingFocus_.c_str()) || --pendingFocusFrames_ <= 0) {
    pendingFocus_.clear();
  } else if (loop_) {
    loop_->scheduler().requestFrame();
  }
}

}  // namespace chat::app
