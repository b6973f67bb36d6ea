// Minimal asynchronous loopback clients for the load generator, many per io_context (one
// thread drives thousands): a raw WebSocket (frames in and out as text, no engine) and a
// keep-alive HTTP/1.1 client. Everything else (auth, resume, bookkeeping) is the scenario's.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  // Every text frame received, in order. Set before open().
  std::function<void(const std::string& frame)> onFrame;
  // The connection ended (not called after abort()).
  std::function<void(const error_code& ec)> onClose;

  WsClient(asio::io_context& ioc, tcp::endpoint endpoint);
  // TCP connect + WebSocket upgrade on /gateway; done(ec) either way.
  void open(std::function<void(const error_code&)> done);
  void send(std::string text);
  // Drops the connection without a close handshake; no callback follows.
  void abort();
  bool isOpen() const { return open_; }

 private:
  void readLoop();
  void writeNext();

  beast::websocket::stream<tcp::socket> ws_;
  tcp::endpoint endpoint_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool open_ = false;
  bool aborted_ = false;
};

struct HttpResult {
  error_code ec;
  int status = 0;
  std::string body;
};

class HttpClient : public std::enable_shared_from_this<HttpClient> {
 public:
  HttpClient(asio::io_context& ioc, tcp::endpoint endpoint, std::string token);
  // One request at a time over one keep-alive connection (reconnects when it was closed).
  void request(http::verb verb, std::string target, std::string body,
               std::function<void(const HttpResult&)> done);

 private:
  void write();
  void finish(const error_code& ec);

  tcp::socket socket_;
  tcp::endpoint endpoint_;
  std::string token_;
  bool connected_ = false;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  std::function<void(const HttpResult&)> done_;
};

}  // namespace bench
