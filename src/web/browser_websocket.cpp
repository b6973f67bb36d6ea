#include "web/browser_websocket.h"

#include <cstring>

#include <emscripten.h>
#include <emscripten/websocket.h>

namespace chat::web {

// The browser throws (which would abort the wasm module) for URLs it cannot parse and for
// insecure ws:// from an https page: check both before creating the socket.
EM_JS(int, chat_ws_url_usable, (const char* url), {
  try {
    var u = new URL(UTF8ToString(url));
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return 0;
    var loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
    if (location.protocol === 'https:' && u.protocol === 'ws:' && !loopback) return 0;
    return 1;
  } catch (e) {
    return 0;
  }
});

struct BrowserWebSocket::Conn {
  BrowserWebSocket* owner = nullptr;  // null once detached: callbacks are ignored
  EMSCRIPTEN_WEBSOCKET_T socket = 0;
  Handlers handlers;
};

namespace {

// Close codes the browser accepts from a page: 1000 or 3000..4999; anything else throws.
unsigned short safeCloseCode(int code) {
  return (code == 1000 || (code >= 3000 && code <= 4999)) ? static_cast<unsigned short>(code) : 1000;
}

// Close reasons are limited to 123 UTF-8 bytes; cut on a character boundary.
std::string safeReason(const std::string& reason) {
  if (reason.size() <= 120) return reason;
  std::size_t cut = 120;
  while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
  return reason.substr(0, cut);
}

void dropSocket(EMSCRIPTEN_WEBSOCKET_T s) {
  if (s > 0) emscripten_websocket_delete(s);  // detaches the JS handlers
}

// The app's hook after any delivery (it schedules a frame). Read before calling the handler:
// the handler may replace or free the Conn.
std::function<void()> afterHook(BrowserWebSocket::Conn* c) {
  return c->owner ? c->owner->afterEvent() : std::function<void()>();
}

EM_BOOL onOpen(int, const EmscriptenWebSocketOpenEvent*, void* user) {
  auto* c = static_cast<BrowserWebSocket::Conn*>(user);
  auto after = afterHook(c);
  if (c->owner && c->handlers.onOpen) c->handlers.onOpen();
  if (after) after();
  return EM_TRUE;
}

EM_BOOL onMessage(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
  auto* c = static_cast<BrowserWebSocket::Conn*>(user);
  if (!c->owner || !c->handlers.onMessage) return EM_TRUE;
  auto after = afterHook(c);
  std::size_t n = e->numBytes;
  // Text frames arrive NUL-terminated (numBytes counts the terminator).
  if (e->isText && n > 0 && e->data[n - 1] == 0) --n;
  c->handlers.onMessage(std::string(reinterpret_cast<const char*>(e->data), n));
  if (after) after();
  return EM_TRUE;
}

EM_BOOL onError(int, const EmscriptenWebSocketErrorEvent*, void*) {
  return EM_TRUE;  // the close event that always follows reports it
}

EM_BOOL onClose(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
  auto* c = static_cast<BrowserWebSocket::Conn*>(user);
  BrowserWebSocket* owner = c->owner;
  if (!owner) return EM_TRUE;
  auto after = afterHook(c);
  int code = e->wasClean ? e->code : 1006;
  std::string reason(e->reason, strnlen(e->reason, sizeof(e->reason)));
  // Detach before calling out: the handler typically reconnects (open() again) at once.
  auto handler = std::move(c->handlers.onClose);
  owner->release();  // frees c
  if (handler) handler(code, reason);
  if (after) after();
  return EM_TRUE;
}

void reportOpenFailure(void* arg) {
  static_cast<BrowserWebSocket*>(arg)->failPendingOpen();
}

}  // namespace

BrowserWebSocket::~BrowserWebSocket() { release(); }

void BrowserWebSocket::release() {
  if (!current_) return;
  dropSocket(current_->socket);
  current_->owner = nullptr;
  // Emscripten no longer calls this Conn's callbacks once the socket is deleted.
  delete current_;
  current_ = nullptr;
}

void BrowserWebSocket::open(const std::string& url, Handlers handlers) {
  close(1000, "reconnecting");
  auto* c = new Conn;
  c->owner = this;
  c->handlers = std::move(handlers);
  current_ = c;

  EMSCRIPTEN_WEBSOCKET_T s = 0;
  if (emscripten_websocket_is_supported() && chat_ws_url_usable(url.c_str())) {
    EmscriptenWebSocketCreateAttributes attr;
    emscripten_websocket_init_create_attributes(&attr);
    attr.url = url.c_str();
    attr.protocols = nullptr;
    attr.createOnMainThread = EM_TRUE;
    s = emscripten_websocket_new(&attr);
  }
  if (s <= 0) {
    // Report the failure asynchronously, as a real socket would.
    emscripten_async_call(reportOpenFailure, this, 0);
    return;
  }
  c->socket = s;
  emscripten_websocket_set_onopen_callback(s, c, onOpen);
  emscripten_websocket_set_onmessage_callback(s, c, onMessage);
  emscripten_websocket_set_onerror_callback(s, c, onError);
  emscripten_websocket_set_onclose_callback(s, c, onClose);
}

void BrowserWebSocket::failPendingOpen() {
  // Only if the socket that failed to open is still the current one.
  if (!current_ || current_->socket != 0) return;
  auto handler = std::move(current_->handlers.onClose);
  auto after = afterEvent_;
  release();
  if (handler) handler(1006, "cannot open a WebSocket to this URL");
  if (after) after();
}

bool BrowserWebSocket::send(const std::string& text) {
  if (!current_ || current_->socket <= 0) return false;
  unsigned short state = 0;
  if (emscripten_websocket_get_ready_state(current_->socket, &state) != EMSCRIPTEN_RESULT_SUCCESS || state != 1)
    return false;
  return emscripten_websocket_send_utf8_text(current_->socket, text.c_str()) == EMSCRIPTEN_RESULT_SUCCESS;
}

void BrowserWebSocket::close(int code, const std::string& reason) {
  if (!current_) return;
  if (current_->socket > 0 && code >= 0) {
    unsigned short state = 3;
    emscripten_websocket_get_ready_state(current_->socket, &state);
    if (state == 0 || state == 1)  // CONNECTING or OPEN
      emscripten_websocket_close(current_->socket, safeCloseCode(code), safeReason(reason).c_str());
  }
  release();
}

}  // namespace chat::web
