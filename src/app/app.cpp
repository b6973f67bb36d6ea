#include "app/app.h"

#include "ui/a11y_report.h"
#include "ui/glyph_fallback.h"
#include "ui/links.h"
#include "ui/text_layer.h"

#include <algorithm>
#include <cstdlib>

#include <emscripten.h>
#include <imgui.h>

#include "page/composer_keys.h"
#include "page/snapshot.h"
#include "web/js_bridge.h"

namespace chat::app {
namespace {

constexpr const char* kFontDir = "/fonts";

std::string location(int part) {
  char* p = chatjs_location(part);
  std::string s = p ? p : "";
  std::free(p);
  return s;
}

bool isBlank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

App& App::instance() {
  static App* app = new App();  // lives as long as the page
  return *app;
}

// ---- boot ---------------------------------------------------------------------------------------

bool App::start() {
  chatjs_init();  // before glfwInit (key listener order), and the composer exists from now on

  config_ = web::parseAppConfig({location(0), location(1), location(2)});
  for (const auto& w : config_.warnings) emscripten_log(EM_LOG_WARN, "chat: ignored URL parameter %s", w.c_str());
  if (config_.secretInFragment) chatjs_strip_fragment();
  if (config_.wsUrl.empty() || config_.apiBase.empty()) {
    chatjs_show_error("No gateway to connect to: open this page from the gateway, or pass "
                      "?gateway=ws://HOST:PORT/gateway&api=http://HOST:PORT/api");
    return false;
  }

  net::EngineConfig ec;
  ec.wsUrl = config_.wsUrl;
  ec.apiBase = config_.apiBase;
  ec.token = config_.token;
  ec.pin = config_.pin;
  ec.sessionId = config_.sessionId;
  // Each WebSocket message costs the browser tens of microseconds before any of our code runs:
  // a long session's history comes in pages over HTTP, and the socket replays only the rest.
  ec.historyOverHttp = true;
  // Whether an "unauthorized" means the page's credentials were refused or that it had none.
  const auto remembered = storage_.get(ec.storagePrefix + "token");
  signIn_ = web::SignInFlow(!config_.token.empty() || !config_.pin.empty() || (remembered && !remembered->empty()));
  // A token from the fragment is kept for reloads (the engine reads it when the URL has none).
  if (!config_.token.empty()) storage_.set(ec.storagePrefix + "token", config_.token);

  auto after = [] { App::instance().schedule(); };
  ws_.setAfterEvent(after);
  http_.setAfterEvent(after);
  client_ = std::make_unique<client::ChatClient>(ec, clock_, random_, ws_, http_, storage_);
  host_ = std::make_unique<HostApi>(*client_, config_, [this] { schedule(); });
  sessions_ = std::make_unique<SessionControls>(*client_, composer_);

  // The chat's effects go to the page's events and the screen-reader log; the view reads the
  // state (and each entry's revision) when it draws.
  client::Observers obs;
  obs.onStatus = [this](const net::Status& s) { host_->onStatus(s); };
  obs.onEffect = [this](const core::ChatState& state, const core::Effect& e) {
    host_->onEffect(state, e);
    announcer_.note(state, e);
  };
  client_->setObservers(std::move(obs));

  themeChoice_ = config_.theme;
  // A theme picked with the sidebar's switch is remembered; ?theme=light|dark still wins.
  if (themeChoice_ == web::ThemeChoice::Auto) {
    if (auto stored = storage_.get(ec.storagePrefix + "theme")) {
      web::ThemeChoice t;
      if (web::parseThemeChoice(*stored, &t)) themeChoice_ = t;
    }
  }
  prefersDark_ = chatjs_prefers_dark() != 0;
  coarsePointer_ = chatjs_pointer_coarse() != 0;
  applyTheme();

  // Connecting first: the socket's handshake and the first history page travel while the
  // WebGL context and the font atlas are built (both take the main thread for a while).
  client_->start();
  client_->refreshModels();  // the header's model picker (queued until the socket is live)
  if (!gfx_.init(view_, kFontDir)) {
    client_->stop();
    chatjs_show_error("This browser cannot run the chat: WebGL 2 is not available.");
    return false;
  }
  loop_ = std::make_unique<FrameLoop>(*client_, clock_, [this] { tick(); }, [this] { return drawFrame(); });
  host_->ready();
  loop_->start();
  return true;
}

// ---- intents ------------------------------------------------------------------------------------

void App::dispatch(const ui::UiIntent& i) {
  using K = ui::UiIntent::Kind;
  switch (i.kind) {
    case K::Send: {
      // A blank composer sends nothing; a sent message leaves the composer empty. While the
      // last message is being edited, Send sends the edit.
      std::string sent;
      if (isBlank(i.text)) break;
      if (!sessions_->sendEdit(i.text, &sent)) sent = host_->send(i.text);
      if (!sent.empty()) composer_.clear();
      break;
    }
    case K::Cancel: host_->cancel(); break;
    case K::Approve: host_->respond(i.target, true, false); break;
    case K::Deny: host_->respond(i.target, false, false); break;
    case K::ApproveSession: host_->respond(i.target, true, true); break;
    case K::SwitchSession: host_->switchSession(i.target); break;
    case K::NewChat: host_->newSession(); break;
    case K::RetryNow: host_->retryNow(); break;
    case K::Copy: chatjs_copy(i.text.c_str()); break;
    case K::FocusComposer: composer_.focus(); break;
    case K::SignIn: submitSignIn(); break;
    case K::FocusSignIn: signInField_.focus(); break;
    case K::ToggleThinking: client_->toggleThinking(i.target); break;
    case K::SetModel: client_->setModel(i.text); break;
    case K::SetTheme:
      if (setTheme(i.text)) storage_.set("chat.theme", i.text);
      break;
    default: sessions_->dispatch(i); break;
  }
  schedule();
}

void App::submitSignIn() {
  const web::Credentials c = signIn_.submit(signInField_.text());
  if (c.empty()) return;
  // The engine keeps a token where a token from the URL is kept (storage, never the URL) and
  // starts a new attempt with it.
  client_->setCredentials(c.token, c.pin);
  signInField_.clear();
  if (loop_) loop_->scheduler().requestFrame();
}

// ---- DOM fields ---------------------------------------------------------------------------------

DomField& App::field(DomField::Which which) {
  if (DomField* f = sessions_ ? sessions_->field(which) : nullptr) return *f;
  return which == DomField::Which::Composer ? composer_ : signInField_;
}

void App::onFieldInput(DomField::Which which, const std::string& text) {
  if (sessions_ && sessions_->field(which)) {
    sessions_->onFieldInput(which, text, clock_.nowMs());
  } else {
    field(which).onInput(text);
  }
  onInput();
}

void App::onFieldFocus(DomField::Which which, bool focused) {
  if (sessions_ && sessions_->field(which)) {
    sessions_->onFieldFocus(which, focused);
  } else {
    field(which).onFocus(focused);
  }
  onInput();
}

int App::onFieldKey(DomField::Which which, const std::string& key, bool composing) {
  const int handled = sessions_ ? sessions_->onFieldKey(which, key, composing) : 0;
  onInput();
  return handled;
}

int App::onComposerKey(const web::KeyPress& key) {
  const web::KeyAction a = web::composerKeyAction(key);
  switch (a) {
    case web::KeyAction::Send:
      dispatch(ui::UiIntent{ui::UiIntent::Kind::Send, std::string(), composer_.text()});
      return 1;
    case web::KeyAction::CancelStream:
      dispatch(ui::UiIntent{ui::UiIntent::Kind::Cancel, std::string(), std::string()});
      return 2;
    default: return runKeyAction(a, std::string()) ? 1 : 0;
  }
}

int App::onSignInKey(const std::string& key, bool composing, int keyCode) {
  if (web::signInKeyAction(key, composing, keyCode) != web::SignInKeyAction::Submit) return 0;
  dispatch(ui::UiIntent{ui::UiIntent::Kind::SignIn, std::string(), std::string()});
  return 1;
}

ui::SignInPrompt App::signInPrompt() {
  signIn_.noteStatus(client_->status());
  ui::SignInPrompt p;
  p.visible = signIn_.visible();
  p.busy = signIn_.busy();
  p.error = signIn_.error();
  p.message = signIn_.message();
  p.hasText = !web::credentialsFromEntry(signInField_.text()).empty();
  p.focused = signInField_.focused();
  return p;
}

// ---- browser events -----------------------------------------------------------------------------

void App::schedule() {
  if (loop_) loop_->schedule();
}

void App::onInput() {
  if (loop_) loop_->scheduler().noteInput();
  schedule();
}

void App::onResize() {
  coarsePointer_ = chatjs_pointer_coarse() != 0;  // a tablet's keyboard (un)docked, devtools' device mode
  if (gfx_.refreshSize() && loop_) loop_->scheduler().noteResize();
  schedule();
}

void App::onOnline(bool online) {
  // 'offline' (a pulled cable, Wi-Fi gone): the engine probes the socket, which may look open
  // for minutes. 'online': retry at once.
  if (client_) {
    if (online) {
      client_->notifyOnline();
    } else {
      client_->notifyOffline();
    }
  }
  schedule();
}

void App::onVisible(bool visible) {
  if (visible && client_) {
    client_->notifyVisible();
    if (loop_) loop_->scheduler().requestFrame();
  }
  schedule();
}

void App::onColorScheme(bool dark) {
  prefersDark_ = dark;
  applyTheme();
}

void App::onHostMessage(const std::string& origin, bool fromParent, const std::string& json) {
  if (!host_) return;
  host_->onHostMessage(origin, fromParent, json, [this](const std::string& t) { return setTheme(t); });
}

void App::onTouchScroll(double dyCss) {
  gfx_.touchScroll(dyCss);
  onInput();
}

bool App::setTheme(const std::string& theme) {
  web::ThemeChoice t;
  if (!web::parseThemeChoice(theme, &t)) return false;
  themeChoice_ = t;
  applyTheme();
  return true;
}

void App::applyTheme() {
  bool dark = themeChoice_ == web::ThemeChoice::Dark ||
              (themeChoice_ == web::ThemeChoice::Auto && prefersDark_);
  view_.setTheme(dark ? ui::Theme::Dark : ui::Theme::Light);
  chatjs_set_theme(dark ? 1 : 0);
  if (loop_) loop_->scheduler().requestFrame();
  schedule();
}

// ---- frames -------------------------------------------------------------------------------------

void App::tick() {
  client_->tick();
  sessions_->tick(clock_.nowMs());
  if (gfx_.refreshSize()) loop_->scheduler().noteResize();  // devicePixelRatio changes fire no resize
}

void App::announce() {
  for (const auto& a : announcer_.take(client_->state(), client_->loadingHistory()))
    chatjs_announce(a.text.c_str(), a.assertive ? 1 : 0);
}

FrameLoop::Drawn App::drawFrame() {
  client_->tick();
  gfx_.applySize(view_);
  gfx_.beginFrame();

  ui::FrameInput in;
  in.state = &client_->state();
  in.status = &client_->status();
  in.nowMs = clock_.nowMs();
  in.composerText = composer_.text();
  in.composerFocused = composer_.focused();
  in.signIn = signInPrompt();
  in.themeChoice = web::themeChoiceName(themeChoice_);
  in.scroll = scroll_;
  scroll_ = ui::TranscriptScroll::None;
  in.coarsePointer = coarsePointer_;
  sessions_->tick(in.nowMs);
  sessions_->fillInput(in, in.nowMs);
  ui::FrameOutput out = view_.frame(in);
  afterA11yFrame();

  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  gfx_.endFrame(bg.x, bg.y, bg.z);

  // The DOM fields follow their areas (the composer hides while the narrow sidebar covers it).
  const ui::ViewDebug& dbg = view_.debug();
  const float displayW = ImGui::GetIO().DisplaySize.x;
  composer_.place(out.composerRect, !(dbg.sidebarCollapsed && dbg.sidebarOpen), displayW, gfx_.cssWidth());
  signInField_.place(out.signInFieldRect, true, displayW, gfx_.cssWidth());
  sessions_->place(out, true, displayW, gfx_.cssWidth());
  // The composer has the focus on load, so typing starts the chat at once; not when the
  // sign-in panel asks first, and not inside an iframe (focus there would leave the host page).
  if (!focusedOnLoad_ && composer_.visible() && out.signInFieldRect.w == 0 && config_.parentOrigin.empty()) {
    focusedOnLoad_ = true;
    composer_.focus();
  }
  // Focus moves into the sign-in field when the panel appears and after a refusal, never while
  // typing.
  if (signInField_.visible() && signIn_.takeFocusRequest()) signInField_.focus();
  if (signIn_.takeRejection()) chatjs_announce(signIn_.message().c_str(), 1);

  for (const ui::UiIntent& i : out.intents) dispatch(i);
  if (!out.intents.empty()) loop_->scheduler().requestFrame();
  announce();
  return FrameLoop::Drawn{out.wantsAnotherFrame, out.redrawAtMs};
}

// ---- diagnostics (window.chatClient.debug, e2e tests) ------------------------------------------

std::string App::debugJson() const {
  const web::FrameScheduler* s = loop_ ? &loop_->scheduler() : nullptr;
  nlohmann::json j = {{"framesRendered", s ? s->framesRendered() : 0},
                      {"lastFrameMs", loop_ ? loop_->lastFrameMs() : 0.0},
                      {"pixelRatio", gfx_.pixelRatio()},
                      {"cssWidth", gfx_.cssWidth()},
                      {"cssHeight", gfx_.cssHeight()},
                      {"backingWidth", gfx_.backing().width},
                      {"backingHeight", gfx_.backing().height},
                      {"version", client_ ? client_->version() : 0},
                      {"theme", web::themeChoiceName(themeChoice_)},
                      {"coarsePointer", coarsePointer_},
                      {"embedEnabled", host_ && host_->embedEnabled()}};
  j["signIn"] = {{"visible", signIn_.visible()}, {"busy", signIn_.busy()}, {"error", signIn_.error()},
                 {"message", signIn_.message()}, {"fieldShown", signInField_.visible()}};
  const ui::ViewDebug& d = view_.debug();
  j["view"] = {{"layoutCalls", d.layoutCalls},     {"entryCount", d.entryCount},
               {"firstVisible", d.firstVisible},   {"lastVisible", d.lastVisible},
               {"sidebarCollapsed", d.sidebarCollapsed}, {"sidebarOpen", d.sidebarOpen},
               {"stickToBottom", d.stickToBottom}, {"contentHeight", d.contentHeight},
               {"pillText", d.pillText}};
  const ui::GlyphFallbackStats& text = ui::glyphFallbackStats();
  j["text"] = {{"browserRuns", text.browserRuns}, {"missingGlyphsDrawn", text.missingGlyphsDrawn},
               {"rasterizedRuns", text.rasterizedRuns}, {"deferredRuns", text.deferredRuns},
               {"mostRasterizedInAFrame", text.mostRasterizedInAFrame}};
  nlohmann::json links = nlohmann::json::array();
  for (const ui::DrawnLink& l : ui::linksDrawnLastFrame()) {
    links.push_back({{"url", l.url}, {"x", l.min.x}, {"y", l.min.y}, {"w", l.max.x - l.min.x}, {"h", l.max.y - l.min.y}});
  }
  const ui::TextLayerStats& layer = ui::textLayerStats();
  j["textLayer"] = {{"lines", layer.lines}, {"replaces", layer.replaces}, {"shifts", layer.shifts}};
  const ui::A11yTree::Stats& twin = ui::a11yTree().stats();
  j["a11y"] = {{"controls", twin.controls}, {"deltas", twin.deltas}, {"upserts", twin.upserts}, {"moves", twin.moves}};
  j["links"] = {{"drawn", links}, {"lastOpened", ui::lastOpenedLink()}, {"refused", ui::refusedLinks()}};
  return web::dumpJson(j);
}

std::string App::itemRectJson(const std::string& id) const {
  const auto& widgets = view_.debug().widgets;
  auto find = [&](const std::string& name) -> const ui::Rect* {
    auto it = widgets.find(name);
    return it == widgets.end() ? nullptr : &it->second;
  };
  // Short names for the approval buttons: approve:<id>, deny:<id>, approve-session:<id>.
  const ui::Rect* r = find(id);
  auto alias = [&](const char* prefix, const char* label) {
    std::string p = prefix;
    if (!r && id.rfind(p, 0) == 0) r = find("approval:" + id.substr(p.size()) + ":" + label);
  };
  alias("approve-session:", "Approve for session");
  alias("approve:", "Approve");
  alias("deny:", "Deny");
  if (!r && id == "composer-text" && composer_.visible()) r = &composer_.rect();
  if (!r) return "null";
  return web::dumpJson({{"x", r->x}, {"y", r->y}, {"w", r->w}, {"h", r->h}});
}

}  // namespace chat::app
