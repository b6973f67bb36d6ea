#include "app/dom_field.h"

#include "page/display_scale.h"
#include "web/js_bridge.h"

namespace chat::app {

void DomField::clear() {
  text_.clear();
  if (which_ == Which::Composer) {
    chatjs_set_composer_text("");
  } else {
    chatjs_set_signin_text("");
  }
}

void DomField::focus() {
  if (which_ == Which::Composer) {
    chatjs_focus_composer();
  } else {
    chatjs_focus_signin();
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
  } else {
    chatjs_set_signin_rect(css.x, css.y, css.w, css.h, visible ? 1 : 0);
  }
}

}  // namespace chat::app
