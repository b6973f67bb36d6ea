// HttpTransport on emscripten_fetch (-sFETCH=1): method, headers, body, timeout; cancel()
// aborts the XHR and the callback is never called.
//
// Emscripten 3.1.6's emscripten_fetch_close() frees the request but leaves its XHR running (and
// writing into the freed struct when it completes), so cancel() aborts the XHR first.
#pragma once

#include <functional>
#include <map>
#include <memory>

#include "core/net/platform.h"

namespace chat::web {

class BrowserHttp : public net::HttpTransport {
 public:
  BrowserHttp() = default;
  ~BrowserHttp() override;
  BrowserHttp(const BrowserHttp&) = delete;
  BrowserHttp& operator=(const BrowserHttp&) = delete;

  RequestId request(const Request& req, std::function<void(const Response&)> done) override;
  void cancel(RequestId id) override;

  void setAfterEvent(std::function<void()> f) { afterEvent_ = std::move(f); }

  struct Pending;  // shared with the emscripten callbacks
  void finish(Pending* p, const Response& r);  // internal: a request completed
  void failLater(Pending* p, const std::string& error);

 private:
  RequestId nextId_ = 1;
  std::map<RequestId, Pending*> pending_;
  std::function<void()> afterEvent_;
};

}  // namespace chat::web
