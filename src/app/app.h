// The wasm client: wires the browser adapters (src/web), the ChatClient (src/core) and the
// ImGui view (src/ui) together, and owns the main loop.
//
// Rendering happens only when needed (input, a change of the chat, a resize, or an animation
// the view asks for); a 250 ms timer keeps ChatClient::tick() running so heartbeats and retries
// happen on an idle page too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/client/chat_client.h"
#include "ui/chat_view.h"
#include "web/browser_clock.h"
#include "web/browser_http.h"
#include "web/browser_websocket.h"
#include "web/local_storage.h"
#include "web/logic/config.h"
#include "web/logic/embed_policy.h"
#include "web/logic/frame_scheduler.h"
#include "web/logic/live_announcer.h"
#include "web/logic/sign_in.h"
#include "app/graphics.h"

namespace chat::app {

class App {
 public:
  static App& instance();
  // Reads the configuration and starts everything; false (with a message shown) when the page
  // cannot run the client.
  bool start();

  // JS API (window.chatClient) and postMessage commands.
  std::string send(const std::string& text);
  std::string cancel();
  std::string respond(const std::string& toolCallId, bool approved, bool sessionApprove);
  std::string snapshotJson() const;
  std::string newSession();
  std::string switchSession(const std::string& id);
  void retryNow();
  bool setTheme(const std::string& theme);
  void setCredentials(const std::string& token, const std::string& pin);
  std::string debugJson() const;
  std::string itemRectJson(const std::string& id) const;

  // Browser events.
  void onInput();
  void onResize();
  void onOnline(bool online);
  void onVisible(bool visible);
  void onColorScheme(bool dark);
  void onHostMessage(const std::string& origin, bool fromParent, const std::string& json);
  void onComposerInput(const std::string& text);
  void onComposerFocus(bool focused);
  int onComposerKey(const std::string& key, bool shift, bool ctrlOrMeta, bool composing, int keyCode);
  // The sign-in field (a DOM <input> over the sign-in panel).
  void onSignInInput(const std::string& text);
  void onSignInFocus(bool focused);
  int onSignInKey(const std::string& key, bool composing, int keyCode);  // 1: handled (Enter)
  void onTouchScroll(double dyCss);

  // Loop.
  void tick();      // every 250 ms
  void redrawDue();  // the timer of a timed redraw fired
  void schedule();  // asks for an animation frame if one is needed
  void frame();     // one animation frame

 private:
  App() = default;
  void applyTheme();
  void handleIntents(const std::vector<ui::UiIntent>& intents);
  void publish(const std::string& type, const nlohmann::json& payload);
  void flushEvents();
  void fetchEmbedConfig();
  void announce();
  void submitSignIn();
  ui::SignInPrompt signInPrompt();
  void placeSignInField(const ui::Rect& rect);

  web::AppConfig config_;
  web::BrowserClock clock_;
  web::BrowserRandom random_;
  web::BrowserWebSocket ws_;
  web::BrowserHttp http_;
  web::BrowserHttp configHttp_;
  web::LocalStorage storage_;
  std::unique_ptr<client::ChatClient> client_;
  std::unique_ptr<web::EmbedPolicy> policy_;
  ui::ChatView view_;
  Graphics gfx_;
  web::FrameScheduler scheduler_;
  web::LiveAnnouncer announcer_;
  uint64_t announcedVersion_ = ~0ull;
  bool announcedLoading_ = false;

  web::ThemeChoice themeChoice_ = web::ThemeChoice::Auto;
  bool prefersDark_ = false;
  std::string composerText_;
  bool composerFocused_ = false;
  bool focusedOnLoad_ = false;  // the composer got the focus once, after the first layout
  ui::Rect composerRect_;
  bool composerVisible_ = false;

  // Sign-in panel: shown while the gateway refuses the credentials. The entry stays in the DOM
  // field; a copy is kept here only to enable the button and to submit it.
  web::SignInFlow signIn_;
  std::string signInText_;
  bool signInFocused_ = false;
  ui::Rect signInRect_;
  bool signInVisible_ = false;

  bool gfxReady_ = false;  // WebGL and fonts are set up: frames may be drawn
  bool rafPending_ = false;
  // The timer for the scheduler's next timed redraw (countdown second, caret blink).
  long redrawTimer_ = 0;
  int64_t redrawTimerAt_ = 0;
  void armRedrawTimer();
  bool flushPending_ = false;
  bool parentReady_ = false;
  struct Event {
    std::string type;
    std::string json;
    bool toParent;
  };
  std::vector<Event> events_;
  double lastFrameMs_ = 0;
};

}  // namespace chat::app
