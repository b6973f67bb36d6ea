// What a key press in the DOM composer textarea means. Enter sends, Shift+Enter is a newline,
// Esc stops the stream — except while an IME composition is open (Enter then confirms the
// candidate, it must never send half-composed text).
#pragma once

#include <string>

namespace chat::web {

enum class ComposerKeyAction {
  None,          // let the textarea handle it (typing, newline, navigation)
  Send,          // send the text (the default action must be prevented)
  CancelStream,  // stop the reply being streamed
};

// key: KeyboardEvent.key; keyCode: KeyboardEvent.keyCode (229 while an IME processes the key).
ComposerKeyAction composerKeyAction(const std::string& key, bool shift, bool ctrlOrMeta,
                                    bool isComposing, int keyCode);

}  // namespace chat::web
