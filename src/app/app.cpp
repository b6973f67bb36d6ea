#include "app/app.h"

#include "ui/glyph_fallback.h"
#include "ui/links.h"
#include "ui/text_layer.h"

#include <algorithm>
#include <cstdlib>

#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include "web/js_bridge.h"
#include "web/logic/composer_keys.h"
#include "web/logic/display_scale.h"
#include "web/logic/snapshot.h"

namespace chat::app {
namespace {

constexpr double kTickMs = 250;
constexpr double kConfigRetryMs = 5000;
constexpr const char* kFontDir = "/fonts";

std::string location(int part) {
  char* p = chatjs_location(part);
  std::string s = p ? p : "";
  std::free(p);
  return s;
}

EM_BOOL onAnimationFrame(double, void*) {
  App::instance().frame();
  return EM_FALSE;  // one frame; schedule() asks for the next when needed
}

void onTick(void*) { App::instance().tick(); }

void onRedrawTimer(void*) { App::instance().redrawDue(); }

}  // namespace

App& App::instance() {
  static App* app = new App();  // lives as long as the page
  return *app;
}

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

  client::Observers obs;
  obs.onStatus = [this](const net::Status& s) { publish("status", web::statusJson(s)); };
  obs.onMessageComplete = [this](const std::string& sid, const core::Message& m) {
    nlohmann::json j = web::messageJson(m);
    j["sessionId"] = sid;
    publish("message", j);
  };
  obs.onApproval = [this](const std::string& sid, const core::ApprovalCard& a) {
    nlohmann::json j = web::approvalJson(a);
    j["sessionId"] = sid;
    publish("approval", j);
  };
  client_->setObservers(std::move(obs));

  policy_ = std::make_unique<web::EmbedPolicy>(config_.parentOrigin);
  themeChoice_ = config_.theme;
  // A theme picked with the sidebar's switch is remembered; ?theme=light|dark still wins.
  if (themeChoice_ == web::ThemeChoice::Auto) {
    if (auto stored = storage_.get(ec.storagePrefix + "theme")) {
      web::ThemeChoice t;
      if (web::parseThemeChoice(*stored, &t)) themeChoice_ = t;
    }
  }
  prefersDark_ = chatjs_prefers_dark() != 0;
  applyTheme();

  // Connecting first: the socket's handshake and the first history page travel while the
  // WebGL context and the font atlas are built (both take the main thread for a while).
  client_->start();
  if (!gfx_.init(view_, kFontDir)) {
    client_->stop();
    client_.reset();  // nothing may draw or schedule frames any more
    chatjs_show_error("This browser cannot run the chat: WebGL 2 is not available.");
    return false;
  }
  gfxReady_ = true;
  chatjs_expose_api();
  publish("ready", {{"sessionId", client_->state().currentSessionId},
                    {"status", web::statusName(client_->status())}});
  publish("status", web::statusJson(client_->status()));
  if (!config_.parentOrigin.empty()) fetchEmbedConfig();

  emscripten_set_interval(onTick, kTickMs, nullptr);
  schedule();
  return true;
}

// ---- events to the page and the parent ----------------------------------------------------------

void App::publish(const std::string& type, const nlohmann::json& payload) {
  // Queued and delivered on the next turn of the event loop: listeners may call back into the
  // client, which must not happen in the middle of a ChatClient call.
  events_.push_back({type, web::dumpJson(payload), type != "ready"});
  if (!flushPending_) {
    flushPending_ = true;
    emscripten_async_call([](void*) { App::instance().flushEvents(); }, nullptr, 0);
  }
  schedule();
}

void App::flushEvents() {
  flushPending_ = false;
  std::vector<Event> events;
  events.swap(events_);
  for (const auto& e : events) {
    chatjs_publish(e.type.c_str(), e.json.c_str());
    if (e.toParent && parentReady_) {
      nlohmann::json fields = nlohmann::json::parse(e.json, nullptr, false);
      chatjs_post_parent(policy_->parentOrigin().c_str(), web::clientEnvelope(e.type, fields).c_str());
    }
  }
}

void App::fetchEmbedConfig() {
  net::HttpTransport::Request req;
  req.url = config_.apiBase + "/config";
  req.timeoutMs = 10000;
  configHttp_.request(req, [this](const net::HttpTransport::Response& r) {
    if (r.status != 200) {
      // The gateway may not be up yet; embedding waits for its answer.
      emscripten_set_timeout([](void*) { App::instance().fetchEmbedConfig(); }, kConfigRetryMs, nullptr);
      return;
    }
    policy_->setAllowlist(web::parseEmbedOrigins(r.body));
    if (!policy_->enabled()) {
      emscripten_log(EM_LOG_WARN, "chat: %s is not in the gateway's embed allowlist; postMessage is off",
                     policy_->parentOrigin().c_str());
      return;
    }
    parentReady_ = true;
    nlohmann::json ready = web::statusJson(client_->status());
    ready["sessionId"] = client_->state().currentSessionId;
    chatjs_post_parent(policy_->parentOrigin().c_str(), web::clientEnvelope("ready", ready).c_str());
  });
}

void App::onHostMessage(const std::string& origin, bool fromParent, const std::string& json) {
  if (!policy_ || !policy_->accepts(origin, fromParent)) return;
  std::string error;
  auto cmd = web::parseHostCommand(json, &error);
  if (!cmd) {
    if (!error.empty()) emscripten_log(EM_LOG_WARN, "chat: host message ignored: %s", error.c_str());
    return;
  }
  switch (cmd->kind) {
    case web::HostCommand::Kind::Send: send(cmd->text); break;
    case web::HostCommand::Kind::Approve: respond(cmd->toolCallId, cmd->approved, cmd->sessionApprove); break;
    case web::HostCommand::Kind::Theme: setTheme(cmd->theme); break;
    case web::HostCommand::Kind::Session:
      if (cmd->sessionId.empty()) newSession();
      else switchSession(cmd->sessionId);
      break;
  }
}

// ---- JS API -------------------------------------------------------------------------------------

std::string App::send(const std::string& text) {
  std::string id = client_->send(text);
  schedule();
  return id;
}

std::string App::cancel() {
  std::string id = client_->cancel();
  schedule();
  return id;
}

std::string App::respond(const std::string& toolCallId, bool approved, bool sessionApprove) {
  std::string id = client_->respondToApproval(toolCallId, approved, sessionApprove);
  schedule();
  return id;
}

std::string App::snapshotJson() const {
  return web::dumpJson(web::snapshotJson(client_->state(), client_->status()));
}

std::string App::newSession() {
  std::string id = client_->newSession();
  schedule();
  return id;
}

std::string App::switchSession(const std::string& id) {
  if (!web::isValidSessionId(id)) return "";
  std::string r = client_->switchSession(id);
  schedule();
  return r;
}

void App::retryNow() { client_->retryNow(); }

bool App::setTheme(const std::string& theme) {
  web::ThemeChoice t;
  if (!web::parseThemeChoice(theme, &t)) return false;
  themeChoice_ = t;
  applyTheme();
  return true;
}

void App::setCredentials(const std::string& token, const std::string& pin) {
  client_->setCredentials(token, pin);
  schedule();
}

// ---- sign-in panel ------------------------------------------------------------------------------

void App::onSignInInput(const std::string& text) {
  signInText_ = text;
  scheduler_.noteInput();
  schedule();
}

void App::onSignInFocus(bool focused) {
  signInFocused_ = focused;
  scheduler_.noteInput();
  schedule();
}

int App::onSignInKey(const std::string& key, bool composing, int keyCode) {
  if (web::signInKeyAction(key, composing, keyCode) != web::SignInKeyAction::Submit) return 0;
  submitSignIn();
  return 1;
}

void App::submitSignIn() {
  if (!client_) return;
  const web::Credentials c = signIn_.submit(signInText_);
  if (c.empty()) return;
  // The engine keeps a token where a token from the URL is kept (storage, never the URL) and
  // starts a new attempt with it.
  client_->setCredentials(c.token, c.pin);
  signInText_.clear();
  chatjs_set_signin_text("");
  scheduler_.requestFrame();
  schedule();
}

ui::SignInPrompt App::signInPrompt() {
  signIn_.noteStatus(client_->status());
  ui::SignInPrompt p;
  p.visible = signIn_.visible();
  p.busy = signIn_.busy();
  p.error = signIn_.error();
  p.message = signIn_.message();
  p.hasText = !web::credentialsFromEntry(signInText_).empty();
  p.focused = signInFocused_;
  return p;
}

void App::placeSignInField(const ui::Rect& rect) {
  const bool visible = rect.w > 4 && rect.h > 4;
  if (rect != signInRect_ || visible != signInVisible_) {
    signInRect_ = rect;
    signInVisible_ = visible;
    web::CssRect css = web::displayRectToCss(rect.x, rect.y, rect.w, rect.h, ImGui::GetIO().DisplaySize.x,
                                             gfx_.cssWidth());
    chatjs_set_signin_rect(css.x, css.y, css.w, css.h, visible ? 1 : 0);
  }
  // Focus moves into the field when the panel appears and after a refusal, never while typing.
  if (visible && signIn_.takeFocusRequest()) chatjs_focus_signin();
  if (signIn_.takeRejection()) chatjs_announce(signIn_.message().c_str(), 1);
}

std::string App::debugJson() const {
  nlohmann::json j = {{"framesRendered", scheduler_.framesRendered()},
                      {"lastFrameMs", lastFrameMs_},
                      {"pixelRatio", gfx_.pixelRatio()},
                      {"cssWidth", gfx_.cssWidth()},
                      {"cssHeight", gfx_.cssHeight()},
                      {"backingWidth", gfx_.backing().width},
                      {"backingHeight", gfx_.backing().height},
                      {"version", client_ ? client_->version() : 0},
                      {"theme", web::themeChoiceName(themeChoice_)},
                      {"embedEnabled", parentReady_}};
  j["signIn"] = {{"visible", signIn_.visible()}, {"busy", signIn_.busy()}, {"error", signIn_.error()},
                 {"message", signIn_.message()}, {"fieldShown", signInVisible_}};
  const ui::ViewDebug& d = view_.debug();
  j["view"] = {{"layoutCalls", d.layoutCalls},     {"entryCount", d.entryCount},
               {"firstVisible", d.firstVisible},   {"lastVisible", d.lastVisible},
               {"sidebarCollapsed", d.sidebarCollapsed}, {"sidebarOpen", d.sidebarOpen},
               {"stickToBottom", d.stickToBottom}, {"contentHeight", d.contentHeight},
               {"pillText", d.pillText}};
  const ui::GlyphFallbackStats& text = ui::glyphFallbackStats();
  j["text"] = {{"browserRuns", text.browserRuns}, {"missingGlyphsDrawn", text.missingGlyphsDrawn}};
  nlohmann::json links = nlohmann::json::array();
  for (const ui::DrawnLink& l : ui::linksDrawnLastFrame()) {
    links.push_back({{"url", l.url}, {"x", l.min.x}, {"y", l.min.y}, {"w", l.max.x - l.min.x}, {"h", l.max.y - l.min.y}});
  }
  const ui::TextLayerStats& layer = ui::textLayerStats();
  j["textLayer"] = {{"lines", layer.lines}, {"replaces", layer.replaces}, {"shifts", layer.shifts}};
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
  if (!r && id == "composer-text" && composerVisible_) r = &composerRect_;
  if (!r) return "null";
  return web::dumpJson({{"x", r->x}, {"y", r->y}, {"w", r->w}, {"h", r->h}});
}

// ---- browser events -----------------------------------------------------------------------------

void App::onInput() {
  scheduler_.noteInput();
  schedule();
}

void App::onResize() {
  if (gfx_.refreshSize()) scheduler_.noteResize();
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
    scheduler_.requestFrame();
  }
  schedule();
}

void App::onColorScheme(bool dark) {
  prefersDark_ = dark;
  applyTheme();
}

void App::applyTheme() {
  bool dark = themeChoice_ == web::ThemeChoice::Dark ||
              (themeChoice_ == web::ThemeChoice::Auto && prefersDark_);
  view_.setTheme(dark ? ui::Theme::Dark : ui::Theme::Light);
  chatjs_set_theme(dark ? 1 : 0);
  scheduler_.requestFrame();
  schedule();
}

void App::onComposerInput(const std::string& text) {
  composerText_ = text;
  scheduler_.noteInput();
  schedule();
}

void App::onComposerFocus(bool focused) {
  composerFocused_ = focused;
  scheduler_.noteInput();
  schedule();
}

int App::onComposerKey(const std::string& key, bool shift, bool ctrlOrMeta, bool composing, int keyCode) {
  auto action = web::composerKeyAction(key, shift, ctrlOrMeta, composing, keyCode);
  switch (action) {
    case web::ComposerKeyAction::Send:
      if (!composerText_.empty() && composerText_.find_first_not_of(" \t\r\n") != std::string::npos) {
        if (!send(composerText_).empty()) {
          composerText_.clear();
          chatjs_set_composer_text("");
        }
      }
      return 1;
    case web::ComposerKeyAction::CancelStream:
      cancel();
      return 2;
    case web::ComposerKeyAction::None: break;
  }
  return 0;
}

void App::onTouchScroll(double dyCss) {
  gfx_.touchScroll(dyCss);
  onInput();
}

// ---- loop ---------------------------------------------------------------------------------------

void App::tick() {
  if (!client_) return;
  client_->tick();
  if (gfx_.refreshSize()) scheduler_.noteResize();  // devicePixelRatio changes fire no resize
  scheduler_.noteTick();  // now and then draws the progress of a history load (held back)
  scheduler_.noteTime(clock_.nowMs());  // a timed redraw whose timer was throttled
  schedule();
}

void App::schedule() {
  if (!client_ || !gfxReady_) return;
  scheduler_.noteVersion(client_->version(), client_->loadingHistory());
  if (scheduler_.shouldRender() && !rafPending_) {
    rafPending_ = true;
    emscripten_request_animation_frame(onAnimationFrame, nullptr);
  }
}

void App::announce() {
  const bool loading = client_->loadingHistory();
  if (client_->version() == announcedVersion_ && loading == announcedLoading_) return;
  announcedVersion_ = client_->version();
  announcedLoading_ = loading;
  for (const auto& a : announcer_.update(client_->state(), loading))
    chatjs_announce(a.text.c_str(), a.assertive ? 1 : 0);
}

void App::frame() {
  rafPending_ = false;
  if (!client_ || !gfxReady_) return;
  const double t0 = emscripten_get_now();
  client_->tick();
  gfx_.applySize(view_);
  gfx_.beginFrame();

  ui::FrameInput in;
  in.state = &client_->state();
  in.status = &client_->status();
  in.nowMs = clock_.nowMs();
  in.composerText = composerText_;
  in.composerFocused = composerFocused_;
  in.signIn = signInPrompt();
  in.themeChoice = web::themeChoiceName(themeChoice_);
  ui::FrameOutput out = view_.frame(in);

  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  gfx_.endFrame(bg.x, bg.y, bg.z);

  // The DOM textarea follows the composer area (hidden while the narrow sidebar covers it).
  const ui::ViewDebug& dbg = view_.debug();
  bool visible = out.composerRect.w > 4 && out.composerRect.h > 4 && !(dbg.sidebarCollapsed && dbg.sidebarOpen);
  if (out.composerRect != composerRect_ || visible != composerVisible_) {
    composerRect_ = out.composerRect;
    composerVisible_ = visible;
    web::CssRect css = web::displayRectToCss(composerRect_.x, composerRect_.y, composerRect_.w, composerRect_.h,
                                             ImGui::GetIO().DisplaySize.x, gfx_.cssWidth());
    chatjs_set_composer_rect(css.x, css.y, css.w, css.h, visible ? 1 : 0);
  }
  placeSignInField(out.signInFieldRect);
  // The composer has the focus on load, so typing starts the chat at once; not when the
  // sign-in panel asks first, and not inside an iframe (focus there would leave the host page).
  if (!focusedOnLoad_ && visible && out.signInFieldRect.w == 0 && config_.parentOrigin.empty()) {
    focusedOnLoad_ = true;
    chatjs_focus_composer();
  }

  handleIntents(out.intents);
  announce();
  lastFrameMs_ = emscripten_get_now() - t0;
  scheduler_.frameRendered(out.wantsAnotherFrame, client_->loadingHistory(), out.redrawAtMs);
  armRedrawTimer();
  schedule();
}

// One timer for the next timed redraw: set again only when the due time moves.
void App::armRedrawTimer() {
  const int64_t at = scheduler_.redrawAt();
  if (at == redrawTimerAt_) return;
  if (redrawTimer_) emscripten_clear_timeout(redrawTimer_);
  redrawTimer_ = 0;
  redrawTimerAt_ = at;
  if (at == 0) return;
  const double delay = static_cast<double>(std::max<int64_t>(0, at - clock_.nowMs()));
  redrawTimer_ = emscripten_set_timeout(onRedrawTimer, delay, nullptr);
}

void App::redrawDue() {
  redrawTimer_ = 0;
  redrawTimerAt_ = 0;
  if (!client_) return;
  scheduler_.noteTime(clock_.nowMs());
  armRedrawTimer();  // a timer that fired early (clock skew) is set again for the rest
  schedule();
}

void App::handleIntents(const std::vector<ui::UiIntent>& intents) {
  using K = ui::UiIntent::Kind;
  for (const auto& i : intents) {
    switch (i.kind) {
      case K::Send:
        if (!send(i.text).empty()) {
          composerText_.clear();
          chatjs_set_composer_text("");
        }
        break;
      case K::Cancel: cancel(); break;
      case K::Approve: respond(i.target, true, false); break;
      case K::Deny: respond(i.target, false, false); break;
      case K::ApproveSession: respond(i.target, true, true); break;
      case K::SwitchSession: switchSession(i.target); break;
      case K::NewChat: newSession(); break;
      case K::RetryNow: retryNow(); break;
      case K::RefreshSessions: client_->refreshSessions(); break;
      case K::Copy: chatjs_copy(i.text.c_str()); break;
      case K::FocusComposer: chatjs_focus_composer(); break;
      case K::SignIn: submitSignIn(); break;
      case K::FocusSignIn: chatjs_focus_signin(); break;
      case K::SetTheme:
        if (setTheme(i.text)) storage_.set("chat.theme", i.text);
        break;
    }
  }
  if (!intents.empty()) scheduler_.requestFrame();
}

}  // namespace chat::app
