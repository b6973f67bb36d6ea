// WebSocketTransport on emscripten/websocket.h (-lwebsocket.js).
//
// One socket at a time. Handlers are never called from inside open/send/close: a socket that
// cannot even be created reports its close on the next turn of the event loop. After close(),
// or once a newer open() replaced it, a socket's handlers are detached and never called again.
#pragma once

#include <functional>
#include <string>

#include "core/net/platform.h"

namespace chat::web {

class BrowserWebSocket : public net::WebSocketTransport {
 public:
  BrowserWebSocket() = default;
  ~BrowserWebSocket() override;
  BrowserWebSocket(const BrowserWebSocket&) = delete;
  BrowserWebSocket& operator=(const BrowserWebSocket&) = delete;

  void open(const std::string& url, Handlers handlers) override;
  bool send(const std::string& text) override;
  void close(int code, const std::string& reason) override;

  // Called after every handler delivered something (the app schedules a frame).
  void setAfterEvent(std::function<void()> f) { afterEvent_ = std::move(f); }

  const std::function<void()>& afterEvent() const { return afterEvent_; }

  struct Conn;  // one socket's state, shared with the emscripten callbacks
  // Internal, for the emscripten callbacks: forget the current socket (its handlers are never
  // called again) / report that the current socket could not be created.
  void release();
  void failPendingOpen();

 private:

  Conn* current_ = nullptr;
  std::function<void()> afterEvent_;
};

}  // namespace chat::web
