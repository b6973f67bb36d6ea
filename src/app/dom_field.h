// A DOM text field laid over the canvas: the composer <textarea>, the sign-in <input> and the
// sidebar's search and chat-title <input>s are each one of these. The DOM element holds the text (paste, IME, password managers and mobile
// keyboards work there); this side keeps the copy the page last reported, whether the field
// has the focus, and where it sits, and tells the DOM only what changed.
#pragma once

#include <string>

#include "ui/chat_view.h"

namespace chat::app {

class DomField {
 public:
  enum class Which { Composer, SignIn, Search, Rename };
  explicit DomField(Which which) : which_(which) {}

  // The page reports an edit / a focus change.
  void onInput(const std::string& text) { text_ = text; }
  void onFocus(bool focused) { focused_ = focused; }

  const std::string& text() const { return text_; }
  bool focused() const { return focused_; }
  bool visible() const { return visible_; }
  const ui::Rect& rect() const { return rect_; }

  void clear();  // here and in the DOM
  void setText(const std::string& text);  // here and in the DOM
  void focus();
  // Lays the field over `rect` (ImGui display units), hidden when the rect is empty or `shown`
  // is false. displayWidth / cssWidth convert display units to CSS pixels.
  void place(const ui::Rect& rect, bool shown, float displayWidth, double cssWidth);

 private:
  Which which_;
  std::string text_;
  bool focused_ = false;
  ui::Rect rect_;
  bool visible_ = false;
  bool placed_ = false;
};

}  // namespace chat::app
