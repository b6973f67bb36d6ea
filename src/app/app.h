// The wasm client: boots the browser adapters (src/web), the ChatClient (src/core) and the
// ImGui view (src/ui), and wires them. Its rooms:
//   HostApi    window.chatClient and postMessage (host_api.h)
//   DomField   the composer and the sign-in field laid over the canvas (dom_field.h)
//   FrameLoop  when frames are drawn, timers, the periodic tick (frame_loop.h)
//   keyboard.cpp  the canvas's accessible twins (activation, focus) and the keyboard shortcuts
//   App        boot, browser events, and dispatch(): the one place a UiIntent (from the view
//              or from a key in a DOM field) becomes an action.
#pragma once

#include <memory>
#include <string>

#include "app/dom_field.h"
#include "app/frame_loop.h"
#include "app/graphics.h"
#include "app/host_api.h"
#include "app/session_controls.h"
#include "core/client/chat_client.h"
#include "page/composer_keys.h"
#include "page/config.h"
#include "page/live_announcer.h"
#include "page/sign_in.h"
#include "ui/chat_view.h"
#include "web/browser_clock.h"
#include "web/browser_http.h"
#include "web/browser_websocket.h"
#include "web/local_storage.h"

namespace chat::app {

class App {
 public:
  static App& instance();
  // Reads the configuration and starts everything; false (with a message shown) when the page
  // cannot run the client.
  bool start();

  // What the user asked for, from the view or from a key in a DOM field.
  void dispatch(const ui::UiIntent& intent);

  HostApi* host() { return host_.get(); }
  bool setTheme(const std::string& theme);
  std::string debugJson() const;
  std::string itemRectJson(const std::string& id) const;

  // Browser events.
  void onInput();
  void onResize();
  void onOnline(bool online);
  void onVisible(bool visible);
  void onColorScheme(bool dark);
  void onHostMessage(const std::string& origin, bool fromParent, const std::string& json);
  void onTouchScroll(double dyCss);
  // The DOM fields: edits, focus, and the keys that mean something (1: handled, 2: handled
  // and the stream was stopped, 0: the field keeps the key).
  void onFieldInput(DomField::Which which, const std::string& text);
  void onFieldFocus(DomField::Which which, bool focused);
  int onComposerKey(const web::KeyPress& key);
  // The accessible twins of the canvas's controls (ui/a11y_tree.h): one was activated (Enter,
  // Space, a screen reader's double tap), got or lost the focus, or a key was pressed on it
  // (id "": on the page, not in a field). Keys: 1 handled, 0 the element keeps it.
  void onA11yActivate(const std::string& id);
  void onA11yFocus(const std::string& id, bool focused);
  int onA11yKey(const std::string& id, const web::KeyPress& key);
  int onSignInKey(const std::string& key, bool composing, int keyCode);
  int onFieldKey(DomField::Which which, const std::string& key, bool composing);

 private:
  App() = default;
  DomField& field(DomField::Which which);
  void schedule();
  void tick();
  FrameLoop::Drawn drawFrame();
  void applyTheme();
  void announce();
  void submitSignIn();
  ui::SignInPrompt signInPrompt();
  // A key's meaning (page/composer_keys.h) carried out; `controlId` is the focused twin's.
  bool runKeyAction(web::KeyAction action, const std::string& controlId);
  void focusOldestApproval();
  void afterA11yFrame();  // a focus asked for before its twin existed

  web::AppConfig config_;
  web::BrowserClock clock_;
  web::BrowserRandom random_;
  web::BrowserWebSocket ws_;
  web::BrowserHttp http_;
  web::LocalStorage storage_;
  std::unique_ptr<client::ChatClient> client_;
  std::unique_ptr<HostApi> host_;
  std::unique_ptr<FrameLoop> loop_;  // set once the graphics are ready: frames may be drawn
  ui::ChatView view_;
  Graphics gfx_;
  web::LiveAnnouncer announcer_;

  web::ThemeChoice themeChoice_ = web::ThemeChoice::Auto;
  bool prefersDark_ = false;
  bool coarsePointer_ = false;  // (pointer: coarse): read at start and on resize
  DomField composer_{DomField::Which::Composer};
  bool focusedOnLoad_ = false;  // the composer got the focus once, after the first layout
  ui::TranscriptScroll scroll_ = ui::TranscriptScroll::None;  // for the next frame
  std::string pendingFocus_;  // a twin to focus once drawn (Alt+A while the card was off screen)
  int pendingFocusFrames_ = 0;
  // Sign-in panel: shown while the gateway refuses the credentials.
  web::SignInFlow signIn_;
  DomField signInField_{DomField::Which::SignIn};
  // The session list's fields and intents (rename, search, edit the last message, ...).
  std::unique_ptr<SessionControls> sessions_;
};

}  // namespace chat::app
