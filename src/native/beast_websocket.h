// WebSocketTransport on Boost.Beast: async connect, upgrade (Host and an optional Origin
// header), text frames through a write queue, close codes reported to onClose (the peer's
// code from its close frame, 1006 when the TCP connection drops or the upgrade fails).
//
// Runs on the given io_context; every handler is called from a completion handler on that
// context's thread, never from inside open()/send()/close(). The io_context must outlive this
// object.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "core/net/platform.h"

namespace chat::native {

struct WebSocketOptions {
  std::string origin;            // Origin header on the upgrade request; "" sends none
  int connectTimeoutMs = 10000;  // resolve + TCP connect + upgrade
  int closeTimeoutMs = 2000;     // our close handshake; the socket is dropped after this
  std::size_t maxMessageBytes = 16 * 1024 * 1024;  // larger incoming messages drop the socket
};

class BeastWebSocket : public net::WebSocketTransport {
 public:
  explicit BeastWebSocket(boost::asio::io_context& io, WebSocketOptions options = {});
  ~BeastWebSocket() override;
  BeastWebSocket(const BeastWebSocket&) = delete;
  BeastWebSocket& operator=(const BeastWebSocket&) = delete;

  void open(const std::string& url, Handlers handlers) override;
  bool send(const std::string& text) override;
  void close(int code, const std::string& reason) override;

  // Takes effect at the next open().
  void setOrigin(const std::string& origin) { options_.origin = origin; }
  // True between onOpen and the end of the connection.
  bool isOpen() const;

  class Connection;  // one open() attempt; outlives this object until its operations finish

 private:
  boost::asio::io_context& io_;
  WebSocketOptions options_;
  std::shared_ptr<Connection> current_;
};

}  // namespace chat::native
