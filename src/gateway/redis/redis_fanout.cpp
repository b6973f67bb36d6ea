#include "gateway/redis/redis_fanout.h"

#include <boost/asio/steady_timer.hpp>

namespace chat::gateway::redis {
namespace {
constexpr std::size_t kFillPage = 500;    // events per Stream read while filling a gap
constexpr int64_t kFillRetryMs = 50;      // after a failed read (Redis away)
}  // namespace

RedisFanout::RedisFanout(boost::asio::io_context& ioc, RedisClient& subscriber,
                         RedisEventLog& log, Deliver deliver)
    : ioc_(ioc), subscriber_(subscriber), log_(log), deliver_(std::move(deliver)) {}

RedisFanout::~RedisFanout() { alive_.reset(); }

void RedisFanout::start() {
  subscriber_.subscribe(log_.keys().eventsChannel(),
                        [this](const std::string&, const std::string& payload) { onMessage(payload); });
  // Whatever was published while the subscriber was away is only in the Streams now.
  subscriber_.onReady([this, alive = std::weak_ptr<bool>(alive_)]() {
    if (alive.expired()) return;
    for (auto& [id, s] : sessions_) fill(id);
  });
}

void RedisFanout::watch(const std::string& sessionId, int64_t afterSeq) {
  Session& s = sessions_[sessionId];
  if (s.watchers++ == 0) {
    s.delivered = afterSeq;
    fill(sessionId);  // what was appended between the caller's read and now
  }
}

void RedisFanout::unwatch(const std::string& sessionId) {
  auto it = sessions_.find(sessionId);
  if (it == sessions_.end()) return;
  if (--it->second.watchers <= 0) sessions_.erase(it);
}

int64_t RedisFanout::delivered(const std::string& sessionId) const {
  auto it = sessions_.find(sessionId);
  return it == sessions_.end() ? 0 : it->second.delivered;
}

void RedisFanout::offer(const std::string& sessionId, const std::vector<LoggedEvent>& events) {
  auto it = sessions_.find(sessionId);
  if (it == sessions_.end()) return;
  for (const auto& e : events) accept(sessionId, it->second, e.seq, e.json);
  drain(sessionId);
}

void RedisFanout::onMessage(const std::string& payload) {
  auto batch = decodePublishedBatch(payload);
  if (!batch) return;  // not ours to understand: never crash on a foreign publisher
  auto it = sessions_.find(batch->sessionId);
  if (it == sessions_.end()) return;
  for (auto& e : batch->events) accept(batch->sessionId, it->second, e.seq, std::move(e.json));
  drain(batch->sessionId);
}

void RedisFanout::accept(const std::string&, Session& s, int64_t seq, std::string frame) {
  if (seq <= s.delivered) return;
  s.held.emplace(seq, std::move(frame));
}

void RedisFanout::drain(const std::string& sessionId) {
  auto it = sessions_.find(sessionId);
  if (it == sessions_.end()) return;
  Session& s = it->second;
  std::vector<LoggedEvent> ready;
  while (!s.held.empty() && s.held.begin()->first <= s.delivered + 1) {
    auto node = s.held.extract(s.held.begin());
    if (node.key() == s.delivered + 1) {
      ready.push_back(LoggedEvent{node.key(), std::move(node.mapped())});
      ++s.delivered;
    }
  }
  if (!s.held.empty()) fill(sessionId);  // a gap: its events are in the Stream already
  if (!ready.empty()) deliver_(sessionId, ready);  // may unwatch: `s` is not used after this
}

void RedisFanout::fill(const std::string& sessionId) {
  auto it = sessions_.find(sessionId);
  if (it == sessions_.end()) return;
  Session& s = it->second;
  if (s.filling) {
    s.fillAgain = true;
    return;
  }
  s.filling = true;
  s.fillAgain = false;
  ++gapFills_;
  log_.eventsAfter(sessionId, s.delivered, kFillPage,
                   [this, sessionId, alive = std::weak_ptr<bool>(alive_)](RedisReadResult r) {
                     if (alive.expired()) return;
                     auto it = sessions_.find(sessionId);
                     if (it == sessions_.end()) return;
                     Session& s = it->second;
                     s.filling = false;
                     if (!r.ok) {  // Redis away: try again shortly (the reconnect also fills)
                       auto timer = std::make_shared<boost::asio::steady_timer>(ioc_);
                       timer->expires_after(std::chrono::milliseconds(kFillRetryMs));
                       timer->async_wait([this, sessionId, timer, alive](const boost::system::error_code& ec) {
                         if (!ec && !alive.expired()) fill(sessionId);
                       });
                       return;
                     }
                     bool full = r.events.size() >= kFillPage;
                     for (auto& e : r.events) accept(sessionId, s, e.seq, std::move(e.json));
                     if (!full && !s.fillAgain && !s.held.empty() &&
                         s.held.begin()->first > s.delivered + 1) {
                       // Everything held was published before this read began, yet the Stream
                       // lacks the gap (a Redis that lost data without persistence): deliver
                       // what exists rather than read again forever.
                       s.delivered = s.held.begin()->first - 1;
                     }
                     if (full || s.fillAgain) s.fillAgain = true;
                     bool again = s.fillAgain;
                     drain(sessionId);
                     if (again) fill(sessionId);
                   });
}

}  // namespace chat::gateway::redis
