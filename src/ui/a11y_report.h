// How views report the controls they draw to the accessible twin (a11y_tree.h explains why).
//
//   // right after drawing an ImGui item:
//   if (accentButton("Send", ctx, size)) ctx.emit(UiIntent::Kind::Send, {}, text);
//   reportItem("send", A11yRole::Button, "Send", UiIntent{UiIntent::Kind::Send, {}, text});
//
//   // a control whose action lives in the view (no intent): its activation comes back as a
//   // true return on the next frame; treat it like a click.
//   if (ImGui::Button("##toggle") || reportItem("sidebar-toggle", A11yRole::Toggle, "Chats", {}, st))
//     open = !open;
//
//   // state: a picker that opens (Combobox, expanded), an on/off (Toggle or Switch, checked),
//   // the current row of a list (selected -> aria-current), a disabled button (disabled)
//   A11yState st; st.expanded = open ? 1 : 0;
//   reportItem("model-picker", A11yRole::Combobox, "Model: " + model, std::nullopt, st);
//
//   // a DOM field of your own (a search <input id="chat-search">) joins the Tab order here:
//   A11yControl f; f.id = "search"; f.role = A11yRole::Textbox; f.name = "Search chats";
//   f.domId = "chat-search"; reportItem(std::move(f));
//
// Rules: report in reading order (that is the Tab order); ids stay the same while the control
// does ("session:<id>", not a row index); name says what it does ("Delete chat Foo", not "X");
// items of a List / Group name it as `parent` (or draw them inside an A11yParent scope) and
// come after it. Items ImGui clipped away (scrolled out of their window) are not reported: they
// have no place on screen. Rects are display units (CSS px relative to the canvas), like
// ViewDebug::widgets; a11yTree().controls() lists last frame's, e.g. to check target sizes.
// The app dispatches the intent of an activated twin through the same App::dispatch as clicks;
// keys on a twin (page/composer_keys.h) go to App::onA11yKey.
#pragma once

#include <optional>
#include <string>

#include "ui/a11y_tree.h"

namespace chat::ui {

// Where each frame's changes go (the browser: src/web/browser_a11y.cpp). None: nothing is sent.
class A11yHost {
 public:
  virtual ~A11yHost() = default;
  virtual void apply(const A11yDelta& delta, float displayWidth) = 0;
};
void setA11yHost(A11yHost* host);

// The tree the views of this page report into.
A11yTree& a11yTree();

// Reports `control` as drawn this frame. True when its twin was activated (controls without an
// intent only): do what a click does.
bool reportControl(A11yControl control);
// The same for the last ImGui item, whose rect it takes; false (and nothing reported) when the
// item was clipped away.
bool reportItem(A11yControl control);
bool reportItem(std::string id, A11yRole role, std::string name, std::optional<UiIntent> intent = std::nullopt,
                A11yState state = {});
// A container (List / Group / Status...) at `rect`.
void reportArea(std::string id, A11yRole role, std::string name, const Rect& rect, std::string parent = {});

// While one lives, controls reported without a parent belong to `id` (a list item's buttons,
// drawn by a view that does not know which item it is in).
class A11yParent {
 public:
  explicit A11yParent(std::string id);
  ~A11yParent();
  A11yParent(const A11yParent&) = delete;
  A11yParent& operator=(const A11yParent&) = delete;

 private:
  std::string previous_;
};

// Once per frame, after every view drew: hands the changes to the host.
void endA11yFrame(float displayWidth);

}  // namespace chat::ui
