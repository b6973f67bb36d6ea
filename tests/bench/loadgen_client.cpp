#include "loadgen_client.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>

namespace bench {

// ---- WebSocket ----------------------------------------------------------------------------------

WsClient::WsClient(asio::io_context& ioc, tcp::endpoint endpoint) : ws_(ioc), endpoint_(endpoint) {
  ws_.read_message_max(1024 * 1024);
}

void WsClient::open(std::function<void(const error_code&)> done) {
  auto self = shared_from_this();
  ws_.next_layer().async_connect(endpoint_, [self, done = std::move(done)](const error_code& ec) mutable {
    if (ec || self->aborted_) return done(ec ? ec : asio::error::operation_aborted);
    error_code ignored;
    self->ws_.next_layer().set_option(tcp::no_delay(true), ignored);
    const std::string host = "127.0.0.1:" + std::to_string(self->endpoint_.port());
    self->ws_.async_handshake(host, "/gateway", [self, done = std::move(done)](const error_code& ec) {
      if (!ec && !self->aborted_) {
        self->open_ = true;
        self->readLoop();
        self->writeNext();
      }
      done(ec);
    });
  });
}

void WsClient::readLoop() {
  auto self = shared_from_this();
  ws_.async_read(buffer_, [self](const error_code& ec, std::size_t) {
    if (ec) {
      const bool report = self->open_ && !self->aborted_;
      self->open_ = false;
      if (report && self->onClose) self->onClose(ec);
      return;
    }
    std::string frame = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    if (self->onFrame) self->onFrame(frame);
    if (self->open_) self->readLoop();
  });
}

void WsClient::send(std::string text) {
  queue_.push_back(std::move(text));
  if (open_ && !writing_) writeNext();
}

void WsClient::writeNext() {
  if (queue_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.text(true);
  auto self = shared_from_this();
  ws_.async_write(asio::buffer(queue_.front()), [self](const error_code& ec, std::size_t) {
    self->queue_.pop_front();
    if (ec) {
      self->writing_ = false;
      return;  // the read side reports the close
    }
    self->writeNext();
  });
}

void WsClient::abort() {
  aborted_ = true;
  open_ = false;
  error_code ignored;
  ws_.next_layer().close(ignored);
}

// ---- HTTP ---------------------------------------------------------------------------------------

HttpClient::HttpClient(asio::io_context& ioc, tcp::endpoint endpoint, std::string token)
    : socket_(ioc), endpoint_(endpoint), token_(std::move(token)) {}

void HttpClient::request(http::verb verb, std::string target, std::string body,
                         std::function<void(const HttpResult&)> done) {
  done_ = std::move(done);
  req_ = {};
  req_.method(verb);
  req_.target(target);
  req_.version(11);
  req_.set(http::field::host, "127.0.0.1:" + std::to_string(endpoint_.port()));
  req_.set(http::field::authorization, "Bearer " + token_);
  req_.keep_alive(true);
  if (verb == http::verb::post) {
    req_.set(http::field::content_type, "application/json");
    req_.body() = std::move(body);
  }
  req_.prepare_payload();
  if (connected_) return write();
  auto self = shared_from_this();
  error_code ignored;
  socket_.close(ignored);
  socket_.async_connect(endpoint_, [self](const error_code& ec) {
    if (ec) return self->finish(ec);
    self->connected_ = true;
    error_code ignored2;
    self->socket_.set_option(tcp::no_delay(true), ignored2);
    self->write();
  });
}

void HttpClient::write() {
  auto self = shared_from_this();
  http::async_write(socket_, req_, [self](const error_code& ec, std::size_t) {
    if (ec) return self->finish(ec);
    self->res_ = {};
    http::async_read(self->socket_, self->buffer_, self->res_, [self](const error_code& ec, std::size_t) {
      self->finish(ec);
    });
  });
}

void HttpClient::finish(const error_code& ec) {
  HttpResult r;
  r.ec = ec;
  if (!ec) {
    r.status = static_cast<int>(res_.result_int());
    r.body = std::move(res_.body());
    if (!res_.keep_alive()) connected_ = false;
  } else {
    connected_ = false;
  }
  if (!connected_) {
    error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
  }
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(r);
}

}  // namespace bench
