#include "page/composer_keys.h"

namespace chat::web {

namespace {

// Some browsers report the key that ends a composition with isComposing=false but keyCode 229
// (Safari, older Chrome): both mean "the IME owns this key".
bool imeOwns(const KeyPress& k) { return k.composing || k.keyCode == 229; }

bool isEscape(const KeyPress& k) { return k.key == "Escape" || k.key == "Esc"; }

bool isFocusApproval(const KeyPress& k) {
  return k.alt && !k.ctrlOrMeta && !k.shift && (k.code == "KeyA" || k.key == "a" || k.key == "A");
}

}  // namespace

KeyAction composerKeyAction(const KeyPress& k) {
  if (imeOwns(k)) return KeyAction::None;
  if (k.key == "Enter") {
    if (k.shift || k.alt) return KeyAction::None;  // newline
    return KeyAction::Send;                         // Ctrl/Cmd+Enter sends too
  }
  if (isEscape(k)) return KeyAction::CancelStream;
  if (isFocusApproval(k)) return KeyAction::FocusApproval;
  if (k.alt || k.shift) return KeyAction::None;  // Shift+PageUp selects text in the composer
  if (k.key == "PageUp") return KeyAction::ScrollPageUp;
  if (k.key == "PageDown") return KeyAction::ScrollPageDown;
  // Plain Home / End move the caret within the line; with Ctrl (Cmd) they mean the transcript.
  if (k.ctrlOrMeta && k.key == "Home") return KeyAction::ScrollTop;
  if (k.ctrlOrMeta && k.key == "End") return KeyAction::ScrollBottom;
  return KeyAction::None;
}

KeyAction controlKeyAction(const KeyPress& k, bool onApproval) {
  if (imeOwns(k)) return KeyAction::None;
  if (isEscape(k)) return KeyAction::CancelStream;
  if (isFocusApproval(k)) return KeyAction::FocusApproval;
  if (!onApproval || k.alt || k.ctrlOrMeta || k.shift) return KeyAction::None;  // Ctrl+A, Ctrl+D stay the browser's
  if (k.code == "KeyA" || k.key == "a") return KeyAction::Approve;
  if (k.code == "KeyD" || k.key == "d") return KeyAction::Deny;
  if (k.code == "KeyS" || k.key == "s") return KeyAction::ApproveSession;
  return KeyAction::None;
}

}  // namespace chat::web
