// Fakes of the platform seams (core/net/platform.h) for deterministic tests: a clock that
// moves only when told, scripted or seeded randomness, in-memory storage, and socket / HTTP
// transports whose every event is triggered by the test (never from inside an engine call,
// like the real transports). Header-only so every unit suite can use them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/net/platform.h"

namespace chat::fakes {

class FakeClock : public net::Clock {
 public:
  explicit FakeClock(int64_t start = 1'700'000'000'000) : now_(start) {}
  int64_t nowMs() override { return now_; }
  void advance(int64_t ms) { now_ += ms; }
  void set(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

// Returns `fixed` forever, or a scripted sequence (then `fixed`), or seeded uniform values.
class FakeRandom : public net::Random {
 public:
  explicit FakeRandom(double fixed = 0.5) : fixed_(fixed) {}
  static FakeRandom seeded(uint32_t seed) {
    FakeRandom r;
    r.seeded_ = true;
    r.engine_.seed(seed);
    return r;
  }
  void script(std::vector<double> values) { script_.assign(values.begin(), values.end()); }
  double next01() override {
    ++draws;
    if (!script_.empty()) {
      double v = script_.front();
      script_.pop_front();
      return v;
    }
    if (seeded_) return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
    return fixed_;
  }
  int draws = 0;

 private:
  double fixed_;
  bool seeded_ = false;
  std::mt19937 engine_;
  std::deque<double> script_;
};

class FakeStorage : public net::Storage {
 public:
  std::optional<std::string> get(const std::string& key) override {
    auto it = data.find(key);
    if (it == data.end()) return std::nullopt;
    return it->second;
  }
  void set(const std::string& key, const std::string& value) override {
    ++writes;
    data[key] = value;
  }
  void remove(const std::string& key) override { data.erase(key); }
  std::map<std::string, std::string> data;
  int writes = 0;
};

// One client socket at a time, as the engine uses it. The test (or FakeGateway) plays the
// other end: accept() / deliver() / serverClose(), and reads what the client sent.
class FakeWebSocket : public net::WebSocketTransport {
 public:
  struct Socket {
    std::string url;
    Handlers handlers;
    bool accepted = false;
    bool closedByClient = false;
    bool closedByServer = false;
    int closeCode = 0;
    std::string closeReason;
    std::vector<std::string> sent;  // every frame the client sent on it
  };

  void open(const std::string& url, Handlers handlers) override {
    if (current_) sockets[*current_].closedByClient = true;
    Socket s;
    s.url = url;
    s.handlers = std::move(handlers);
    sockets.push_back(std::move(s));
    current_ = sockets.size() - 1;
  }
  bool send(const std::string& text) override {
    if (!current_ || !sockets[*current_].accepted) return false;
    sockets[*current_].sent.push_back(text);
    unread_.push_back(text);
    return true;
  }
  void close(int code, const std::string& reason) override {
    if (!current_) return;
    Socket& s = sockets[*current_];
    s.closedByClient = true;
    s.closeCode = code;
    s.closeReason = reason;
    current_.reset();
    unread_.clear();
  }

  // ---- the test side
  bool hasSocket() const { return current_.has_value(); }
  bool connecting() const { return current_ && !sockets[*current_].accepted; }
  bool isOpen() const { return current_ && sockets[*current_].accepted; }
  std::size_t opens() const { return sockets.size(); }
  Socket& last() { return sockets.back(); }
  // The socket that is open now, if any (index into sockets).
  std::optional<std::size_t> currentIndex() const { return current_; }

  void accept() {
    if (!connecting()) return;
    Socket& s = sockets[*current_];
    s.accepted = true;
    auto onOpen = s.handlers.onOpen;
    if (onOpen) onOpen();
  }
  void deliver(const std::string& text) {
    if (!isOpen()) return;
    auto onMessage = sockets[*current_].handlers.onMessage;
    if (onMessage) onMessage(text);
  }
  // The other side (or the network) closed the socket; 1006 = abnormal.
  void serverClose(int code = 1006, const std::string& reason = "") {
    if (!current_) return;
    Socket& s = sockets[*current_];
    s.closedByServer = true;
    s.closeCode = code;
    s.closeReason = reason;
    auto onClose = s.handlers.onClose;
    current_.reset();
    unread_.clear();
    if (onClose) onClose(code, reason);
  }
  // Frames the client sent since the last call (what the server has not read yet).
  std::vector<std::string> takeSent() {
    std::vector<std::string> out(unread_.begin(), unread_.end());
    unread_.clear();
    return out;
  }

  std::vector<Socket> sockets;

 private:
  std::optional<std::size_t> current_;
  std::deque<std::string> unread_;
};

// Every request stays pending until the test answers it (respond()) or the client cancels it.
class FakeHttp : public net::HttpTransport {
 public:
  struct Pending {
    RequestId id = 0;
    Request req;
    int64_t issuedAt = 0;
    std::function<void(const Response&)> done;
  };
  explicit FakeHttp(net::Clock& clock) : clock_(clock) {}

  RequestId request(const Request& req, std::function<void(const Response&)> done) override {
    Pending p{nextId_++, req, clock_.nowMs(), std::move(done)};
    log.push_back(req);
    pending.push_back(std::move(p));
    return pending.back().id;
  }
  void cancel(RequestId id) override {
    auto it = std::find_if(pending.begin(), pending.end(),
                           [&](const Pending& p) { return p.id == id; });
    if (it != pending.end()) {
      pending.erase(it);
      ++cancelled;
    }
  }

  // ---- the test side
  // The first pending request whose URL contains `part` (and method, if given).
  const Pending* find(const std::string& part, const std::string& method = "") const {
    for (const Pending& p : pending) {
      if (p.req.url.find(part) != std::string::npos && (method.empty() || p.req.method == method))
        return &p;
    }
    return nullptr;
  }
  std::size_t count(const std::string& part) const {
    return static_cast<std::size_t>(std::count_if(pending.begin(), pending.end(), [&](const Pending& p) {
      return p.req.url.find(part) != std::string::npos;
    }));
  }
  bool respond(RequestId id, int status, const std::string& body, const std::string& error = "") {
    auto it = std::find_if(pending.begin(), pending.end(),
                           [&](const Pending& p) { return p.id == id; });
    if (it == pending.end()) return false;
    auto done = std::move(it->done);
    pending.erase(it);
    Response r{status, body, status == 0 ? (error.empty() ? "network error" : error) : error};
    if (done) done(r);
    return true;
  }
  // Answers the first pending request matching `part`; false if there is none.
  bool respondTo(const std::string& part, int status, const std::string& body) {
    const Pending* p = find(part);
    return p != nullptr && respond(p->id, status, body);
  }

  std::vector<Pending> pending;
  std::vector<Request> log;  // every request ever made, in order
  int cancelled = 0;

 private:
  net::Clock& clock_;
  RequestId nextId_ = 1;
};

}  // namespace chat::fakes
