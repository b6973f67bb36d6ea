#include "gateway/redis/redis_client.h"

#include <signal.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/post.hpp>

#include "gateway/redis/asio_hiredis.h"
#include "gateway/util.h"

namespace chat::gateway::redis {

// What a hiredis callback's privdata points to. A command's is deleted after its one call;
// a subscription's is called for every message and owned by the client until its context ends.
struct RedisClient::Trampoline {
  std::weak_ptr<bool> alive;  // expired once the client is destroyed: answer nobody
  bool subscription = false;
  Callback done;              // a command's
  MessageHandler handler;     // a subscription's
};

RedisClient::RedisClient(boost::asio::io_context& ioc, RedisEndpoint endpoint,
                         RedisClientOptions options)
    : ioc_(ioc),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      connectTimer_(ioc),
      retryTimer_(ioc),
      rng_(std::random_device{}()) {}

RedisClient::~RedisClient() {
  alive_.reset();  // the NULL-reply callbacks hiredis runs while freeing must call nobody
  state_ = State::Stopped;
  if (ctx_ != nullptr) {
    ctx_->data = nullptr;
    redisAsyncFree(ctx_);
    ctx_ = nullptr;
  }
  subscriptionTrampolines_.clear();
}

void RedisClient::log(const std::string& line) const {
  if (options_.logConnections) logLine(options_.name + " " + endpoint_.describe() + ": " + line);
}

void RedisClient::start() {
  if (state_ != State::Idle || ctx_ != nullptr) return;
  // hiredis writes with write(), not send(MSG_NOSIGNAL): a write to a connection Redis (or a
  // proxy) just closed would raise SIGPIPE and kill the process instead of failing with EPIPE.
  // Process-wide, and what hiredis asks of its users; Asio's own sockets never raise it.
  static const bool sigpipeIgnored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)sigpipeIgnored;
  connect();
}

void RedisClient::stop() {
  if (state_ == State::Stopped) return;
  state_ = State::Stopped;
  connectTimer_.cancel();
  retryTimer_.cancel();
  failQueued("client stopped");
  if (ctx_ != nullptr) {
    // Pending commands still get their replies; hiredis frees the context afterwards.
    redisAsyncDisconnect(ctx_);
  }
}

void RedisClient::connect() {
  state_ = State::Connecting;
  redisAsyncContext* ctx = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
  if (ctx == nullptr || ctx->err != 0) {
    std::string why = ctx != nullptr ? ctx->errstr : "out of memory";
    if (ctx != nullptr) redisAsyncFree(ctx);
    connectionFailed(why);
    return;
  }
  if (!AsioHiredisAdapter::attach(ioc_, ctx)) {
    redisAsyncFree(ctx);
    connectionFailed("cannot watch the socket");
    return;
  }
  // A Redis that vanishes without closing the connection (a failover moving its address, a
  // partition) is noticed by TCP keepalive (hiredis: idle 15 s, then probes) instead of never.
  redisEnableKeepAlive(&ctx->c);
  ctx->data = this;
  ctx_ = ctx;
  redisAsyncSetDisconnectCallback(ctx, &RedisClient::onDisconnectThunk);
  redisAsyncSetConnectCallback(ctx, &RedisClient::onConnectThunk);  // asks for the first write
  connectTimer_.expires_after(std::chrono::milliseconds(options_.connectTimeoutMs));
  connectTimer_.async_wait([this, alive = std::weak_ptr<bool>(alive_), ctx](
                               const boost::system::error_code& ec) {
    if (ec || alive.expired() || ctx_ != ctx || state_ != State::Connecting) return;
    ctx->data = nullptr;  // not connected: hiredis calls no disconnect callback, no replies
    ctx_ = nullptr;
    redisAsyncFree(ctx);
    connectionFailed("connect timed out");
  });
}

void RedisClient::onConnectThunk(const redisAsyncContext* ctx, int status) {
  auto* self = static_cast<RedisClient*>(ctx->data);
  if (self == nullptr) return;
  self->connectTimer_.cancel();
  if (status != REDIS_OK) {
    // hiredis frees the context right after this callback.
    self->ctx_ = nullptr;
    self->connectionFailed(ctx->errstr);
    return;
  }
  self->handshake();
}

void RedisClient::handshake() {
  state_ = State::Handshake;
  auto afterSelect = [this](RedisReply reply) {
    if (state_ != State::Handshake) return;
    if (reply.isError()) {
      log("SELECT " + std::to_string(endpoint_.db) + " refused: " + reply.describeError());
      redisAsyncDisconnect(ctx_);  // the disconnect callback schedules the next attempt
      return;
    }
    becomeReady();
  };
  auto select = [this, afterSelect]() {
    if (endpoint_.db == 0) {
      becomeReady();
      return;
    }
    send({"SELECT", std::to_string(endpoint_.db)}, afterSelect);
  };
  if (endpoint_.password.empty()) {
    select();
    return;
  }
  std::vector<std::string> auth{"AUTH"};
  if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
  auth.push_back(endpoint_.password);
  send(std::move(auth), [this, select](RedisReply reply) {
    if (state_ != State::Handshake) return;
    if (reply.isError()) {
      log("AUTH refused: " + reply.describeError());
      redisAsyncDisconnect(ctx_);
      return;
    }
    select();
  });
}

void RedisClient::becomeReady() {
  state_ = State::Ready;
  if (everConnected_ || attempt_ > 0) log("connected");
  everConnected_ = true;
  attempt_ = 0;
  ++connects_;
  for (const auto& [channel, handler] : channels_) sendSubscribe(channel);
  std::deque<Pending> queued;
  queued.swap(queue_);
  for (auto& p : queued) send(std::move(p.args), std::move(p.done));
  if (onReady_) onReady_();
}

void RedisClient::onDisconnectThunk(const redisAsyncContext* ctx, int /*status*/) {
  auto* self = static_cast<RedisClient*>(ctx->data);
  if (self == nullptr) return;
  // hiredis has already answered the context's pending commands (Lost) and frees it after this.
  self->ctx_ = nullptr;
  self->subscriptionTrampolines_.clear();
  if (self->state_ == State::Stopped) return;
  bool wasUp = self->state_ == State::Ready;
  self->state_ = State::Idle;
  self->log(std::string("connection lost: ") + (ctx->errstr[0] != 0 ? ctx->errstr : "closed"));
  // Commands queued during a refused handshake (wrong password, bad db) fail now, like those
  // of a refused connect: nobody waits on a Redis that turns them away.
  self->failQueued(std::string("Redis connection ended: ") + ctx->errstr);
  if (wasUp && self->onLost_) self->onLost_();
  self->scheduleReconnect();
}

void RedisClient::connectionFailed(const std::string& why) {
  state_ = State::Idle;
  if (attempt_ == 0) log("cannot connect: " + why + " (retrying with backoff)");
  failQueued("Redis unreachable: " + why);
  scheduleReconnect();
}

void RedisClient::scheduleReconnect() {
  if (state_ == State::Stopped) return;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t delay = backoffDelayMs(options_.backoff, attempt_, uniform(rng_));
  if (attempt_ < 30) ++attempt_;
  retryTimer_.expires_after(std::chrono::milliseconds(delay));
  retryTimer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || state_ != State::Idle) return;
    connect();
  });
}

void RedisClient::failQueued(const std::string& why) {
  std::deque<Pending> failed;
  failed.swap(queue_);
  for (auto& p : failed) {
    boost::asio::post(ioc_, [done = std::move(p.done), why]() { done(RedisReply::lost(why)); });
  }
}

void RedisClient::command(std::vector<std::string> args, Callback done) {
  if (state_ == State::Ready) {
    send(std::move(args), std::move(done));
    return;
  }
  if (state_ == State::Stopped || queue_.size() >= options_.maxQueued) {
    std::string why = state_ == State::Stopped ? "client stopped" : "too many commands waiting";
    boost::asio::post(ioc_, [done = std::move(done), why]() { done(RedisReply::lost(why)); });
    return;
  }
  queue_.push_back(Pending{std::move(args), std::move(done)});
}

void RedisClient::send(std::vector<std::string> args, Callback done) {
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  argv.reserve(args.size());
  argvlen.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  auto* t = new Trampoline{alive_, false, std::move(done), {}};
  if (ctx_ == nullptr ||
      redisAsyncCommandArgv(ctx_, &RedisClient::onReplyThunk, t, static_cast<int>(argv.size()),
                            argv.data(), argvlen.data()) != REDIS_OK) {
    std::unique_ptr<Trampoline> owned(t);
    boost::asio::post(ioc_, [done = std::move(owned->done)]() {
      done(RedisReply::lost("connection closing"));
    });
  }
}

void RedisClient::subscribe(const std::string& channel, MessageHandler handler) {
  bool fresh = channels_.count(channel) == 0;
  channels_[channel] = std::move(handler);
  if (fresh && state_ == State::Ready) sendSubscribe(channel);
}

void RedisClient::sendSubscribe(const std::string& channel) {
  auto t = std::make_unique<Trampoline>();
  t->alive = alive_;
  t->subscription = true;
  t->handler = [this, channel](const std::string& ch, const std::string& payload) {
    auto it = channels_.find(channel);
    if (it != channels_.end() && it->second) it->second(ch, payload);
  };
  const char* argv[] = {"SUBSCRIBE", channel.data()};
  size_t argvlen[] = {9, channel.size()};
  if (ctx_ != nullptr &&
      redisAsyncCommandArgv(ctx_, &RedisClient::onReplyThunk, t.get(), 2, argv, argvlen) ==
          REDIS_OK) {
    subscriptionTrampolines_.push_back(std::move(t));
  }
}

void RedisClient::onReplyThunk(redisAsyncContext* /*ctx*/, void* reply, void* privdata) {
  auto* t = static_cast<Trampoline*>(privdata);
  if (t == nullptr) return;
  auto* r = static_cast<redisReply*>(reply);
  if (t->subscription) {
    // Called for the subscribe confirmation and every message; owned by the client.
    if (r == nullptr || t->alive.expired()) return;
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
        r->element[0]->type == REDIS_REPLY_STRING &&
        std::string(r->element[0]->str, r->element[0]->len) == "message" &&
        r->element[1]->type == REDIS_REPLY_STRING && r->element[2]->type == REDIS_REPLY_STRING) {
      t->handler(std::string(r->element[1]->str, r->element[1]->len),
                 std::string(r->element[2]->str, r->element[2]->len));
    }
    return;
  }
  std::unique_ptr<Trampoline> owned(t);
  if (owned->alive.expired()) return;
  owned->done(RedisReply::copyOf(r));
}

}  // namespace chat::gateway::redis
