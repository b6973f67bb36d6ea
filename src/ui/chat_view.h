// The chat UI in Dear ImGui: draws one frame from ChatState + connection Status and reports
// what the user did as intents. No I/O, no platform calls: the app (src/app) turns intents into
// ChatClient calls and platform actions (clipboard, DOM composer).
//
// Implemented here: session sidebar (collapses when narrow), header with connection pill and
// "Retry now", message list (bubbles, word wrap cached per message and width, list clipping,
// fenced code blocks with Copy, streaming caret), tool cards, approval cards, the composer frame
// and its Send/Stop button, the usage/cost footer, light/dark themes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/net/connection_engine.h"

namespace chat::ui {

enum class Theme { Light, Dark };

struct UiIntent {
  enum class Kind {
    Send,            // text = message (from the composer)
    Cancel,          // stop the active stream
    Approve,         // target = toolCallId
    Deny,            // target = toolCallId
    ApproveSession,  // target = toolCallId
    SwitchSession,   // target = sessionId
    NewChat,
    RetryNow,
    RefreshSessions,
    Copy,            // text = what to put on the clipboard
    FocusComposer,   // the user clicked into the composer area
  };
  Kind kind;
  std::string target;
  std::string text;
};

// Where the composer's text area is, in CSS pixels relative to the canvas, so the app can lay
// the DOM textarea over it (the DOM element gives paste, IME and mobile keyboards).
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Rect& o) const { return x == o.x && y == o.y && w == o.w && h == o.h; }
  bool operator!=(const Rect& o) const { return !(*this == o); }
};

struct FrameInput {
  const core::ChatState* state = nullptr;
  const net::Status* status = nullptr;
  int64_t nowMs = 0;          // wall clock, for elapsed times and the retry countdown
  std::string composerText;   // mirrored from the DOM textarea (to enable/disable Send)
  bool composerFocused = false;
};

struct FrameOutput {
  std::vector<UiIntent> intents;
  Rect composerRect;
  bool wantsAnotherFrame = false;  // an animation (caret, countdown, scrolling) is running
};

class ChatView {
 public:
  ChatView();
  ~ChatView();
  // Fonts: call once after ImGui::CreateContext and again when devicePixelRatio changes.
  // Loads DejaVu Sans / Sans Mono from `fontDir` (embedded in the wasm file system).
  void loadFonts(const std::string& fontDir, float pixelRatio);
  void setTheme(Theme t);
  // Build one ImGui frame (between ImGui::NewFrame and ImGui::Render).
  FrameOutput frame(const FrameInput& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::ui
