// A raw-protocol WebSocket for tests: frames in and out as JSON, no engine in between, so a
// test can send what a well-behaved client never would (bad JSON, floods, resent ids).
//
// Built on the native BeastWebSocket and pumped through the shared EventLoop: while a test
// waits here for a frame, every other client on the loop keeps running.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "native/beast_websocket.h"
#include "native/event_loop.h"

namespace chat::itest {

using namespace std::chrono_literals;

class RawWs {
 public:
  explicit RawWs(native::EventLoop& loop, std::string origin = "");

  // Connects and upgrades. false when refused or closed (closeReason() says why).
  bool open(const std::string& url, std::chrono::milliseconds timeout = 5s);
  // Sends {type:"auth", id, token} and waits for auth.ok. false otherwise.
  bool authenticate(const std::string& token);
  void sendText(const std::string& text);
  void send(const nlohmann::json& message) { sendText(message.dump()); }

  // The next frame (parsed), or nullopt on timeout or close. A frame that is not JSON comes
  // back as a JSON string holding the raw text.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = 5s);
  // Skips frames until one with this `type` (and requestId, when given).
  std::optional<nlohmann::json> nextOfType(const std::string& type,
                                           std::chrono::milliseconds timeout = 5s,
                                           const std::string& requestId = "");
  bool waitClosed(std::chrono::milliseconds timeout = 5s);

  bool isOpen() const { return open_ && !closed_; }
  bool closed() const { return closed_; }
  int closeCode() const { return closeCode_; }
  const std::string& closeReason() const { return closeReason_; }
  // Every frame received so far, in order (including those next() already returned).
  const std::vector<nlohmann::json>& history() const { return history_; }

 private:
  native::EventLoop& loop_;
  native::BeastWebSocket ws_;
  std::deque<nlohmann::json> queue_;
  std::vector<nlohmann::json> history_;
  bool open_ = false;
  bool closed_ = false;
  int closeCode_ = 0;
  std::string closeReason_;
  int nextId_ = 1;
};

}  // namespace chat::itest
