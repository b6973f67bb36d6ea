#include "gateway/http_session.h"

#include <algorithm>
#include <chrono>

#include <boost/beast/websocket.hpp>

#include "gateway/client_address.h"
#include "gateway/api_routes.h"
#include "gateway/request_guard.h"
#include "gateway/static_files.h"
#include "gateway/util.h"
#include "gateway/ws_session.h"

namespace chat::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {
constexpr std::size_t kMaxRequestBody = 300 * 1024;  // a 256 KiB message plus slack
// Bodies of requests nobody has authenticated (POST /api/auth: a PIN or a token; anything
// else sent to a public path) are read only this far, and only for this long: credentials
// are bytes, and holding a connection must not hold memory. (The deadline is never longer
// than --idle-timeout-ms.)
constexpr std::size_t kUnauthenticatedBody = 4 * 1024;
constexpr std::chrono::seconds kUnauthenticatedBodyDeadline{10};
constexpr std::chrono::seconds kBodyDeadline{60};

HttpResponse textResponse(const HttpRequest& req, http::status status, const std::string& text) {
  HttpResponse res{status, req.version()};
  res.set(http::field::server, "chat-gateway");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.keep_alive(req.keep_alive());
  res.body() = text + "\n";
  res.prepare_payload();
  return res;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

bool originAllowed(const std::string& origin, const std::string& host, const Config& config) {
  if (origin.empty()) return true;  // not a browser: native clients and tools send none
  const std::string o = lower(origin);
  const std::string h = lower(host);
  if (!h.empty() && (o == "http://" + h || o == "https://" + h)) return true;
  for (const auto& allowed : config.allowOrigins)
    if (lower(allowed) == o) return true;
  return false;
}

HttpSession::HttpSession(ServerContext& ctx, boost::asio::ip::tcp::socket&& socket,
                         std::unique_ptr<ConnectionCounter::Slot> slot, std::string remote)
    : ctx_(ctx),
      stream_(std::move(socket)),
      slot_(std::move(slot)),
      remote_(std::move(remote)),
      address_(slot_ ? slot_->address() : remote_) {
  ctx_.bound.insert(this);
}

HttpSession::~HttpSession() {
  if (registered_) ctx_.bound.erase(this);  // detached: the context may already be destroyed
  if (!upgraded_ && !quietConnectionLogs()) logLine("http close " + remote_);
}

void HttpSession::detach(const std::string&) {
  if (!registered_) return;
  beast::error_code ec;
  stream_.socket().close(ec);
  ctx_.bound.erase(this);
  registered_ = false;
}

void HttpSession::run() {
  if (!quietConnectionLogs()) logLine("http open " + remote_);
  doRead();
}

void HttpSession::doRead() {
  parser_.emplace();
  // The parser checks a Content-Length against this as the headers end; a request without
  // credentials is held to less in onReadHeader.
  bodyLimit_ = kMaxRequestBody;
  parser_->body_limit(bodyLimit_);
  stream_.expires_after(std::chrono::milliseconds(ctx_.config.idleTimeoutMs));
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::onReadHeader, shared_from_this()));
}

void HttpSession::onReadHeader(beast::error_code ec, std::size_t) {
  if (!registered_) return;  // detached: the gateway is stopping
  if (ec == http::error::end_of_stream) return doClose();
  if (ec == http::error::body_limit) return refuseTooLarge();
  if (ec) return;  // timeout, reset, bad request line: drop the connection
  // Everything that can be decided from the headers is decided before a byte of the body is
  // read: a refused request never gets its body into memory.
  const HttpRequest& head = parser_->get();
  if (!hostAllowed(std::string(head[http::field::host]), ctx_.config)) {
    logLine("refused " + remote_ + ": Host '" + std::string(head[http::field::host]) +
            "' is not this gateway's (see --allowed-host)");
    HttpResponse res = textResponse(head, http::status::misdirected_request,
                                    "this gateway does not answer to that host name");
    res.keep_alive(false);
    return respond(std::move(res));
  }
  std::string target(head.target());
  std::string path = target.substr(0, target.find('?'));
  const bool api = path == "/api" || path.rfind("/api/", 0) == 0;
  if (api) {
    if (auto refusal = refuseBeforeBody(ctx_, head)) return respond(std::move(*refusal));
  }
  // Protected endpoints passed the bearer check above: they may send a whole message.
  const bool authenticated = api && isProtectedApiPath(path);
  bodyLimit_ = authenticated ? kMaxRequestBody : kUnauthenticatedBody;
  parser_->body_limit(bodyLimit_);  // chunked bodies: counted as they come
  if (auto length = parser_->content_length(); length && *length > bodyLimit_)
    return refuseTooLarge();
  if (parser_->is_done()) {
    stream_.expires_never();
    return handle(parser_->release());
  }
  const std::chrono::milliseconds idle(ctx_.config.idleTimeoutMs);
  stream_.expires_after(authenticated ? std::chrono::milliseconds(kBodyDeadline)
                                      : std::min<std::chrono::milliseconds>(
                                            kUnauthenticatedBodyDeadline, idle));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
}

void HttpSession::onRead(beast::error_code ec, std::size_t) {
  if (!registered_) return;  // detached: the gateway is stopping
  if (ec == http::error::end_of_stream) return doClose();
  if (ec == http::error::body_limit) return refuseTooLarge();
  if (ec) return;  // timeout, reset, bad request: drop the connection
  stream_.expires_never();
  handle(parser_->release());
}

void HttpSession::refuseTooLarge() {
  // The body is not read: the connection ends after this answer.
  const HttpRequest& head = parser_->get();
  HttpResponse res{http::status::payload_too_large, head.version()};
  res.set(http::field::server, "chat-gateway");
  res.set(http::field::content_type, "application/json");
  res.body() = encodeError(std::nullopt, "too_large",
                           bodyLimit_ == kMaxRequestBody
                               ? "a request body is at most 300 KiB"
                               : "a request body without credentials is at most 4 KiB");
  res.keep_alive(false);
  res.prepare_payload();
  respond(std::move(res));
}

void HttpSession::handle(HttpRequest&& req) {
  std::string target(req.target());
  std::string path = target.substr(0, target.find('?'));
  if (websocket::is_upgrade(req)) return upgrade(std::move(req));
  if (path == "/api" || path.rfind("/api/", 0) == 0) {
    auto self = shared_from_this();
    handleApiRequest(ctx_, req, requestAddress(req),
                     [self](HttpResponse&& res) { self->respond(std::move(res)); });
    return;
  }
  serveStatic(req);
}

std::string HttpSession::requestAddress(const HttpRequest& req) const {
  if (ctx_.config.trustedProxies.empty()) return address_;
  // Every X-Forwarded-For line in order, as one list: a proxy such as HAProxy adds a line of
  // its own after the client's instead of appending to it, and the last entry is the proxy's.
  std::string forwarded;
  for (auto range = req.equal_range("X-Forwarded-For"); range.first != range.second; ++range.first) {
    if (!forwarded.empty()) forwarded += ',';
    forwarded.append(range.first->value().data(), range.first->value().size());
  }
  return clientAddress(address_, forwarded, ctx_.config.trustedProxies);
}

void HttpSession::upgrade(HttpRequest&& req) {
  std::string target(req.target());
  std::string path = target.substr(0, target.find('?'));
  if (path != "/gateway") return respond(textResponse(req, http::status::not_found, "not found"));
  if (ctx_.config.disableWebSocket || ctx_.stopping)
    return respond(textResponse(req, http::status::service_unavailable,
                                "WebSocket is disabled: use the HTTP API"));
  std::string origin(req[http::field::origin]);
  if (!originAllowed(origin, std::string(req[http::field::host]), ctx_.config)) {
    logLine("ws refused " + remote_ + ": origin " + origin + " is not allowed");
    return respond(textResponse(req, http::status::forbidden, "origin not allowed"));
  }
  upgraded_ = true;
  // The socket moves to the WebSocket, which registers itself: this object is done with it.
  ctx_.bound.erase(this);
  registered_ = false;
  const std::string address = requestAddress(req);
  std::make_shared<WsSession>(ctx_, std::move(stream_), std::move(slot_), remote_, address)
      ->run(std::move(req));
}

void HttpSession::serveStatic(const HttpRequest& req) {
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return respond(textResponse(req, http::status::method_not_allowed, "method not allowed"));
  std::string target(req.target());
  auto path = resolveStaticPath(ctx_.config.staticDir, target);
  if (!path) {
    if (ctx_.config.staticDir.empty() && target.substr(0, target.find('?')) == "/")
      return respond(textResponse(req, http::status::ok,
                                  "chat-gateway is running (no --static folder: API and "
                                  "WebSocket only)."));
    return respond(textResponse(req, http::status::not_found, "not found"));
  }

  auto opened =
      openStaticFile(ctx_.config.staticDir, *path, std::string(req[http::field::accept_encoding]));
  if (!opened) return respond(textResponse(req, http::status::not_found, "not found"));
  const std::string encoding = opened->encoding;
  std::string etag = etagFor(opened->size, opened->mtimeNs);

  auto common = [&](auto& res) {
    res.set(http::field::server, "chat-gateway");
    res.set(http::field::content_type, mimeTypeFor(*path));
    res.set(http::field::cache_control, cacheControlFor(*path));
    res.set(http::field::etag, etag);
    res.set(http::field::vary, "Accept-Encoding");
    res.set("X-Content-Type-Options", "nosniff");
    if (!encoding.empty()) res.set(http::field::content_encoding, encoding);
    if (isHtml(*path)) {
      std::string ancestors = "frame-ancestors 'self'";
      for (const auto& o : ctx_.config.embedOrigins) ancestors += " " + o;
      res.set("Content-Security-Policy", ancestors);
    }
    res.keep_alive(req.keep_alive());
  };

  if (req[http::field::if_none_match] == etag) {
    http::response<http::empty_body> res{http::status::not_modified, req.version()};
    common(res);
    return write(std::move(res));
  }
  beast::error_code ec;
  beast::file file;
  file.native_handle(opened->file.release());  // the descriptor that passed the confinement
  http::file_body::value_type body;
  body.reset(std::move(file), ec);
  if (ec) return respond(textResponse(req, http::status::not_found, "not found"));
  auto size = body.size();
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    common(res);
    res.content_length(size);
    return write(std::move(res));
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, req.version())};
  common(res);
  res.content_length(size);
  write(std::move(res));
}

void HttpSession::respond(HttpResponse&& res) { write(std::move(res)); }

template <class Body>
void HttpSession::write(http::response<Body>&& res) {
  auto sp = std::make_shared<http::response<Body>>(std::move(res));
  pending_ = sp;
  bool close = sp->need_eof();
  stream_.expires_after(std::chrono::seconds(30));  // a client that never reads is dropped
  http::async_write(stream_, *sp,
                    beast::bind_front_handler(&HttpSession::onWrite, shared_from_this(), close));
}

void HttpSession::onWrite(bool close, beast::error_code ec, std::size_t) {
  pending_.reset();
  if (ec || !registered_) return;
  if (close) return doClose();
  doRead();
}

void HttpSession::doClose() {
  beast::error_code ec;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace chat::gateway
