#include "native/beast_http.h"

#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "native/url.h"

namespace chat::native {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Resolve, connect, write, read; every step under one deadline. Reports through `report_`
// exactly once unless abandoned (cancel or owner destroyed), after which it reports nothing.
class BeastHttp::Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  using Report = std::function<void(const Response&)>;

  Exchange(asio::io_context& io, std::size_t maxBodyBytes, Report report)
      : io_(io), resolver_(io), stream_(io), report_(std::move(report)) {
    parser_.body_limit(maxBodyBytes);
    parser_.header_limit(64 * 1024);
  }

  void start(const Request& req, int timeoutMs) {
    auto url = parseUrl(req.url);
    if (!url || url->scheme != "http") return failLater("invalid HTTP URL: " + req.url);
    const http::verb verb = http::string_to_verb(req.method);
    if (verb == http::verb::unknown) return failLater("unknown HTTP method: " + req.method);

    request_.method(verb);
    request_.target(url->target);
    request_.version(11);
    request_.set(http::field::host, url->hostHeader());
    request_.set(http::field::user_agent, "chat-native");
    request_.set(http::field::connection, "close");
    for (const auto& [name, value] : req.headers) {
      // Header names/values with line breaks would let a caller inject headers: refuse them.
      if (name.find_first_of("\r\n:") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        return failLater("invalid header: " + name);
      }
      request_.set(name, value);
    }
    request_.body() = req.body;
    if (!req.body.empty() || verb == http::verb::post || verb == http::verb::put) {
      request_.prepare_payload();
    }

    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    stream_.expires_at(deadline_);
    resolver_.async_resolve(url->host, url->portString(),
                            [self = shared_from_this()](beast::error_code ec,
                                                        tcp::resolver::results_type results) {
                              self->onResolved(ec, std::move(results));
                            });
  }

  void abandon() {
    abandoned_ = true;
    resolver_.cancel();
    stream_.close();
  }

 private:
  void onResolved(beast::error_code ec, tcp::resolver::results_type results) {
    if (abandoned_) return;
    if (ec) return fail("resolve: " + ec.message());
    stream_.expires_at(deadline_);
    stream_.async_connect(results, [self = shared_from_this()](beast::error_code ec,
                                                               const tcp::endpoint&) {
      self->onConnected(ec);
    });
  }

  void onConnected(beast::error_code ec) {
    if (abandoned_) return;
    if (ec) return fail("connect: " + ec.message());
    stream_.expires_at(deadline_);
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec,
                                                                     std::size_t) {
      self->onWritten(ec);
    });
  }

  void onWritten(beast::error_code ec) {
    if (abandoned_) return;
    if (ec) return fail("write: " + ec.message());
    stream_.expires_at(deadline_);
    http::async_read(stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code ec,
                                                                           std::size_t) {
      self->onRead(ec);
    });
  }

  void onRead(beast::error_code ec) {
    if (abandoned_) return;
    if (ec) return fail("read: " + ec.message());
    Response response;
    response.status = static_cast<int>(parser_.get().result_int());
    response.body = std::move(parser_.get().body());
    finish(response);
  }

  void fail(const std::string& why) {
    Response response;
    response.status = 0;
    response.error = why.find("timeout") != std::string::npos || why.find("timed out") != std::string::npos
                         ? "timeout (" + why + ")"
                         : why;
    finish(response);
  }

  // Errors found before any I/O are still reported from a handler, never from request().
  void failLater(const std::string& why) {
    asio::post(io_, [self = shared_from_this(), why] {
      if (!self->abandoned_) self->fail(why);
    });
  }

  void finish(const Response& response) {
    abandoned_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    Report report = std::move(report_);
    report(response);
  }

  asio::io_context& io_;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response_parser<http::string_body> parser_;
  std::chrono::steady_clock::time_point deadline_;
  Report report_;
  bool abandoned_ = false;
};

BeastHttp::BeastHttp(asio::io_context& io, HttpOptions options) : io_(io), options_(options) {}

BeastHttp::~BeastHttp() {
  for (auto& [id, pending] : exchanges_) pending.exchange->abandon();
}

net::HttpTransport::RequestId BeastHttp::request(const Request& req,
                                                 std::function<void(const Response&)> done) {
  const RequestId id = nextId_++;
  auto exchange = std::make_shared<Exchange>(
      io_, options_.maxBodyBytes, [this, id](const Response& response) { finished(id, response); });
  exchanges_[id] = Pending{exchange, std::move(done)};
  exchange->start(req, req.timeoutMs > 0 ? req.timeoutMs : options_.defaultTimeoutMs);
  return id;
}

void BeastHttp::cancel(RequestId id) {
  auto it = exchanges_.find(id);
  if (it == exchanges_.end()) return;
  it->second.exchange->abandon();
  exchanges_.erase(it);
}

void BeastHttp::finished(RequestId id, const Response& response) {
  auto it = exchanges_.find(id);
  if (it == exchanges_.end()) return;  // cancelled meanwhile
  auto done = std::move(it->second.done);
  exchanges_.erase(it);
  if (done) done(response);
}

}  // namespace chat::native
