#include "raw_tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace chat::itest {

using Clock = std::chrono::steady_clock;

RawTcp::~RawTcp() { close(); }

void RawTcp::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool RawTcp::connect(uint16_t port, const std::string& host, const std::string& source) {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return false;
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      close();
      return false;
    }
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close();
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

bool RawTcp::sendAll(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawTcp::readMore(Clock::time_point deadline) {
  if (fd_ < 0) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

RawHttpResponse RawTcp::readResponse(std::chrono::milliseconds timeout) {
  RawHttpResponse out;
  auto deadline = Clock::now() + timeout;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!readMore(deadline)) return out;
  std::string head = buffer_.substr(0, end);
  std::size_t lineEnd = head.find("\r\n");
  std::string statusLine = head.substr(0, lineEnd);
  auto space = statusLine.find(' ');
  if (space == std::string::npos) return out;
  int status = std::atoi(statusLine.c_str() + space + 1);
  std::size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    out.headers[name] = value;
  }
  std::size_t length = 0;
  if (auto it = out.headers.find("content-length"); it != out.headers.end())
    length = std::strtoul(it->second.c_str(), nullptr, 10);
  while (buffer_.size() < end + 4 + length)
    if (!readMore(deadline)) return out;
  out.body = buffer_.substr(end + 4, length);
  buffer_.erase(0, end + 4 + length);
  out.status = status;
  return out;
}

bool RawTcp::waitClosed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count())));
    if (r < 0) return true;
    if (r == 0) continue;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  return false;
}

std::string RawTcp::readSome(std::chrono::milliseconds timeout, std::size_t max) {
  if (buffer_.empty()) readMore(Clock::now() + timeout);
  std::string out = buffer_.substr(0, max);
  buffer_.erase(0, out.size());
  return out;
}

bool RawTcp::wsHandshake(const std::string& host, uint16_t port) {
  std::string req = "GET /gateway HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n";
  if (!sendAll(req)) return false;
  return readResponse().status == 101;
}

bool RawTcp::wsSendFrame(uint8_t opcode, const std::string& payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x80 | (opcode & 0x0f)));
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() < 65536) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      frame.push_back(static_cast<char>((static_cast<uint64_t>(payload.size()) >> (8 * i)) & 0xff));
  }
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return sendAll(frame);
}

uint16_t RawTcp::WsFrame::closeCode() const {
  if (opcode != 8 || payload.size() < 2) return 0;
  return static_cast<uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                               static_cast<unsigned char>(payload[1]));
}

std::optional<RawTcp::WsFrame> RawTcp::wsReadFrame(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    if (buffer_.size() >= 2) {
      auto b = [&](std::size_t i) { return static_cast<unsigned char>(buffer_[i]); };
      uint64_t len = b(1) & 0x7f;
      std::size_t header = 2;
      if (len == 126 && buffer_.size() >= 4) {
        len = (uint64_t(b(2)) << 8) | b(3);
        header = 4;
      } else if (len == 127 && buffer_.size() >= 10) {
        len = 0;
        for (int i = 0; i < 8; ++i) len = (len << 8) | b(2 + i);
        header = 10;
      } else if (len >= 126) {
        header = 0;  // the length is not all here yet
      }
      if (header && buffer_.size() >= header + len) {
        WsFrame f;
        f.opcode = b(0) & 0x0f;
        f.payload = buffer_.substr(header, len);
        buffer_.erase(0, header + len);
        return f;
      }
    }
    if (!readMore(deadline)) return std::nullopt;
  }
}

RawHttpResponse rawRequest(uint16_t port, const std::string& method, const std::string& path,
                           const std::string& headerLines, const std::string& body) {
  RawTcp tcp;
  if (!tcp.connect(port)) return {};
  std::string req = method + " " + path + " HTTP/1.1\r\n" + headerLines;
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "Connection: close\r\n\r\n" + body;
  if (!tcp.sendAll(req)) return {};
  return tcp.readResponse();
}

}  // namespace chat::itest
