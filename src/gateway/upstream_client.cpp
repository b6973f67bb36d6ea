#include "gateway/upstream_client.h"

#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <limits>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace chat::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kErrorBodyCap = 64 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

beast::tcp_stream& lowest(PlainStream& s) { return s; }
beast::tcp_stream& lowest(TlsStream& s) { return beast::get_lowest_layer(s); }

// One request on its own connection (streams are long; no pooling needed). Keeps itself alive
// through its pending operations; cancel() closes the socket and drops the handlers.
template <class Stream>
class Exchange : public UpstreamRequest, public std::enable_shared_from_this<Exchange<Stream>> {
 public:
  template <class... StreamArgs>
  Exchange(asio::io_context& ioc, const UpstreamClient::Options& options,
           http::request<http::string_body> request, UpstreamClient::BodyHandler onBody,
           UpstreamClient::DoneHandler onDone, StreamArgs&&... streamArgs)
      : resolver_(ioc),
        stream_(std::forward<StreamArgs>(streamArgs)...),
        url_(options.url),
        idle_(std::chrono::milliseconds(options.idleMs)),
        request_(std::move(request)),
        onBody_(std::move(onBody)),
        onDone_(std::move(onDone)) {
    // A stream may be long. Not boost::none: Beast 1.74 compares a Content-Length with the
    // empty optional and refuses every sized body ("body limit exceeded").
    parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
  }

  void begin() {
    auto self = this->shared_from_this();
    // The resolver has no expiry of its own: a timer-less resolve is bounded by the OS.
    resolver_.async_resolve(url_.host, url_.port,
                            [self](beast::error_code ec, tcp::resolver::results_type results) {
                              self->onResolved(ec, std::move(results));
                            });
  }

  // Only marks it finished: the handlers may be running right now (a body handler that
  // cancels), so they are not destroyed here but with this object.
  void cancel() override {
    finished_ = true;
    resolver_.cancel();
    beast::error_code ignored;
    lowest(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest(stream_).close();
  }

 private:
  bool cancelled() const { return finished_; }

  void finish(UpstreamOutcome outcome) {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    lowest(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest(stream_).close();
    onDone_(outcome);
  }

  void fail(UpstreamOutcome::Kind kind, const std::string& message) {
    UpstreamOutcome o;
    o.kind = kind;
    o.message = message;
    finish(std::move(o));
  }

  // A failed step: a timeout (the stream's expiry) or the step's own error.
  void failStep(const beast::error_code& ec, UpstreamOutcome::Kind kind, const std::string& what) {
    if (cancelled()) return;
    if (ec == beast::error::timeout) {
      fail(UpstreamOutcome::Kind::TimedOut,
           "the upstream sent nothing for " + std::to_string(idle_.count() / 1000) + " s (" +
               what + ")");
      return;
    }
    fail(kind, what + ": " + ec.message());
  }

  void onResolved(beast::error_code ec, tcp::resolver::results_type results) {
    if (cancelled()) return;
    if (ec) return failStep(ec, UpstreamOutcome::Kind::ConnectFailed, "cannot resolve " + url_.host);
    lowest(stream_).expires_after(idle_);
    auto self = this->shared_from_this();
    lowest(stream_).async_connect(results, [self](beast::error_code ec, const tcp::endpoint&) {
      self->onConnected(ec);
    });
  }

  void onConnected(beast::error_code ec) {
    if (cancelled()) return;
    if (ec)
      return failStep(ec, UpstreamOutcome::Kind::ConnectFailed,
                      "cannot connect to " + url_.hostHeader());
    lowest(stream_).socket().set_option(tcp::no_delay(true));
    handshake();
  }

  void handshake() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      if (!SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str()))
        return fail(UpstreamOutcome::Kind::ConnectFailed, "TLS: cannot set the server name");
      stream_.set_verify_mode(asio::ssl::verify_peer);
      stream_.set_verify_callback(asio::ssl::host_name_verification(url_.host));
      lowest(stream_).expires_after(idle_);
      auto self = this->shared_from_this();
      stream_.async_handshake(asio::ssl::stream_base::client, [self](beast::error_code ec) {
        if (self->cancelled()) return;
        if (ec)
          return self->failStep(ec, UpstreamOutcome::Kind::ConnectFailed,
                                "TLS handshake with " + self->url_.host);
        self->write();
      });
    } else {
      write();
    }
  }

  void write() {
    lowest(stream_).expires_after(idle_);
    auto self = this->shared_from_this();
    http::async_write(stream_, request_, [self](beast::error_code ec, std::size_t) {
      if (self->cancelled()) return;
      if (ec) return self->failStep(ec, UpstreamOutcome::Kind::Cut, "sending the request");
      self->readHeader();
    });
  }

  void readHeader() {
    lowest(stream_).expires_after(idle_);
    auto self = this->shared_from_this();
    http::async_read_header(stream_, buffer_, parser_, [self](beast::error_code ec, std::size_t) {
      if (self->cancelled()) return;
      if (ec)
        return self->failStep(ec, UpstreamOutcome::Kind::Cut, "reading the response");
      const auto& h = self->parser_.get();
      self->status_ = static_cast<int>(h.result_int());
      if (auto it = h.find(http::field::retry_after); it != h.end())
        self->retryAfter_ = std::string(it->value());
      self->readBody();
    });
  }

  void readBody() {
    if (parser_.is_done()) return done();
    parser_.get().body().data = chunk_.data();
    parser_.get().body().size = chunk_.size();
    lowest(stream_).expires_after(idle_);
    auto self = this->shared_from_this();
    http::async_read_some(stream_, buffer_, parser_, [self](beast::error_code ec, std::size_t) {
      if (self->cancelled()) return;
      if (ec == http::error::need_buffer) ec = {};
      std::size_t got = self->chunk_.size() - self->parser_.get().body().size;
      if (got > 0) self->deliver(std::string_view(self->chunk_.data(), got));
      if (self->cancelled()) return;  // the body handler cancelled
      if (ec) {
        if (ec == beast::error::timeout)
          return self->failStep(ec, UpstreamOutcome::Kind::TimedOut, "mid-response");
        return self->fail(UpstreamOutcome::Kind::Cut,
                          "the upstream connection ended mid-response (" + ec.message() + ")");
      }
      self->readBody();
    });
  }

  void deliver(std::string_view bytes) {
    if (status_ >= 200 && status_ < 300) {
      if (onBody_ && !finished_) onBody_(bytes);
    } else if (errorBody_.size() < kErrorBodyCap) {
      errorBody_.append(bytes.substr(0, kErrorBodyCap - errorBody_.size()));
    }
  }

  void done() {
    UpstreamOutcome o;
    o.status = status_;
    o.retryAfter = retryAfter_;
    if (status_ < 200 || status_ >= 300) {
      o.kind = UpstreamOutcome::Kind::HttpError;
      o.body = std::move(errorBody_);
      o.message = "the upstream answered HTTP " + std::to_string(status_);
    }
    finish(std::move(o));
  }

  tcp::resolver resolver_;
  Stream stream_;
  UpstreamUrl url_;
  std::chrono::milliseconds idle_;
  http::request<http::string_body> request_;
  UpstreamClient::BodyHandler onBody_;
  UpstreamClient::DoneHandler onDone_;
  beast::flat_buffer buffer_;
  http::response_parser<http::buffer_body> parser_;
  std::array<char, kReadChunk> chunk_{};
  int status_ = 0;
  bool finished_ = false;  // done or cancelled: no handler runs any more
  std::string retryAfter_;
  std::string errorBody_;
};

}  // namespace

UpstreamClient::UpstreamClient(asio::io_context& ioc, Options options)
    : ioc_(ioc), options_(std::move(options)) {
  if (!options_.url.tls) return;
  tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  tls_->set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  if (options_.caFile.empty()) tls_->set_default_verify_paths(ec);
  else tls_->load_verify_file(options_.caFile, ec);
  if (ec)
    throw std::runtime_error("cannot load " +
                             (options_.caFile.empty() ? std::string("the system's certificates")
                                                      : options_.caFile) +
                             ": " + ec.message());
}

UpstreamClient::~UpstreamClient() = default;

std::shared_ptr<UpstreamRequest> UpstreamClient::post(const std::string& path,
                                                      std::string jsonBody, BodyHandler onBody,
                                                      DoneHandler onDone) {
  return start("POST", path, std::move(jsonBody), std::move(onBody), std::move(onDone));
}

std::shared_ptr<UpstreamRequest> UpstreamClient::get(const std::string& path, BodyHandler onBody,
                                                     DoneHandler onDone) {
  return start("GET", path, "", std::move(onBody), std::move(onDone));
}

std::shared_ptr<UpstreamRequest> UpstreamClient::start(const std::string& method,
                                                       const std::string& path, std::string body,
                                                       BodyHandler onBody, DoneHandler onDone) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(options_.url.target(path));
  req.version(11);
  req.set(http::field::host, options_.url.hostHeader());
  req.set(http::field::user_agent, "chat-gateway");
  req.set(http::field::connection, "close");
  if (method == "POST") {
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "text/event-stream");
  } else {
    req.set(http::field::accept, "application/json");
  }
  if (!options_.apiKey.empty()) req.set(http::field::authorization, "Bearer " + options_.apiKey);
  req.body() = std::move(body);
  req.prepare_payload();
  if (options_.url.tls) {
    auto x = std::make_shared<Exchange<TlsStream>>(ioc_, options_, std::move(req), std::move(onBody),
                                                   std::move(onDone), ioc_, *tls_);
    x->begin();
    return x;
  }
  auto x = std::make_shared<Exchange<PlainStream>>(ioc_, options_, std::move(req), std::move(onBody),
                                                   std::move(onDone), ioc_);
  x->begin();
  return x;
}

}  // namespace chat::gateway
