#include "gateway/redis/redis_event_log.h"

#include <chrono>
#include <memory>
#include <random>

#include <boost/asio/steady_timer.hpp>

#include "core/protocol/codec.h"

namespace chat::gateway::redis {
namespace {

// KEYS: 1 head hash, 2 log stream, 3 append token, 4 message id.
// ARGV: 1 the last seq the frames were numbered after, 2 events channel, 3 token ttl (s),
// 4 "1" when a message id is recorded, 5 its reply, 6 its ttl (s), 7 session id, 8.. frames.
// Answers {'ok'|'dup', first seq} | {'processed', reply} | {'conflict', real last seq}.
constexpr const char* kAppendScript = R"lua(
local t = redis.call('GET', KEYS[3])
if t then return {'dup', t} end
if ARGV[4] == '1' then
  local r = redis.call('GET', KEYS[4])
  if r then return {'processed', r} end
end
local n = #ARGV - 7
local last = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if n > 0 and last ~= tonumber(ARGV[1]) then
  return {'conflict', string.format('%d', last)}
end
for i = 1, n do
  redis.call('XADD', KEYS[2], string.format('%d-0', last + i), 'f', ARGV[7 + i])
end
if n > 0 then
  redis.call('HSET', KEYS[1], 'seq', string.format('%d', last + n))
  local frames = {}
  for i = 1, n do frames[i] = ARGV[7 + i] end
  redis.call('PUBLISH', ARGV[2], string.format('%d:', string.len(ARGV[7])) .. ARGV[7] ..
             string.format('%d', last + 1) .. '\n' .. table.concat(frames, '\n'))
end
redis.call('SET', KEYS[3], string.format('%d', last + 1), 'EX', ARGV[3])
if ARGV[4] == '1' then redis.call('SET', KEYS[4], ARGV[5], 'EX', ARGV[6]) end
return {'ok', string.format('%d', last + 1)}
)lua";

// "<seq>-0" -> seq.
std::optional<int64_t> seqOfEntryId(const std::string& id) {
  auto dash = id.find('-');
  if (dash == std::string::npos) return std::nullopt;
  return decimalOf(id.substr(0, dash));
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<PublishedBatch> decodePublishedBatch(const std::string& payload) {
  auto colon = payload.find(':');
  if (colon == std::string::npos || colon > 6) return std::nullopt;
  auto len = decimalOf(payload.substr(0, colon));
  if (!len || *len == 0 || colon + 1 + static_cast<std::size_t>(*len) > payload.size()) return std::nullopt;
  PublishedBatch batch;
  batch.sessionId = payload.substr(colon + 1, static_cast<std::size_t>(*len));
  std::size_t pos = colon + 1 + static_cast<std::size_t>(*len);
  auto nl = payload.find('\n', pos);
  if (nl == std::string::npos) return std::nullopt;
  auto first = decimalOf(payload.substr(pos, nl - pos));
  if (!first || *first == 0) return std::nullopt;
  int64_t seq = *first;
  pos = nl + 1;
  while (pos <= payload.size()) {
    auto end = payload.find('\n', pos);
    if (end == std::string::npos) end = payload.size();
    if (end == pos) return std::nullopt;  // an empty frame: not what the script publishes
    batch.events.push_back(LoggedEvent{seq++, payload.substr(pos, end - pos)});
    pos = end + 1;
  }
  if (batch.events.empty()) return std::nullopt;
  return batch;
}

struct RedisEventLog::Append {
  std::string sessionId;
  std::vector<proto::GatewayMessage> events;
  std::optional<ProcessedRecord> processed;
  std::function<void(RedisAppendResult)> done;
  std::string token;
  int64_t numberedAfter = -1;        // the seq the frames below follow
  std::vector<std::string> frames;   // numbered numberedAfter+1...
  int64_t deadlineMs = 0;
};

RedisEventLog::RedisEventLog(boost::asio::io_context& ioc, RedisClient& client, std::string nodeId,
                             RedisKeys keys, RedisEventLogOptions options)
    : ioc_(ioc),
      client_(client),
      nodeId_(std::move(nodeId)),
      keys_(std::move(keys)),
      options_(options),
      script_(kAppendScript) {
  // Tokens must never repeat across restarts of a node: a random part per instance.
  std::random_device rd;
  nodeId_ += "." + std::to_string(rd()) + std::to_string(rd());
}

void RedisEventLog::append(const std::string& sessionId, std::vector<proto::GatewayMessage> events,
                           std::optional<ProcessedRecord> processed,
                           std::function<void(RedisAppendResult)> done) {
  auto a = std::make_shared<Append>();
  a->sessionId = sessionId;
  a->events = std::move(events);
  a->processed = std::move(processed);
  a->done = std::move(done);
  a->token = nodeId_ + ":" + std::to_string(nextToken_++);
  auto& line = waiting_[sessionId];
  line.push_back(std::move(a));
  if (line.size() == 1) startNext(sessionId);
}

// One append per session in flight from this node: the next is numbered after the answer of
// the previous, so this node's appends keep their order even when another node's append
// lands between them (a pipelined second append could otherwise apply before a first one
// that had to be renumbered).
void RedisEventLog::startNext(const std::string& sessionId) {
  auto it = waiting_.find(sessionId);
  if (it == waiting_.end() || it->second.empty()) return;
  std::shared_ptr<Append> a = it->second.front();
  a->deadlineMs = nowMs() + options_.retryForMs;
  attempt(std::move(a));
}

void RedisEventLog::finish(const std::shared_ptr<Append>& a, RedisAppendResult result) {
  auto done = std::move(a->done);
  auto it = waiting_.find(a->sessionId);
  std::string sessionId = a->sessionId;
  if (it != waiting_.end() && !it->second.empty() && it->second.front() == a) {
    it->second.pop_front();
    if (it->second.empty()) waiting_.erase(it);
  }
  done(std::move(result));
  startNext(sessionId);
}

void RedisEventLog::attempt(std::shared_ptr<Append> a) {
  int64_t after = lastSeqSeen_[a->sessionId];
  if (a->numberedAfter != after) {  // (re)number the frames
    a->frames.clear();
    a->frames.reserve(a->events.size());
    int64_t seq = after;
    for (auto event : a->events) {  // a copy: a conflict numbers them again
      proto::setSessionEventKey(event, a->sessionId, ++seq);
      a->frames.push_back(proto::encode(event));
    }
    a->numberedAfter = after;
  }
  std::vector<std::string> argv;
  argv.reserve(11 + a->frames.size());
  argv.push_back(keys_.head(a->sessionId));
  argv.push_back(keys_.log(a->sessionId));
  argv.push_back(keys_.appendToken(a->token));
  argv.push_back(keys_.messageId(a->processed ? a->processed->messageId : ""));
  argv.push_back(std::to_string(a->numberedAfter));
  argv.push_back(keys_.eventsChannel());
  argv.push_back(std::to_string(options_.appendTokenTtlSec));
  argv.push_back(a->processed ? "1" : "0");
  argv.push_back(a->processed ? a->processed->reply : "");
  argv.push_back(std::to_string(options_.messageIdTtlSec));
  argv.push_back(a->sessionId);
  for (const auto& f : a->frames) argv.push_back(f);
  runScript(std::move(argv), 4, [this, a](RedisReply reply) {
    if (reply.type == RedisReply::Type::Lost) {
      retryLater(a, reply.str);
      return;
    }
    RedisAppendResult result;
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2 ||
        !reply.elements[0].isString() || !reply.elements[1].isString()) {
      result.error = reply.isError() ? reply.describeError() : "unexpected answer to the append";
      finish(a, std::move(result));
      return;
    }
    const std::string& status = reply.elements[0].str;
    const std::string& value = reply.elements[1].str;
    if (status == "processed") {
      result.status = RedisAppendResult::Status::AlreadyApplied;
      result.reply = value;
      finish(a, std::move(result));
      return;
    }
    auto seq = decimalOf(value);
    if (!seq) {
      result.error = "unexpected seq in the append's answer: " + value;
      finish(a, std::move(result));
      return;
    }
    if (status == "conflict") {  // another node appended: number again after its last seq
      ++stats_.conflicts;
      lastSeqSeen_[a->sessionId] = *seq;
      attempt(a);
      return;
    }
    // "ok" or "dup" (this very append, applied by an earlier attempt whose answer was lost).
    if (!a->frames.empty() && *seq != a->numberedAfter + 1) {
      result.error = "the log's seq " + value + " does not follow " + std::to_string(a->numberedAfter);
      finish(a, std::move(result));
      return;
    }
    result.status = RedisAppendResult::Status::Appended;
    ++stats_.appended;
    if (status == "dup") ++stats_.duplicates;
    int64_t s = a->numberedAfter;
    for (auto& f : a->frames) result.events.push_back(LoggedEvent{++s, std::move(f)});
    if (!a->frames.empty()) {
      int64_t& seen = lastSeqSeen_[a->sessionId];
      seen = std::max(seen, s);
    }
    finish(a, std::move(result));
  });
}

void RedisEventLog::retryLater(std::shared_ptr<Append> a, const std::string& why) {
  if (nowMs() >= a->deadlineMs) {
    RedisAppendResult result;
    result.error = "Redis unreachable: " + why;
    finish(a, std::move(result));
    return;
  }
  ++stats_.retries;
  auto timer = std::make_shared<boost::asio::steady_timer>(ioc_);
  timer->expires_after(std::chrono::milliseconds(options_.retryDelayMs));
  timer->async_wait([this, a, timer](const boost::system::error_code& ec) {
    if (ec) return;
    attempt(a);  // the same token: applied at most once whatever the lost answer was
  });
}

void RedisEventLog::runScript(std::vector<std::string> keysAndArgs, std::size_t keyCount,
                              RedisClient::Callback done) {
  script_.run(client_, keysAndArgs, keyCount, std::move(done));
}

void RedisEventLog::eventsAfter(const std::string& sessionId, int64_t afterSeq, std::size_t limit,
                                std::function<void(RedisReadResult)> done) {
  client_.command(
      {"XRANGE", keys_.log(sessionId), std::to_string(afterSeq + 1) + "-0", "+", "COUNT",
       std::to_string(limit == 0 ? 1 : limit)},
      [done = std::move(done)](RedisReply r) {
        RedisReadResult result;
        if (r.type != RedisReply::Type::Array) {
          result.error = r.isError() ? r.describeError() : "unexpected answer to XRANGE";
          done(std::move(result));
          return;
        }
        for (auto& entry : r.elements) {
          // [id, [field, value, ...]]
          if (entry.type != RedisReply::Type::Array || entry.elements.size() != 2 ||
              !entry.elements[0].isString() || entry.elements[1].type != RedisReply::Type::Array ||
              entry.elements[1].elements.size() < 2) {
            result.error = "malformed log entry";
            done(std::move(result));
            return;
          }
          auto seq = seqOfEntryId(entry.elements[0].str);
          if (!seq) {
            result.error = "malformed log entry id " + entry.elements[0].str;
            done(std::move(result));
            return;
          }
          result.events.push_back(LoggedEvent{*seq, std::move(entry.elements[1].elements[1].str)});
        }
        result.ok = true;
        done(std::move(result));
      });
}

void RedisEventLog::lastSeq(const std::string& sessionId,
                            std::function<void(std::optional<int64_t>)> done) {
  client_.command({"HGET", keys_.head(sessionId), "seq"}, [done = std::move(done)](RedisReply r) {
    if (r.type == RedisReply::Type::Nil) return done(int64_t{0});
    if (r.type != RedisReply::Type::String) return done(std::nullopt);
    done(decimalOf(r.str));
  });
}

void RedisEventLog::processedReply(const std::string& messageId,
                                   std::function<void(bool, std::optional<std::string>)> done) {
  client_.command({"GET", keys_.messageId(messageId)}, [done = std::move(done)](RedisReply r) {
    if (r.type == RedisReply::Type::Nil) return done(true, std::nullopt);
    if (r.type != RedisReply::Type::String) return done(false, std::nullopt);
    done(true, std::move(r.str));
  });
}

}  // namespace chat::gateway::redis
