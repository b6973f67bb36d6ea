#include "native/beast_websocket.h"

#include <chrono>
#include <deque>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "native/url.h"

namespace chat::native {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr int kAbnormalClose = 1006;

// A close code we may put on the wire: 1000..4999 minus the reserved ones (1004-1006, 1015).
websocket::close_code wireCloseCode(int code) {
  const bool reserved = code == 1004 || code == 1005 || code == 1006 || code == 1015;
  if (code < 1000 || code > 4999 || reserved) return websocket::close_code::normal;
  return static_cast<websocket::close_code>(code);
}

}  // namespace

// One connection attempt and its socket. Owned by shared_ptr: pending completion handlers keep
// it alive after the transport let go of it. `detached_` is set when the owner closed or
// replaced it (or it already reported its end): from then on no handler is called.
class BeastWebSocket::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, const WebSocketOptions& options, Handlers handlers)
      : io_(io),
        options_(options),
        handlers_(std::move(handlers)),
        resolver_(io),
        ws_(io),
        closeTimer_(io) {}

  void start(const std::string& text) {
    auto url = parseUrl(text);
    if (!url || url->scheme != "ws") {
      // Reported asynchronously: the transport never calls back from inside open().
      asio::post(io_, [self = shared_from_this(), text] {
        self->fail(kAbnormalClose, "invalid WebSocket URL: " + text);
      });
      return;
    }
    url_ = *url;
    beast::get_lowest_layer(ws_).expires_after(std::chrono::milliseconds(options_.connectTimeoutMs));
    resolver_.async_resolve(url_.host, url_.portString(),
                            [self = shared_from_this()](beast::error_code ec,
                                                        tcp::resolver::results_type results) {
                              self->onResolved(ec, std::move(results));
                            });
  }

  bool isOpen() const { return open_ && !detached_; }

  bool send(const std::string& text) {
    if (!isOpen()) return false;
    outbox_.push_back(text);
    if (!writing_) writeNext();
    return true;
  }

  // The owner closes: no handler is called from now on.
  void closeByOwner(int code, const std::string& reason) {
    if (detached_) return;
    detached_ = true;
    if (!open_) {  // still resolving/connecting/upgrading: just drop it
      dropSocket();
      return;
    }
    open_ = false;
    websocket::close_reason why(wireCloseCode(code), reason.substr(0, 120));
    closeTimer_.expires_after(std::chrono::milliseconds(options_.closeTimeoutMs));
    closeTimer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->dropSocket();  // the peer did not finish the close handshake in time
    });
    ws_.async_close(why, [self = shared_from_this()](beast::error_code) {
      self->closeTimer_.cancel();
      self->dropSocket();
    });
  }

 private:
  void onResolved(beast::error_code ec, tcp::resolver::results_type results) {
    if (detached_) return;
    if (ec) return fail(kAbnormalClose, "resolve: " + ec.message());
    beast::get_lowest_layer(ws_).async_connect(
        results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          self->onConnected(ec);
        });
  }

  void onConnected(beast::error_code ec) {
    if (detached_) return;
    if (ec) return fail(kAbnormalClose, "connect: " + ec.message());
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    // From here the websocket's own timeouts apply (the tcp_stream's must be off).
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::milliseconds(options_.connectTimeoutMs);
    timeouts.idle_timeout = websocket::stream_base::none();  // the engine runs the heartbeat
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.read_message_max(options_.maxMessageBytes);
    const std::string origin = options_.origin;
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "chat-native");
      if (!origin.empty()) req.set(beast::http::field::origin, origin);
    }));
    ws_.async_handshake(upgradeResponse_, url_.hostHeader(), url_.target,
                        [self = shared_from_this()](beast::error_code ec) { self->onUpgraded(ec); });
  }

  void onUpgraded(beast::error_code ec) {
    if (detached_) return;
    if (ec) {
      std::string why = "upgrade: " + ec.message();
      if (upgradeResponse_.result_int() != 0 && upgradeResponse_.result_int() != 101) {
        why += " (HTTP " + std::to_string(upgradeResponse_.result_int()) + ")";
      }
      return fail(kAbnormalClose, why);
    }
    ws_.text(true);
    open_ = true;
    if (handlers_.onOpen) handlers_.onOpen();
    if (detached_) return;  // the handler closed or replaced us
    readNext();
    if (!outbox_.empty() && !writing_) writeNext();
  }

  void readNext() {
    ws_.async_read(readBuffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->onRead(ec);
    });
  }

  void onRead(beast::error_code ec) {
    if (detached_) return;
    if (ec) {
      // The peer's close frame decides the code, even when the TCP teardown after it failed
      // (a peer that closes its socket right after its close frame makes that fail, e.g.
      // ENOTCONN): what the peer said is what the engine must hear.
      const auto& reason = ws_.reason();
      if (reason.code != websocket::close_code::none) {
        return fail(static_cast<int>(reason.code), std::string(reason.reason.data(), reason.reason.size()));
      }
      if (ec == websocket::error::closed) return fail(1005, "");  // close frame without a code
      return fail(kAbnormalClose, ec.message());
    }
    std::string text = beast::buffers_to_string(readBuffer_.data());
    readBuffer_.consume(readBuffer_.size());
    if (handlers_.onMessage) handlers_.onMessage(text);
    if (detached_) return;
    readNext();
  }

  void writeNext() {
    writing_ = true;
    ws_.async_write(asio::buffer(outbox_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->onWritten(ec);
                    });
  }

  void onWritten(beast::error_code ec) {
    writing_ = false;
    if (detached_) return;
    if (ec) {
      // Let the read side report how the connection ended: the peer's close frame (e.g. 4008
      // after an oversized frame) may already be waiting in the receive buffer. The read ends
      // too once the socket is gone; the timer only guards against it never doing so.
      closeTimer_.expires_after(std::chrono::milliseconds(options_.closeTimeoutMs));
      closeTimer_.async_wait([self = shared_from_this(), why = ec.message()](beast::error_code tec) {
        if (!tec) self->fail(kAbnormalClose, "write: " + why);
      });
      return;
    }
    outbox_.pop_front();
    if (!outbox_.empty()) writeNext();
  }

  // The connection ended without the owner closing it: report once, then drop everything.
  void fail(int code, const std::string& reason) {
    if (detached_) return;
    detached_ = true;
    open_ = false;
    dropSocket();
    if (handlers_.onClose) handlers_.onClose(code, reason);
  }

  void dropSocket() {
    resolver_.cancel();
    closeTimer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
  }

  asio::io_context& io_;
  WebSocketOptions options_;
  Handlers handlers_;
  Url url_;
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type upgradeResponse_;
  beast::flat_buffer readBuffer_;
  std::deque<std::string> outbox_;
  asio::steady_timer closeTimer_;
  bool writing_ = false;
  bool open_ = false;
  bool detached_ = false;
};

BeastWebSocket::BeastWebSocket(asio::io_context& io, WebSocketOptions options)
    : io_(io), options_(std::move(options)) {}

BeastWebSocket::~BeastWebSocket() {
  if (current_) current_->closeByOwner(1001, "going away");
}

void BeastWebSocket::open(const std::string& url, Handlers handlers) {
  if (current_) current_->closeByOwner(1000, "reopening");
  current_ = std::make_shared<Connection>(io_, options_, std::move(handlers));
  current_->start(url);
}

bool BeastWebSocket::send(const std::string& text) { return current_ && current_->send(text); }

void BeastWebSocket::close(int code, const std::string& reason) {
  if (!current_) return;
  current_->closeByOwner(code, reason);
  current_.reset();
}

bool BeastWebSocket::isOpen() const { return current_ && current_->isOpen(); }

}  // namespace chat::native
