#include "app/dom_field.h"

#include "page/display_scale.h"
#include "web/js_bridge.h"

namespace chat::app {

namespace {

// The sidebar's fields go through the page's generic one-line fields, by name.
const char* genericName(DomField::Which which) {
  return which == DomField::Which::Search ? "search" : "rename";
}

}  // namespace

void DomField::clear() { setText(std::string()); }

void DomField::setText(const std::string& text) {
  text_ = text;
  if (which_ == Which::Composer) {
    chatjs_set_composer_text(text.c_str());
  } else if (which_ == Which::SignIn) {
    chatjs_set_signin_text(text.c_str());
  } else {
    chatjs_field_set_text(genericName(which_), text.c_str());
  }
}

void DomField::focus() {
  if (which_ == Which::Composer) {
    chatjs_focus_composer();
  } else if (which_ == Which::SignIn) {
    chatjs_focus_signin();
  } else {
    chatjs_field_focus(genericName(which_));
  }
}

void DomField::place(const ui::Rect& rect, bool shown, float displayWidth, double cssWidth) {
  const bool visible = shown && rect.w > 4 && rect.h > 4;
  if (placed_ && rect == rect_ && visible == visible_) return;
  placed_ = true;
  rect_ = rect;
  visible_ = visible;
  const web::CssRect css = web::displayRectToCss(rect.x, rect.y, rect.w, rect.h, displayWidth, cssWidth);
  if (which_ == Which::Composer) {
    chatjs_set_composer_rect(css.x, css.y, css.w, css.h, visible ? 1 : 0);
  } else if (which_ == Which::SignIn) {
    chatjs_set_signin_rect(css.x, css.y, css.w, css.h, visible ? 1 : 0);
  } else {
    chatjs_field_place(genericName(which_), css.x, css.y, css.w, css.h, visible ? 1 : 0);
  }
}

}  // namespace chat::app
