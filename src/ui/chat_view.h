// The chat UI in Dear ImGui: draws one frame from ChatState + connection Status and reports
// what the user did as intents. No I/O, no platform calls: the app (src/app) turns intents into
// ChatClient calls and platform actions (clipboard, DOM composer).
//
// Implemented here: session sidebar (collapses when narrow), header with connection pill and
// "Retry now", message list (bubbles, word wrap cached per message and width, list clipping,
// fenced code blocks with Copy, streaming caret), tool cards, approval cards, the composer frame
// and its Send/Stop button, the usage/cost footer, light/dark themes, and the sign-in panel
// shown while the gateway refuses the page's credentials.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/net/status.h"

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
    Copy,            // text = what to put on the clipboard
    FocusComposer,   // the user clicked into the composer area
    SignIn,          // the sign-in panel's button (the entry is in the app's DOM field)
    FocusSignIn,     // the user clicked into the sign-in field's area
    SetTheme,        // text = "auto", "light" or "dark" (the sidebar's theme switch)
    ToggleThinking,  // target = requestId of the reply whose "Thinking" block opens / closes
    SetModel,        // text = the model the current session's next turns use (header picker)
    // The session list (sidebar*.cpp, session_*.cpp):
    LoadMoreSessions,  // the list was scrolled near its end: the next page
    BeginRename,       // target = sessionId, text = its title (the app opens the rename field)
    CancelRename,
    ArchiveSession,    // target = sessionId, text = "archive" or "unarchive"
    DeleteSession,     // target = sessionId (already confirmed in the view)
    FocusSearch,       // the user clicked into the search field's area
    ClearSearch,
    OpenSearchResult,  // target = sessionId, text = the messageId to show ("" for a title)
    // The current chat's last exchange (session_actions.cpp):
    Regenerate,        // a new reply to the last user message (also Retry of a failed one)
    BeginEdit,         // target = the last user message's id, text = its content
    CancelEdit,
  };
  Kind kind;
  std::string target;
  std::string text;
};

// Where the composer's text area is, in ImGui display units (= CSS pixels when the app sets
// DisplaySize in CSS px and DisplayFramebufferScale to devicePixelRatio, as loadFonts assumes),
// relative to the canvas, so the app can lay the DOM textarea over it (the DOM element gives
// paste, IME and mobile keyboards).
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Rect& o) const { return x == o.x && y == o.y && w == o.w && h == o.h; }
  bool operator!=(const Rect& o) const { return !(*this == o); }
};

// The sign-in panel, as the app's sign-in flow (page/sign_in.h) decides it. Its text field
// is a DOM <input> the app lays over FrameOutput::signInFieldRect, like the composer's textarea.
struct SignInPrompt {
  bool visible = false;
  bool busy = false;      // waiting for the gateway's answer: the button is disabled
  bool error = false;     // `message` reports a refusal (drawn in red)
  bool hasText = false;   // the field holds something to submit
  bool focused = false;   // the field has the keyboard focus (its frame is highlighted)
  std::string message;
};

// A keyboard request to scroll the transcript (PageUp / PageDown, Ctrl+Home / Ctrl+End in the
// composer), applied by the frame that receives it.
enum class TranscriptScroll { None, PageUp, PageDown, Top, Bottom };

struct FrameInput {
  const core::ChatState* state = nullptr;
  const net::Status* status = nullptr;
  int64_t nowMs = 0;          // wall clock, for elapsed times and the retry countdown
  std::string composerText;   // mirrored from the DOM textarea (to enable/disable Send)
  bool composerFocused = false;
  SignInPrompt signIn;
  std::string themeChoice = "auto";  // what the theme switch shows: auto, light or dark
  TranscriptScroll scroll = TranscriptScroll::None;
  bool coarsePointer = false;  // a finger, not a mouse: every target at least kTouchTarget px
  // The session list's fields, mirrored from their DOM inputs like the composer.
  std::string searchText;
  bool searchFocused = false;
  std::string renamingSessionId;  // the row whose title is being edited ("" when none)
  bool renameFocused = false;
  int64_t utcOffsetMs = 0;        // the user's zone (local minus UTC), for the date groups
  std::string editingMessageId;   // the composer edits this user message ("" when not)
  // Scroll the transcript to this message once it is there (a search result was opened);
  // a new `revealSerial` asks again.
  std::string revealMessageId;
  uint64_t revealSerial = 0;
};

struct FrameOutput {
  std::vector<UiIntent> intents;
  Rect composerRect;
  Rect signInFieldRect;  // where the sign-in field goes (w = 0: the panel is not drawn)
  Rect searchFieldRect;  // the sidebar's search field (w = 0: not drawn)
  Rect renameFieldRect;  // the title field of the row being renamed (w = 0: none)
  bool wantsAnotherFrame = false;  // a smooth movement (scrolling) or queued input: next vsync
  // Wall-clock ms at which the view changes by itself (countdown, elapsed timer, caret blink,
  // spinner step): draw a frame then. 0: nothing is due.
  int64_t redrawAtMs = 0;
};

// What the last frame did, for tests and diagnostics (cheap: filled every frame).
struct ViewDebug {
  uint64_t layoutCalls = 0;       // entries laid out (wrapped) since the view was made
  std::size_t entryCount = 0;     // timeline entries of the current session (+1 while streaming)
  std::size_t firstVisible = 0;   // entries drawn last frame: [firstVisible, lastVisible)
  std::size_t lastVisible = 0;
  bool sidebarCollapsed = false;  // narrow window: the sidebar is behind a toggle button
  bool sidebarOpen = false;       // shown (always when not collapsed)
  bool stickToBottom = true;      // the list follows new content
  double contentHeight = 0;       // the message list's total height (measured + estimated)
  std::string pillText;           // connection pill as shown
  // Screen rects of the widgets drawn last frame, by name: "send", "stop", "retry",
  // "new-chat", "sidebar-toggle", "jump-latest", "session:<id>", "session-menu:<id>",
  // "rename:<id>", "archive:<id>", "delete:<id>" (its menu), "delete-confirm", "delete-cancel",
  // "show-archived", "search", "result:<n>", "regenerate", "edit-last", "cancel-edit",
  // "approval:<toolCallId>:Approve" / ":Deny" / ":Approve for session",
  // "copy:<entry>" (hover copy of a message), "copy-code:<entry>:<block>",
  // "tool-args:<toolCallId>", "composer", "sign-in" (button), "sign-in-field".
  std::map<std::string, Rect> widgets;
};

class ChatView {
 public:
  ChatView();
  ~ChatView();
  // Fonts: call once after ImGui::CreateContext and again when devicePixelRatio changes.
  // Loads DejaVu Sans / Sans Mono from `fontDir` (embedded in the wasm file system), sized
  // 15 / 14 px * pixelRatio with io.FontGlobalScale = 1 / pixelRatio, and builds the atlas: the
  // caller then (re)creates the GL font texture. Not between NewFrame and Render. Missing files
  // fall back to ImGui's built-in font. setTheme also applies the ImGui style right away.
  void loadFonts(const std::string& fontDir, float pixelRatio);
  void setTheme(Theme t);
  // Build one ImGui frame (between ImGui::NewFrame and ImGui::Render).
  FrameOutput frame(const FrameInput& in);

  Theme theme() const;
  const ViewDebug& debug() const;  // about the last frame()

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::ui
