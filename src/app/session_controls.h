// The app's part of the session list and the last exchange: the sidebar's two DOM fields
// (search, a chat's new title), and what the sidebar's and the action bar's intents do
// (rename, archive, delete, search, open a result at its message, load more, regenerate,
// edit the last message through the composer). App::dispatch hands these intents here.
#pragma once

#include <cstdint>
#include <string>

#include "app/dom_field.h"
#include "core/client/chat_client.h"
#include "ui/chat_view.h"

namespace chat::app {

class SessionControls {
 public:
  SessionControls(client::ChatClient& client, DomField& composer) : client_(client), composer_(composer) {}

  // True when the intent was one of the session list's (and is done).
  bool dispatch(const ui::UiIntent& intent);
  // A Send while the composer edits the last message: sends chat.edit instead. True when it
  // did (the caller clears the composer if an id came back in *sentId).
  bool sendEdit(const std::string& text, std::string* sentId);

  DomField* field(DomField::Which which);
  void onFieldInput(DomField::Which which, const std::string& text, int64_t nowMs);
  void onFieldFocus(DomField::Which which, bool focused);
  // 1: the key was handled (Enter, Escape), 0: the field keeps it.
  int onFieldKey(DomField::Which which, const std::string& key, bool composing);

  void tick(int64_t nowMs);  // a search typed a moment ago goes out now
  void fillInput(ui::FrameInput& in, int64_t nowMs) const;
  // After the frame: the fields follow their frames; focus moves into a field just opened.
  void place(const ui::FrameOutput& out, bool shown, float displayWidth, double cssWidth);

 private:
  void endRename();
  void endEdit();

  client::ChatClient& client_;
  DomField& composer_;
  DomField search_{DomField::Which::Search};
  DomField rename_{DomField::Which::Rename};
  std::string renamingId_;
  bool renameFocusOwed_ = false;
  std::string editingMessageId_;
  std::string editingSessionId_;
  std::string revealMessageId_;
  uint64_t revealSerial_ = 0;
  int64_t searchDueAt_ = 0;  // 0: no search waiting
};

}  // namespace chat::app
