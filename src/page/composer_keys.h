// What a key press means, for the parts of the page that are DOM elements: the composer
// <textarea>, and the canvas's accessible twins (src/ui/a11y_tree.h) or the page itself.
//
// In the composer: Enter sends, Shift+Enter is a newline, Escape stops the reply being streamed
// (never while an IME composition is open: Enter then confirms the candidate, it must never send
// half-composed text); PageUp / PageDown and Ctrl+Home / Ctrl+End scroll the transcript (the
// composer keeps the focus, so reading back and typing go together).
// Everywhere: Alt+A moves the focus to the oldest pending approval (kFocusApprovalKeys) and
// Escape stops the reply (the app closes the narrow layout's open drawer with it first). On an approval's buttons: A approves, D denies, S approves for the
// session (kApprovalKeys), one key each, no modifier.
#pragma once

#include <string>

namespace chat::web {

struct KeyPress {
  std::string key;   // KeyboardEvent.key
  std::string code;  // KeyboardEvent.code: the physical key (Alt+A types "å" on a Mac)
  bool shift = false;
  bool ctrlOrMeta = false;
  bool alt = false;
  bool composing = false;  // KeyboardEvent.isComposing (or a composition is known to be open)
  int keyCode = 0;         // KeyboardEvent.keyCode (229 while an IME processes the key)
};

enum class KeyAction {
  None,            // the element keeps the key (typing, newline, caret movement, Tab)
  Send,            // send the composer's text
  CancelStream,    // stop the reply being streamed
  ScrollPageUp,    // the transcript, by about a screen
  ScrollPageDown,
  ScrollTop,       // the transcript's start / end
  ScrollBottom,
  FocusApproval,   // focus the oldest pending approval's Approve button
  Approve,         // answer the approval whose button has the focus
  Deny,
  ApproveSession,
};

constexpr const char* kFocusApprovalKeys = "Alt+A";
// aria-keyshortcuts of the approval buttons: Approve, Deny, Approve for session.
constexpr const char* kApproveKeys = "A";
constexpr const char* kDenyKeys = "D";
constexpr const char* kApproveSessionKeys = "S";

// A key in the composer textarea.
KeyAction composerKeyAction(const KeyPress& k);

// A key on one of the canvas's twins or on the page (not in a text field). `onApproval`: the
// focused twin is one of a pending approval's buttons.
KeyAction controlKeyAction(const KeyPress& k, bool onApproval);

// Whether the action needs the default of the key prevented (everything but None).
inline bool consumesKey(KeyAction a) { return a != KeyAction::None; }

}  // namespace chat::web
