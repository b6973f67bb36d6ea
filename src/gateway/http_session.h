// One HTTP connection: reads requests (keep-alive), upgrades /gateway to a WebSocket (origin
// checked), routes /api/* to api_routes and everything else to the static files.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "gateway/limits.h"
#include "gateway/server_context.h"

namespace chat::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class HttpSession : public std::enable_shared_from_this<HttpSession>, public ContextBound {
 public:
  HttpSession(ServerContext& ctx, boost::asio::ip::tcp::socket&& socket,
              std::unique_ptr<ConnectionCounter::Slot> slot, std::string remoteAddress);
  ~HttpSession();
  void run();
  // Gateway stopping: the connection is closed (a request in progress is abandoned).
  void detach(const std::string& why) override;

 private:
  void doRead();
  void onReadHeader(boost::beast::error_code ec, std::size_t bytes);
  void onRead(boost::beast::error_code ec, std::size_t bytes);
  void refuseTooLarge();
  void handle(HttpRequest&& req);
  void upgrade(HttpRequest&& req);
  void serveStatic(const HttpRequest& req);
  void respond(HttpResponse&& res);
  template <class Body>
  void write(boost::beast::http::response<Body>&& res);
  void onWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
  void doClose();

  ServerContext& ctx_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> pending_;  // the response being written
  std::unique_ptr<ConnectionCounter::Slot> slot_;
  std::string remote_;   // address:port, for logs
  std::string address_;  // the peer's address only: PIN attempts are counted per address
  // Whom the request counts against: the peer, or the client a trusted proxy names.
  std::string requestAddress(const HttpRequest& req) const;
  std::size_t bodyLimit_ = 0;  // of the request being read
  bool upgraded_ = false;
  bool registered_ = true;  // in ctx_.bound: false once detached or handed to a WsSession
};

// Whether a WebSocket upgrade with this Origin header value may proceed: absent, the
// gateway's own origin (scheme://Host), or one of --allow-origin.
bool originAllowed(const std::string& origin, const std::string& host, const Config& config);

}  // namespace chat::gateway
