// The platform seams of the core: time, randomness, sockets, HTTP and storage.
//
// The browser implements them in src/web (Emscripten), native code in src/native (Beast/Asio),
// and tests with fakes (tests/unit/fakes). Everything is single-threaded and callback driven:
// an implementation calls back on the thread that drives the engine (the browser main loop,
// or the thread running the native io_context), never re-entrantly from inside a call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace chat::net {

// Wall-clock milliseconds. Wall clock on purpose: background tabs throttle timers, and a
// sleeping laptop stops them, but the wall clock keeps counting, so timeouts measured against
// it are right the moment the engine runs again.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t nowMs() = 0;
};

// Uniform random numbers in [0, 1) (backoff jitter, ids).
class Random {
 public:
  virtual ~Random() = default;
  virtual double next01() = 0;
};

class WebSocketTransport {
 public:
  struct Handlers {
    std::function<void()> onOpen;
    std::function<void(const std::string& text)> onMessage;
    // Called once per open() that does not end with close() by us; code 1006 if abnormal.
    std::function<void(int code, const std::string& reason)> onClose;
  };
  virtual ~WebSocketTransport() = default;
  // Starts connecting. Any previous socket is closed first (its handlers are not called again).
  virtual void open(const std::string& url, Handlers handlers) = 0;
  // Queues a text frame; returns false if the socket is not open.
  virtual bool send(const std::string& text) = 0;
  // Closes the socket; no handler of this socket is called afterwards.
  virtual void close(int code, const std::string& reason) = 0;
};

class HttpTransport {
 public:
  struct Request {
    std::string method = "GET";
    std::string url;
    std::map<std::string, std::string> headers;
    std::string body;
    int timeoutMs = 0;  // 0: implementation default
  };
  struct Response {
    int status = 0;  // 0: network error / aborted / timed out
    std::string body;
    std::string error;  // non-empty when status == 0
  };
  using RequestId = uint64_t;
  virtual ~HttpTransport() = default;
  virtual RequestId request(const Request& req, std::function<void(const Response&)> done) = 0;
  // Aborts a request; its callback is not called afterwards.
  virtual void cancel(RequestId id) = 0;
};

// Small persistent key-value store (localStorage in the browser).
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void set(const std::string& key, const std::string& value) = 0;
  virtual void remove(const std::string& key) = 0;
};

}  // namespace chat::net
