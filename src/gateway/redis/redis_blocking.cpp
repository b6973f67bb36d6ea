#include "gateway/redis/redis_blocking.h"

#include <chrono>
#include <future>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/event_store.h"

namespace chat::gateway::redis {

namespace {
int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
constexpr int64_t kRetryDelayMs = 50;
}  // namespace

RedisBlocking::RedisBlocking(RedisEndpoint endpoint, RedisClientOptions options, int64_t timeoutMs)
    : timeoutMs_(timeoutMs), guard_(ioc_.get_executor()) {
  client_ = std::make_unique<RedisClient>(ioc_, std::move(endpoint), std::move(options));
  client_->start();
  thread_ = std::thread([this] { ioc_.run(); });
}

RedisBlocking::~RedisBlocking() {
  boost::asio::post(ioc_, [this] {
    client_->stop();
    guard_.reset();
  });
  thread_.join();
  client_.reset();
}

template <class Send>
RedisReply RedisBlocking::wait(Send send, bool idempotent) {
  struct Call {
    std::promise<RedisReply> result;
    int64_t deadlineMs = 0;
    std::function<void()> attempt;
  };
  auto call = std::make_shared<Call>();
  call->deadlineMs = steadyMs() + timeoutMs_;
  auto future = call->result.get_future();
  std::weak_ptr<Call> weak = call;
  // On the Redis thread: send; a reply Lost while Redis is away is sent again after a pause
  // (idempotent calls only) until the deadline.
  call->attempt = [this, weak, send, idempotent] {
    auto c = weak.lock();
    if (!c) return;
    send(*client_, [this, weak, idempotent](RedisReply r) {
      auto c = weak.lock();
      if (!c) return;
      if (r.type == RedisReply::Type::Lost && idempotent && steadyMs() < c->deadlineMs) {
        auto timer = std::make_shared<boost::asio::steady_timer>(ioc_);
        timer->expires_after(std::chrono::milliseconds(kRetryDelayMs));
        timer->async_wait([weak, timer](const boost::system::error_code& ec) {
          auto c = weak.lock();
          if (!ec && c) c->attempt();
        });
        return;
      }
      c->result.set_value(std::move(r));
      c->attempt = nullptr;  // breaks the cycle call -> attempt -> weak
    });
  };
  boost::asio::post(ioc_, [call] { call->attempt(); });
  if (future.wait_for(std::chrono::milliseconds(timeoutMs_ + 2000)) != std::future_status::ready) {
    boost::asio::post(ioc_, [call] { call->attempt = nullptr; });
    throw EventLogError("Redis did not answer in time");
  }
  RedisReply r = future.get();
  if (r.isError()) throw EventLogError("Redis: " + r.describeError());
  return r;
}

RedisReply RedisBlocking::call(std::vector<std::string> args, bool idempotent) {
  return wait(
      [args = std::move(args)](RedisClient& client, RedisClient::Callback done) {
        client.command(args, std::move(done));
      },
      idempotent);
}

RedisReply RedisBlocking::eval(RedisScript& script, std::vector<std::string> keysAndArgs,
                               std::size_t keyCount, bool idempotent) {
  return wait(
      [&script, keysAndArgs = std::move(keysAndArgs), keyCount](RedisClient& client,
                                                                 RedisClient::Callback done) {
        script.run(client, keysAndArgs, keyCount, std::move(done));
      },
      idempotent);
}

}  // namespace chat::gateway::redis
