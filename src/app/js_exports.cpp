// The C functions web/library_chat.js calls (window.chatClient, DOM events). Returned strings
// stay valid until the next call of the same function; JS copies them at once.
#include <string>

#include <emscripten.h>

#include "app/app.h"

using chat::app::App;

namespace {

const char* keep(std::string s) {
  static std::string buffer;
  buffer = std::move(s);
  return buffer.c_str();
}

std::string str(const char* s) { return s ? s : ""; }

chat::app::DomField::Which fieldNamed(const char* name) {
  return str(name) == "search" ? chat::app::DomField::Which::Search : chat::app::DomField::Which::Rename;
}

chat::web::KeyPress keyPress(const char* key, const char* code, int mods, int keyCode) {
  chat::web::KeyPress k;
  k.key = str(key);
  k.code = str(code);
  k.shift = (mods & 1) != 0;
  k.ctrlOrMeta = (mods & 2) != 0;
  k.alt = (mods & 4) != 0;
  k.composing = (mods & 8) != 0;
  k.keyCode = keyCode;
  return k;
}

}  // namespace

extern "C" {

// window.chatClient (the JS API is exposed only once the client runs: HostApi::ready).
EMSCRIPTEN_KEEPALIVE const char* chat_api_send(const char* text) { return keep(App::instance().host()->send(str(text))); }
EMSCRIPTEN_KEEPALIVE const char* chat_api_cancel() { return keep(App::instance().host()->cancel()); }
EMSCRIPTEN_KEEPALIVE const char* chat_api_respond(const char* toolCallId, int approved, int sessionApprove) {
  return keep(App::instance().host()->respond(str(toolCallId), approved != 0, sessionApprove != 0));
}
EMSCRIPTEN_KEEPALIVE const char* chat_api_snapshot() { return keep(App::instance().host()->snapshotJson()); }
EMSCRIPTEN_KEEPALIVE const char* chat_api_new_session() { return keep(App::instance().host()->newSession()); }
EMSCRIPTEN_KEEPALIVE const char* chat_api_switch_session(const char* id) {
  return keep(App::instance().host()->switchSession(str(id)));
}
EMSCRIPTEN_KEEPALIVE void chat_api_retry_now() { App::instance().host()->retryNow(); }
EMSCRIPTEN_KEEPALIVE int chat_api_set_theme(const char* t) { return App::instance().setTheme(str(t)) ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void chat_api_set_credentials(const char* token, const char* pin) {
  App::instance().host()->setCredentials(str(token), str(pin));
}
EMSCRIPTEN_KEEPALIVE const char* chat_api_debug() { return keep(App::instance().debugJson()); }
EMSCRIPTEN_KEEPALIVE const char* chat_api_item_rect(const char* id) { return keep(App::instance().itemRectJson(str(id))); }

// Page events.
EMSCRIPTEN_KEEPALIVE void chat_on_input() { App::instance().onInput(); }
EMSCRIPTEN_KEEPALIVE void chat_on_resize() { App::instance().onResize(); }
EMSCRIPTEN_KEEPALIVE void chat_on_online(int online) { App::instance().onOnline(online != 0); }
EMSCRIPTEN_KEEPALIVE void chat_on_visible(int visible) { App::instance().onVisible(visible != 0); }
EMSCRIPTEN_KEEPALIVE void chat_on_color_scheme(int dark) { App::instance().onColorScheme(dark != 0); }
EMSCRIPTEN_KEEPALIVE void chat_on_touch_scroll(double dy) { App::instance().onTouchScroll(dy); }
EMSCRIPTEN_KEEPALIVE void chat_on_host_message(const char* origin, int fromParent, const char* json) {
  App::instance().onHostMessage(str(origin), fromParent != 0, str(json));
}

// The DOM fields.
using Field = chat::app::DomField::Which;
EMSCRIPTEN_KEEPALIVE void chat_composer_input(const char* text) { App::instance().onFieldInput(Field::Composer, str(text)); }
EMSCRIPTEN_KEEPALIVE void chat_composer_focus(int focused) { App::instance().onFieldFocus(Field::Composer, focused != 0); }
// mods: 1 Shift, 2 Ctrl or Meta, 4 Alt, 8 an IME composition is open.
EMSCRIPTEN_KEEPALIVE int chat_composer_key(const char* key, const char* code, int mods, int keyCode) {
  return App::instance().onComposerKey(keyPress(key, code, mods, keyCode));
}
EMSCRIPTEN_KEEPALIVE void chat_signin_input(const char* text) { App::instance().onFieldInput(Field::SignIn, str(text)); }
EMSCRIPTEN_KEEPALIVE void chat_signin_focus(int focused) { App::instance().onFieldFocus(Field::SignIn, focused != 0); }
EMSCRIPTEN_KEEPALIVE int chat_signin_key(const char* key, int composing, int keyCode) {
  return App::instance().onSignInKey(str(key), composing != 0, keyCode);
}

// The sidebar's fields, by the name the page gave them ("search", "rename").
EMSCRIPTEN_KEEPALIVE void chat_field_input(const char* name, const char* text) {
  App::instance().onFieldInput(fieldNamed(name), str(text));
}
EMSCRIPTEN_KEEPALIVE void chat_field_focus(const char* name, int focused) {
  App::instance().onFieldFocus(fieldNamed(name), focused != 0);
}
EMSCRIPTEN_KEEPALIVE int chat_field_key(const char* name, const char* key, int composing) {
  return App::instance().onFieldKey(fieldNamed(name), str(key), composing != 0);
}
// The canvas's accessible twins (web/library_a11y.js); id "" for a key on the page itself.
EMSCRIPTEN_KEEPALIVE void chat_a11y_activate(const char* id) { App::instance().onA11yActivate(str(id)); }
EMSCRIPTEN_KEEPALIVE void chat_a11y_focus(const char* id, int focused) { App::instance().onA11yFocus(str(id), focused != 0); }
EMSCRIPTEN_KEEPALIVE int chat_a11y_key(const char* id, const char* key, const char* code, int mods, int keyCode) {
  return App::instance().onA11yKey(str(id), keyPress(key, code, mods, keyCode));
}

}  // extern "C"
