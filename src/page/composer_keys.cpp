#include "page/composer_keys.h"

namespace chat::web {

ComposerKeyAction composerKeyAction(const std::string& key, bool shift, bool ctrlOrMeta,
                                    bool isComposing, int keyCode) {
  // Some browsers report the key that ends a composition with isComposing=false but
  // keyCode 229 (Safari, older Chrome): treat both as "the IME owns this key".
  if (isComposing || keyCode == 229) return ComposerKeyAction::None;
  if (key == "Enter") {
    if (shift) return ComposerKeyAction::None;  // newline
    (void)ctrlOrMeta;                           // Ctrl/Cmd+Enter sends too
    return ComposerKeyAction::Send;
  }
  if (key == "Escape" || key == "Esc") return ComposerKeyAction::CancelStream;
  return ComposerKeyAction::None;
}

}  // namespace chat::web
