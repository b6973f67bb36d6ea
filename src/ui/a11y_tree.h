// The accessible twin of what a frame drew (issue 13, keyboard and screen readers).
//
// ImGui draws buttons as pixels: no screen reader, Tab key or touch explorer sees them. So every
// view reports, each frame, the controls it drew: a stable id, a role, an accessible name, its
// state, where it is on the canvas and what activating it does. The browser host (src/web,
// web/library_a11y.js) mirrors them as real, focusable, transparent DOM elements laid over the
// canvas at those rects (in the report order, which is the Tab order). Activating a DOM twin
// (Enter, Space, a screen reader's double tap) does what a click does.
//
// This file is the pure bookkeeping: the controls of one frame, and the difference to the last
// frame handed to the host, so the DOM is touched only where something changed. Idle frames send
// nothing; scrolling sends only new rects. Views report through a11y_report.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ui/chat_view.h"

namespace chat::ui {

enum class A11yRole {
  Button,
  Toggle,     // a button with aria-pressed (state.checked)
  Checkbox,   // state.checked
  Switch,     // role=switch, state.checked
  Combobox,   // a picker that opens a list (state.expanded)
  Link,
  Textbox,    // an existing DOM field (domId, e.g. the composer) kept at this place of the Tab order
  List,       // a container: its items name it as parent
  ListItem,   // `name` is the item's readable text (e.g. "Assistant: ..."), not a label
  Status,     // a polite live region whose text is `name`
  Group,      // a named container (e.g. one approval request and its buttons)
  Heading,    // a level-1 heading whose text is `name` (the open chat's title)
};

const char* a11yRoleName(A11yRole role);  // "button", "toggle", ... (the JSON the host reads)

struct A11yState {
  int8_t checked = -1;   // -1: not applicable; 0 / 1 (Toggle: aria-pressed, Checkbox/Switch: aria-checked)
  int8_t expanded = -1;  // -1: not applicable; 0 / 1 (aria-expanded)
  bool disabled = false;
  bool selected = false;  // the current one of a set (a chat row: aria-current)
  bool operator==(const A11yState& o) const {
    return checked == o.checked && expanded == o.expanded && disabled == o.disabled && selected == o.selected;
  }
};

struct A11yControl {
  std::string id;       // stable across frames (e.g. "send", "session:<id>", "approve:<toolCallId>")
  A11yRole role = A11yRole::Button;
  std::string name;     // accessible name; for ListItem / Status the text read out
  A11yState state;
  Rect rect;            // canvas rect, ImGui display units (CSS px relative to the canvas)
  std::string parent;   // id of the List / Group it belongs to ("" = top level); reported before it
  std::string shortcut;  // aria-keyshortcuts, e.g. "Alt+A" or "A"
  std::string domId;     // Textbox: the DOM element to keep at this place (e.g. "chat-composer")
  int posInSet = 0;      // ListItem of a list drawn in part: 1-based position and size of the set
  int setSize = 0;
  // What activating the twin does. Set: the app dispatches it as if clicked. Unset: the view
  // that reported the control sees A11yTree::takeActivation(id) on its next frame and acts.
  std::optional<UiIntent> intent;

  // Same for the DOM except the rect (a moved control only gets a new position).
  bool sameLook(const A11yControl& o) const {
    return id == o.id && role == o.role && name == o.name && state == o.state && parent == o.parent &&
           shortcut == o.shortcut && domId == o.domId && posInSet == o.posInSet && setSize == o.setSize;
  }
};

// What changed between two frames, as the host applies it.
struct A11yDelta {
  std::vector<A11yControl> upserts;  // new controls and controls whose look changed (with rect)
  std::vector<std::pair<std::string, Rect>> moves;  // controls that only moved
  std::vector<std::string> removed;
  std::vector<std::string> order;  // every id in report (Tab) order; empty when the order is unchanged
  bool empty() const { return upserts.empty() && moves.empty() && removed.empty() && order.empty(); }
};

// {"w":displayWidth,"up":[{...}],"mv":[[id,x,y,w,h]],"rm":[id],"order":[id]}: what
// web/library_a11y.js reads. displayWidth lets it scale display units to CSS px.
std::string a11yDeltaJson(const A11yDelta& delta, float displayWidth);

class A11yTree {
 public:
  // A control drawn this frame, in Tab order. A repeated id gets "#2", "#3"... appended (two
  // views must never share a DOM element), an empty one is ignored.
  void add(A11yControl control);
  // Ends the frame: what changed since the last finished frame. The frame's controls become the
  // ones find() and activate() see.
  A11yDelta finishFrame();

  // In the last finished frame.
  const A11yControl* find(const std::string& id) const;
  const std::vector<A11yControl>& controls() const { return sent_; }

  // The DOM twin `id` was activated: its intent to dispatch, or none (then the view that drew it
  // reads takeActivation(id) on its next frame). Unknown ids do nothing.
  std::optional<UiIntent> activate(const std::string& id);
  bool takeActivation(const std::string& id);

  // Which twin has the keyboard focus ("" none): views draw what is normally shown on hover
  // (a message's Copy button) while its twin is focused.
  void setFocused(const std::string& id) { focused_ = id; }
  const std::string& focused() const { return focused_; }
  // A view moves the keyboard focus to a twin (e.g. into a drawer its toggle just opened); the
  // app does it once the frame's twins are on the page. The last request of a frame wins.
  void requestFocus(std::string id) { focusRequest_ = std::move(id); }
  std::string takeFocusRequest() { return std::exchange(focusRequest_, std::string()); }

  // Counters for tests and the debug API.
  struct Stats {
    std::size_t controls = 0;  // in the last finished frame
    uint64_t deltas = 0;       // frames that changed something
    uint64_t upserts = 0;      // controls (re)built over all frames
    uint64_t moves = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  std::vector<A11yControl> frame_, sent_;
  std::unordered_map<std::string, std::size_t> frameIndex_, sentIndex_;
  std::vector<std::string> pending_;  // activations for views to take
  std::string focused_;
  std::string focusRequest_;
  Stats stats_;
};

}  // namespace chat::ui
