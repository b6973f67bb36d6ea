// One Redis connection that stays up: connects (AUTH and SELECT from the endpoint), and after
// any loss reconnects with backoff and jitter (backoff.h) until stop(). Single-threaded: every
// call and every callback runs on the io_context's thread.
//
// Commands issued while the connection is down wait in a bounded queue and go out, in order,
// once it is up again; a reconnect attempt that fails answers them Lost at once (callers choose
// whether to retry: appends are idempotent, redis_event_log.h). Commands in flight when the
// connection drops are answered Lost: they may or may not have been applied.
//
// Pub/sub: subscribe() puts the connection in subscriber mode (use a client of its own for it);
// subscriptions are renewed after every reconnect, and onReady tells the owner so it can fill
// what it missed meanwhile.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/redis/backoff.h"
#include "gateway/redis/redis_reply.h"
#include "gateway/redis/redis_url.h"

struct redisAsyncContext;

namespace chat::gateway::redis {

struct RedisClientOptions {
  std::string name = "redis";  // in log lines
  BackoffPolicy backoff;
  int64_t connectTimeoutMs = 2000;
  std::size_t maxQueued = 100000;  // commands waiting for a connection; beyond: answered Lost
  bool logConnections = true;      // one line per loss and per recovery
};

class RedisClient {
 public:
  using Callback = std::function<void(RedisReply)>;
  // A pub/sub message: channel, payload.
  using MessageHandler = std::function<void(const std::string&, const std::string&)>;

  RedisClient(boost::asio::io_context& ioc, RedisEndpoint endpoint, RedisClientOptions options = {});
  ~RedisClient();  // drops the connection; pending callbacks are not called
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  void start();  // first connect; reconnects from then on until stop()
  void stop();   // answers everything pending Lost and stays down

  // Called after each successful (re)connect, once AUTH/SELECT are done and the queue is sent.
  void onReady(std::function<void()> handler) { onReady_ = std::move(handler); }
  // Called on each loss of an established connection.
  void onLost(std::function<void()> handler) { onLost_ = std::move(handler); }

  bool ready() const { return state_ == State::Ready; }
  uint64_t connects() const { return connects_; }  // successful connects so far

  // Sends a command (binary-safe arguments); `done` gets the reply exactly once.
  void command(std::vector<std::string> args, Callback done);

  // Subscriber mode: `handler` gets every message of `channel` (from now, and again after each
  // reconnect; messages published while the connection was down are not replayed). Meant for
  // a few long-lived channels (no unsubscribe: hiredis 0.14 mishandles a channel subscribed
  // again while its unsubscribe is in flight).
  void subscribe(const std::string& channel, MessageHandler handler);
  bool subscribed(const std::string& channel) const { return channels_.count(channel) != 0; }

 private:
  enum class State { Idle, Connecting, Handshake, Ready, Stopped };
  struct Pending {
    std::vector<std::string> args;
    Callback done;
  };
  struct Trampoline;  // what a hiredis callback's privdata points to

  void connect();
  void handshake();
  void becomeReady();
  void connectionFailed(const std::string& why);
  void scheduleReconnect();
  void send(std::vector<std::string> args, Callback done);
  void sendSubscribe(const std::string& channel);
  void failQueued(const std::string& why);
  void log(const std::string& line) const;

  static void onConnectThunk(const redisAsyncContext* ctx, int status);
  static void onDisconnectThunk(const redisAsyncContext* ctx, int status);
  static void onReplyThunk(redisAsyncContext* ctx, void* reply, void* privdata);

  boost::asio::io_context& ioc_;
  RedisEndpoint endpoint_;
  RedisClientOptions options_;
  redisAsyncContext* ctx_ = nullptr;
  State state_ = State::Idle;
  int attempt_ = 0;
  uint64_t connects_ = 0;
  bool everConnected_ = false;
  boost::asio::steady_timer connectTimer_;
  boost::asio::steady_timer retryTimer_;
  std::deque<Pending> queue_;
  std::map<std::string, MessageHandler> channels_;
  std::vector<std::unique_ptr<Trampoline>> subscriptionTrampolines_;  // the current context's
  std::function<void()> onReady_, onLost_;
  std::mt19937_64 rng_;
  // Callbacks of the current context's commands, answered Lost if it goes away.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chat::gateway::redis
