// Plain TCP for tests that must send what no HTTP or WebSocket library would: chosen Host,
// Origin and Content-Type headers, bodies that stall half way, binary WebSocket frames.
// Blocking POSIX sockets with timeouts; nothing here runs on the shared EventLoop.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace chat::itest {

struct RawHttpResponse {
  int status = 0;  // 0: no complete response (closed, timed out)
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

class RawTcp {
 public:
  RawTcp() = default;
  ~RawTcp();
  RawTcp(const RawTcp&) = delete;
  RawTcp& operator=(const RawTcp&) = delete;

  // To host:port, from `source` (another loopback address, e.g. 127.0.0.2) when given.
  bool connect(uint16_t port, const std::string& host = "127.0.0.1",
               const std::string& source = "");
  bool sendAll(const std::string& bytes);
  // Reads one HTTP response (headers and a Content-Length body) within `timeout`.
  RawHttpResponse readResponse(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the peer closes the connection (or resets it) within `timeout`.
  bool waitClosed(std::chrono::milliseconds timeout);
  // Whatever arrives within `timeout` (up to `max` bytes); "" on close or timeout.
  std::string readSome(std::chrono::milliseconds timeout, std::size_t max = 65536);
  void close();
  int fd() const { return fd_; }

  // WebSocket on this connection: the upgrade of /gateway, then masked client frames.
  bool wsHandshake(const std::string& host, uint16_t port);
  bool wsSendFrame(uint8_t opcode, const std::string& payload);
  // The next whole server frame: opcode and payload; nullopt on close of TCP or timeout.
  struct WsFrame {
    uint8_t opcode = 0;
    std::string payload;
    uint16_t closeCode() const;  // for opcode 8
  };
  std::optional<WsFrame> wsReadFrame(std::chrono::milliseconds timeout);

 private:
  bool readMore(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection: "METHOD path HTTP/1.1", the given raw header lines
// ("Name: value\r\n" each, Host included or not), and the body (Content-Length added).
RawHttpResponse rawRequest(uint16_t port, const std::string& method, const std::string& path,
                           const std::string& headerLines, const std::string& body = "");

}  // namespace chat::itest
