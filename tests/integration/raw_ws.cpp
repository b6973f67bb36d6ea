#include "raw_ws.h"

namespace chat::itest {

RawWs::RawWs(native::EventLoop& loop, std::string origin)
    : loop_(loop), ws_(loop.context(), native::WebSocketOptions{origin, 5000, 1000}) {}

bool RawWs::open(const std::string& url, std::chrono::milliseconds timeout) {
  net::WebSocketTransport::Handlers handlers;
  handlers.onOpen = [this] { open_ = true; };
  handlers.onMessage = [this](const std::string& text) {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) parsed = text;
    queue_.push_back(parsed);
    history_.push_back(parsed);
  };
  handlers.onClose = [this](int code, const std::string& reason) {
    closed_ = true;
    closeCode_ = code;
    closeReason_ = reason;
  };
  ws_.open(url, handlers);
  loop_.runUntil([this] { return open_ || closed_; }, timeout);
  return isOpen();
}

bool RawWs::authenticate(const std::string& token) {
  send({{"type", "auth"}, {"id", "raw-auth-" + std::to_string(nextId_++)}, {"token", token}});
  return nextOfType("auth.ok").has_value();
}

void RawWs::sendText(const std::string& text) { ws_.send(text); }

std::optional<nlohmann::json> RawWs::next(std::chrono::milliseconds timeout) {
  loop_.runUntil([this] { return !queue_.empty() || closed_; }, timeout);
  if (queue_.empty()) return std::nullopt;
  auto frame = std::move(queue_.front());
  queue_.pop_front();
  return frame;
}

std::optional<nlohmann::json> RawWs::nextOfType(const std::string& type,
                                                std::chrono::milliseconds timeout,
                                                const std::string& requestId) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto frame = next(left);
    if (!frame) return std::nullopt;
    if (!frame->is_object() || frame->value("type", "") != type) continue;
    if (!requestId.empty() && frame->value("requestId", "") != requestId) continue;
    return frame;
  }
}

bool RawWs::waitClosed(std::chrono::milliseconds timeout) {
  return loop_.runUntil([this] { return closed_; }, timeout);
}

}  // namespace chat::itest
