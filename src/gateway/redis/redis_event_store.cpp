#include "gateway/redis/redis_event_store.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <random>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/protocol/codec.h"
#include "gateway/redis/redis_queued_turns.h"
#include "gateway/redis/redis_session_text.h"
#include "gateway/util.h"

namespace chat::gateway::redis {
namespace {

// KEYS[1] batch token, [2] queued turns hash, [3] sessions by update time (zset), [4] the
// changes counter, [5] sessions by their latest change (zset), [6] open turns hash (leases);
// then per append: head, log, message id. ARGV[1] events channel, [2] token ttl, [3] message
// id ttl, [4] appends, [5] now (ms), [6] key prefix, [7] the list channel; then per append:
// sessionId, numbered-after seq, has-message-id, reply, queued field, queued value, title
// candidate, a list change ('1'/'0'), removals count, tools count, ends count, frames count,
// search-text ops count, the removals, the tools (request id, open turn value pairs), the
// ends, the frames, the ops (three arguments each, redis_session_text.h; 'G' adds a tool to
// the session's grants). A removal is a turn its chat.stream.start begins (no longer queued);
// a tool, an open turn's tool in flight set or cleared by its tool events (so a routed
// approval finds the turn as soon as its request is logged, and a close ends that tool); an
// end, a turn its chat.stream.end ends (no longer open: a sweep must not close it again,
// whatever happens to its node after this script).
// A deleted session (head field `deleted`) takes no events: its append writes nothing but its
// message id, and its first seq is answered 0. Every append that changes the list (created,
// retitled, or a list-relevant event: updated) gives the session the next change number and
// its kind (head field `change`); the batch then publishes the counter on the list channel.
constexpr const char* kBatchScript = R"lua(
local t = redis.call('GET', KEYS[1])
if t then return {'dup', t} end
local n = tonumber(ARGV[4])
local pfx = ARGV[6]
local pos = 8
local appends = {}
local processed = {}
local conflicts = {}
local cur, real, conflicted, dead = {}, {}, {}, {}
for i = 1, n do
  local a = {sid = ARGV[pos], after = tonumber(ARGV[pos + 1]), hasMid = ARGV[pos + 2] == '1',
             reply = ARGV[pos + 3], qf = ARGV[pos + 4], qv = ARGV[pos + 5], title = ARGV[pos + 6],
             listed = ARGV[pos + 7] == '1'}
  local rc, tc = tonumber(ARGV[pos + 8]), tonumber(ARGV[pos + 9])
  local ec, fc = tonumber(ARGV[pos + 10]), tonumber(ARGV[pos + 11])
  local oc = tonumber(ARGV[pos + 12])
  pos = pos + 13
  a.removes = {}
  for j = 1, rc do a.removes[j] = ARGV[pos]; pos = pos + 1 end
  a.tools = {}
  for j = 1, 2 * tc do a.tools[j] = ARGV[pos]; pos = pos + 1 end
  a.ends = {}
  for j = 1, ec do a.ends[j] = ARGV[pos]; pos = pos + 1 end
  a.frames = {}
  for j = 1, fc do a.frames[j] = ARGV[pos]; pos = pos + 1 end
  a.ops = {}
  for j = 1, 3 * oc do a.ops[j] = ARGV[pos]; pos = pos + 1 end
  local k = 7 + 3 * (i - 1)
  a.head, a.log, a.mid = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  if a.hasMid and redis.call('EXISTS', a.mid) == 1 then
    processed[#processed + 1] = tostring(i)
    processed[#processed + 1] = redis.call('GET', a.mid)
  elseif fc > 0 then
    if cur[a.sid] == nil then
      local h = redis.call('HMGET', a.head, 'seq', 'deleted')
      real[a.sid] = tonumber(h[1] or '0')
      cur[a.sid] = real[a.sid]
      if h[2] == '1' then dead[a.sid] = true end
    end
    if cur[a.sid] ~= a.after and not dead[a.sid] then
      if not conflicted[a.sid] then
        conflicted[a.sid] = true
        conflicts[#conflicts + 1] = a.sid
        conflicts[#conflicts + 1] = string.format('%d', real[a.sid])
      end
    end
    cur[a.sid] = a.after + fc
  end
  appends[i] = a
end
if #processed > 0 or #conflicts > 0 then return {'retry', processed, conflicts} end
local firsts = {}
local listMoved = false
for i = 1, n do
  local a = appends[i]
  local fc = #a.frames
  local gone = fc > 0 and dead[a.sid]
  if fc > 0 and not gone then
    for j = 1, fc do
      redis.call('XADD', a.log, string.format('%d-0', a.after + j), 'f', a.frames[j])
    end
    redis.call('HSET', a.head, 'seq', string.format('%d', a.after + fc), 'updatedAt', ARGV[5])
    redis.call('HSETNX', a.head, 'createdAt', ARGV[5])
    local retitled = false
    if a.title ~= '' then retitled = redis.call('HSETNX', a.head, 'title', a.title) == 1 end
    local kind = nil
    if a.after == 0 then kind = 'created' elseif retitled then kind = 'retitled'
    elseif a.listed then kind = 'updated' end
    redis.call('ZADD', KEYS[3], ARGV[5], a.sid)
    if kind then
      redis.call('HSET', a.head, 'change', kind)
      redis.call('ZADD', KEYS[5], redis.call('INCR', KEYS[4]), a.sid)
      listMoved = true
    end
    local text = pfx .. 'text:' .. a.sid
    for j = 1, #a.ops, 3 do
      local op, x, y = a.ops[j], a.ops[j + 1], a.ops[j + 2]
      if op == 'M' then redis.call('HSET', text, x, y)
      elseif op == 'S' then redis.call('HSET', text, 'r:' .. x, y)
      elseif op == 'D' then redis.call('APPEND', pfx .. 'reply:' .. a.sid .. ':' .. x, y)
      elseif op == 'G' then redis.call('SADD', pfx .. 'grants:' .. a.sid, x)
      elseif op == 'E' then
        local rk = pfx .. 'reply:' .. a.sid .. ':' .. x
        local body = redis.call('GET', rk)
        local at = redis.call('HGET', text, 'r:' .. x) or y
        if body and body ~= '' then redis.call('HSET', text, at, 'assistant\n' .. x .. '\n' .. body) end
        redis.call('DEL', rk)
        redis.call('HDEL', text, 'r:' .. x)
      end
    end
    redis.call('PUBLISH', ARGV[1], string.format('%d:', string.len(a.sid)) .. a.sid ..
               string.format('%d', a.after + 1) .. '\n' .. table.concat(a.frames, '\n'))
  end
  for j = 1, #a.removes do redis.call('HDEL', KEYS[2], a.removes[j]) end
  for j = 1, #a.tools, 2 do
    if redis.call('HEXISTS', KEYS[6], a.tools[j]) == 1 then redis.call('HSET', KEYS[6], a.tools[j], a.tools[j + 1]) end
  end
  for j = 1, #a.ends do redis.call('HDEL', KEYS[6], a.ends[j]) end
  if a.qf ~= '' and not gone then redis.call('HSET', KEYS[2], a.qf, a.qv) end
  if a.hasMid then redis.call('SET', a.mid, a.reply, 'EX', ARGV[3]) end
  if gone then firsts[i] = '0' else firsts[i] = string.format('%d', a.after + 1) end
end
if listMoved then redis.call('PUBLISH', ARGV[7], redis.call('GET', KEYS[4])) end
local joined = table.concat(firsts, ',')
redis.call('SET', KEYS[1], joined, 'EX', ARGV[2])
return {'ok', joined}
)lua";

int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One append of a batch, as numbered for the current attempt.
struct RedisEventStore::Batch {
  struct Item {
    AppendRequest request;  // events taken from the caller's batch
    bool skip = false;      // its message id was applied already
    std::string skipReply;
    int64_t after = 0;      // numbered after this seq
    std::vector<std::string> frames;
    std::vector<std::string> removes;  // queued turns its stream.start begins
    std::vector<std::string> tools;    // open turns' tools in flight: request id, value pairs
    std::vector<std::string> ends;     // open turns its stream.end ends
    std::string queuedValue;
    std::vector<std::string> grants;   // tools its events approve for the session
  };
  std::vector<Item> items;
  std::string token;
  int64_t nowMs = 0;  // wall clock of the batch: the sessions' updatedAt
  int64_t deadlineMs = 0;
  std::promise<std::vector<std::vector<LoggedEvent>>> result;
  std::string lastError;
};

RedisEventStore::RedisEventStore(RedisEndpoint endpoint, RedisEventStoreOptions options)
    : options_(std::move(options)), guard_(ioc_.get_executor()), script_(kBatchScript) {
  std::random_device rd;
  tokenPrefix_ = options_.nodeId + "." + std::to_string(rd()) + std::to_string(rd()) + ":b";
  client_ = std::make_unique<RedisClient>(ioc_, std::move(endpoint), options_.client);
  RedisEventLogOptions readOptions;
  readOptions.retryForMs = options_.retryForMs;
  reader_ = std::make_unique<RedisEventLog>(ioc_, *client_, options_.nodeId, options_.keys, readOptions);
  client_->start();
  thread_ = std::thread([this] { ioc_.run(); });
}

RedisEventStore::~RedisEventStore() {
  boost::asio::post(ioc_, [this] {
    client_->stop();
    guard_.reset();
  });
  thread_.join();
  reader_.reset();
  client_.reset();
}

template <class T, class Start>
T RedisEventStore::onThread(Start start) {
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  boost::asio::post(ioc_, [start = std::move(start), promise]() mutable { start(promise); });
  if (future.wait_for(std::chrono::milliseconds(options_.retryForMs + 2000)) != std::future_status::ready)
    throw EventLogError("Redis did not answer in time");
  return future.get();
}

std::vector<std::vector<LoggedEvent>> RedisEventStore::appendBatchConsuming(
    std::vector<AppendRequest>& batch, int64_t nowMs) {
  auto b = std::make_shared<Batch>();
  b->nowMs = nowMs;
  b->items.reserve(batch.size());
  for (auto& request : batch) {
    Batch::Item item;
    item.request.sessionId = request.sessionId;
    item.request.events = std::move(request.events);
    request.events.clear();
    {
      std::lock_guard<std::mutex> lock(approvalsMutex_);
      for (auto& grant : approvals_.grantsIn(item.request.sessionId, item.request.events))
        item.grants.push_back(std::move(grant.second));
    }
    item.request.processed = request.processed;
    item.request.queued = request.queued;
    item.request.announceNewSession = request.announceNewSession;
    b->items.push_back(std::move(item));
  }
  b->token = tokenPrefix_ + std::to_string(nextToken_++);
  auto future = b->result.get_future();
  boost::asio::post(ioc_, [this, b] {
    appliedElsewhere_.clear();
    b->deadlineMs = steadyMs() + options_.retryForMs;
    attempt(b);
  });
  if (future.wait_for(std::chrono::milliseconds(options_.retryForMs + 2000)) != std::future_status::ready)
    throw EventLogError("Redis did not answer the append in time");
  return future.get();  // rethrows EventLogError set on the Redis thread
}

// On the Redis thread: number, send, and on the answer finish, renumber or retry.
void RedisEventStore::attempt(std::shared_ptr<Batch> b) {
  const RedisKeys& keys = options_.keys;
  std::map<std::string, int64_t> cur;  // running last seq per session for this numbering
  std::vector<std::string> argv{keys.appendToken(b->token), keys.prefix + "queued",
                                keys.sessionsByUpdate(), keys.changeCounter(), keys.sessionsByChange(),
                                keys.openTurns()};
  std::vector<std::string> args{keys.eventsChannel(), std::to_string(options_.batchTokenTtlSec),
                                std::to_string(options_.messageIdTtlSec)};
  std::size_t live = 0;
  for (auto& item : b->items) {
    if (item.skip) continue;
    ++live;
    const std::string& sid = item.request.sessionId;
    if (cur.count(sid) == 0) cur[sid] = lastSeqSeen_[sid];
    int64_t& seq = cur[sid];
    item.after = seq;
    item.frames.clear();
    item.removes.clear();
    item.tools.clear();
    item.ends.clear();
    int64_t echoSeq = 0;
    std::string title;  // the first user message's first 60 characters, as the SQLite log
    bool listed = false;  // a list change (not only streamed text or tool output)
    SessionTextOps text;  // what search reads (redis_session_text.h)
    auto add = [&](proto::GatewayMessage event) {
      proto::setSessionEventKey(event, sid, ++seq);
      if (const auto* start = std::get_if<proto::StreamStart>(&event)) item.removes.push_back(start->requestId);
      if (const auto* end = std::get_if<proto::StreamEnd>(&event)) item.ends.push_back(end->requestId);
      auto tool = [&](const std::string& requestId, const std::string& callId, const std::string& name) {
        item.tools.push_back(requestId);
        item.tools.push_back(openTurnValue(sid, callId, name));
      };
      if (const auto* e = std::get_if<proto::ToolCall>(&event)) tool(e->requestId, e->toolCallId, e->toolName);
      if (const auto* e = std::get_if<proto::ToolApprovalRequest>(&event)) tool(e->requestId, e->toolCallId, e->toolName);
      if (const auto* e = std::get_if<proto::ToolResult>(&event)) tool(e->requestId, "", "");
      if (const auto* e = std::get_if<proto::ToolError>(&event)) tool(e->requestId, "", "");
      if (const auto* m = std::get_if<proto::ChatMessageEvent>(&event)) {
        if (item.request.queued && m->messageId == item.request.queued->requestId) echoSeq = seq;
        if (title.empty() && m->role == "user") title = truncateUtf8(m->content, 60);
      }
      listed = listed || isListChange(event);
      text.add(seq, event);
      item.frames.push_back(proto::encode(event));
    };
    if (item.request.announceNewSession && item.after == 0 &&
        (!item.request.events.empty() || item.request.queued))
      add(proto::SessionCreated{"", 0, sid});
    for (const auto& e : item.request.events) add(e);
    for (const auto& tool : item.grants) text.grant(tool);
    if (item.request.queued) {
      const QueuedTurn& q = *item.request.queued;
      item.queuedValue = encodeQueuedTurn(q, options_.runId.empty() ? options_.nodeId : options_.runId,
                                          echoSeq != 0 ? echoSeq : seq);
    }
    argv.push_back(keys.head(sid));
    argv.push_back(keys.log(sid));
    argv.push_back(keys.messageId(item.request.processed ? item.request.processed->messageId : ""));
    args.push_back(sid);
    args.push_back(std::to_string(item.after));
    args.push_back(item.request.processed ? "1" : "0");
    args.push_back(item.request.processed ? item.request.processed->reply : "");
    args.push_back(item.request.queued ? item.request.queued->requestId : "");
    args.push_back(item.queuedValue);
    args.push_back(title);
    args.push_back(listed ? "1" : "0");
    args.push_back(std::to_string(item.removes.size()));
    args.push_back(std::to_string(item.tools.size() / 2));
    args.push_back(std::to_string(item.ends.size()));
    args.push_back(std::to_string(item.frames.size()));
    args.push_back(std::to_string(text.count()));
    args.insert(args.end(), item.removes.begin(), item.removes.end());
    args.insert(args.end(), item.tools.begin(), item.tools.end());
    args.insert(args.end(), item.ends.begin(), item.ends.end());
    args.insert(args.end(), item.frames.begin(), item.frames.end());
    text.appendTo(args);
  }
  args.insert(args.begin() + 3, {std::to_string(live), std::to_string(b->nowMs), keys.prefix,
                                 keys.listChannel()});
  const std::size_t keyCount = argv.size();
  argv.insert(argv.end(), args.begin(), args.end());

  auto fail = [b](const std::string& why) {
    b->result.set_exception(std::make_exception_ptr(EventLogError("Redis append: " + why)));
  };
  script_.run(*client_, argv, keyCount, [this, b, fail](RedisReply r) {
    if (r.type == RedisReply::Type::Lost) {
      b->lastError = r.str;
      if (steadyMs() >= b->deadlineMs) return fail("unreachable (" + r.str + ")");
      auto timer = std::make_shared<boost::asio::steady_timer>(ioc_);
      timer->expires_after(std::chrono::milliseconds(options_.retryDelayMs));
      timer->async_wait([this, b, timer](const boost::system::error_code& ec) {
        if (!ec) attempt(b);  // the same token: applied at most once
      });
      return;
    }
    if (r.type != RedisReply::Type::Array || r.elements.size() < 2 || !r.elements[0].isString())
      return fail(r.isError() ? r.describeError() : "unexpected answer");
    const std::string& status = r.elements[0].str;
    if (status == "retry" && r.elements.size() == 3) {
      // Live items in script order: the script numbers them 1..n.
      std::vector<Batch::Item*> live;
      for (auto& item : b->items)
        if (!item.skip) live.push_back(&item);
      const auto& processed = r.elements[1].elements;
      for (std::size_t i = 0; i + 1 < processed.size(); i += 2) {
        auto index = decimalOf(processed[i].str);
        if (!index || *index < 1 || static_cast<std::size_t>(*index) > live.size()) return fail("bad retry answer");
        live[*index - 1]->skip = true;
        live[*index - 1]->skipReply = processed[i + 1].str;
      }
      const auto& conflicts = r.elements[2].elements;
      for (std::size_t i = 0; i + 1 < conflicts.size(); i += 2) {
        auto last = decimalOf(conflicts[i + 1].str);
        if (!last) return fail("bad conflict answer");
        lastSeqSeen_[conflicts[i].str] = *last;
      }
      attempt(b);
      return;
    }
    if ((status != "ok" && status != "dup") || !r.elements[1].isString()) return fail("unexpected answer " + status);
    // "ok" or "dup": the first seq of each live append, in order.
    std::vector<int64_t> firsts;
    const std::string& joined = r.elements[1].str;
    std::size_t pos = 0;
    while (pos <= joined.size() && !joined.empty()) {
      auto comma = joined.find(',', pos);
      if (comma == std::string::npos) comma = joined.size();
      auto v = decimalOf(joined.substr(pos, comma - pos));
      if (!v) return fail("bad seqs in the answer");
      firsts.push_back(*v);
      pos = comma + 1;
    }
    std::vector<std::vector<LoggedEvent>> out(b->items.size());
    std::size_t liveIndex = 0;
    for (std::size_t i = 0; i < b->items.size(); ++i) {
      auto& item = b->items[i];
      if (item.skip) {
        appliedElsewhere_.emplace_back(i, item.skipReply);
        continue;
      }
      if (liveIndex >= firsts.size() || (firsts[liveIndex] != item.after + 1 && firsts[liveIndex] != 0))
        return fail("the stored seqs differ from the numbering");
      // 0: the session was deleted, its events dropped (as the SQLite log drops them).
      if (firsts[liveIndex++] == 0) continue;
      int64_t seq = item.after;
      for (auto& f : item.frames) out[i].push_back(LoggedEvent{++seq, std::move(f)});
      if (!item.frames.empty()) {
        int64_t& seen = lastSeqSeen_[item.request.sessionId];
        seen = std::max(seen, seq);
      }
    }
    b->result.set_value(std::move(out));
  });
}

std::vector<LoggedEvent> RedisEventStore::eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                                      std::size_t limit) {
  auto r = onThread<RedisReadResult>([this, sessionId, afterSeq, limit](auto promise) {
    reader_->eventsAfter(sessionId, afterSeq, limit,
                         [promise](RedisReadResult r) { promise->set_value(std::move(r)); });
  });
  if (!r.ok) throw EventLogError("Redis read: " + r.error);
  return std::move(r.events);
}

int64_t RedisEventStore::lastSeq(const std::string& sessionId) {
  auto r = onThread<std::optional<int64_t>>([this, sessionId](auto promise) {
    reader_->lastSeq(sessionId, [promise](std::optional<int64_t> v) { promise->set_value(v); });
  });
  if (!r) throw EventLogError("Redis read of the session's last seq failed");
  return *r;
}

std::optional<std::string> RedisEventStore::processedReply(const std::string& messageId) {
  auto r = onThread<RedisReply>([this, messageId](auto promise) {
    client_->command({"GET", options_.keys.messageId(messageId)},
                     [promise](RedisReply reply) { promise->set_value(std::move(reply)); });
  });
  if (r.isError()) throw EventLogError("Redis read of a message id failed: " + r.describeError());
  if (!r.isString()) return std::nullopt;  // nil: never applied (or expired)
  return r.str;
}

std::vector<QueuedTurn> RedisEventStore::queuedTurns() {
  auto r = onThread<RedisReply>([this](auto promise) {
    client_->command({"HVALS", options_.keys.prefix + "queued"},
                     [promise](RedisReply reply) { promise->set_value(std::move(reply)); });
  });
  if (r.type != RedisReply::Type::Array) throw EventLogError("Redis read of the queued turns failed");
  return decodeQueuedTurns(r.elements);
}

// KEYS[1] sessions by update time. ARGV[1] limit, [2] head key prefix. Newest first:
// id, title, createdAt, updatedAt, seq for each (one consistent read).
constexpr const char* kListScript = R"lua(
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[2] .. id, 'title', 'createdAt', 'updatedAt', 'seq')
  out[#out + 1] = id
  for j = 1, 4 do out[#out + 1] = h[j] or '' end
end
return out
)lua";

std::vector<proto::SessionInfo> RedisEventStore::listSessions(std::size_t limit) {
  auto r = onThread<RedisReply>([this, limit](auto promise) {
    client_->command({"EVAL", kListScript, "1", options_.keys.sessionsByUpdate(),
                      std::to_string(limit == 0 ? 1 : limit), options_.keys.head("")},
                     [promise](RedisReply reply) { promise->set_value(std::move(reply)); });
  });
  if (r.type != RedisReply::Type::Array || r.elements.size() % 5 != 0)
    throw EventLogError("Redis read of the session list failed");
  std::vector<proto::SessionInfo> out;
  for (std::size_t i = 0; i < r.elements.size(); i += 5) {
    proto::SessionInfo info;
    info.sessionId = r.elements[i].str;
    info.title = r.elements[i + 1].str;
    info.createdAt = decimalOf(r.elements[i + 2].str).value_or(0);
    info.updatedAt = decimalOf(r.elements[i + 3].str).value_or(0);
    info.lastSeq = decimalOf(r.elements[i + 4].str).value_or(0);
    out.push_back(std::move(info));
  }
  return out;
}

int64_t RedisEventStore::lastChange() {
  auto r = onThread<RedisReply>([this](auto promise) {
    client_->command({"GET", options_.keys.changeCounter()},
                     [promise](RedisReply reply) { promise->set_value(std::move(reply)); });
  });
  if (r.type == RedisReply::Type::Nil) return 0;
  auto v = r.type == RedisReply::Type::String ? decimalOf(r.str) : std::nullopt;
  if (!v) throw EventLogError("Redis read of the changes counter failed");
  return *v;
}

std::vector<std::pair<int64_t, std::string>> RedisEventStore::sessionsChangedAfter(int64_t afterChange,
                                                                                 std::size_t limit) {
  auto r = onThread<RedisReply>([this, afterChange, limit](auto promise) {
    client_->command({"ZRANGEBYSCORE", options_.keys.sessionsByChange(), "(" + std::to_string(afterChange),
                      "+inf", "WITHSCORES", "LIMIT", "0", std::to_string(limit == 0 ? 1 : limit)},
                     [promise](RedisReply reply) { promise->set_value(std::move(reply)); });
  });
  if (r.type != RedisReply::Type::Array || r.elements.size() % 2 != 0)
    throw EventLogError("Redis read of the session changes failed");
  std::vector<std::pair<int64_t, std::string>> out;
  for (std::size_t i = 0; i < r.elements.size(); i += 2)
    out.emplace_back(decimalOf(r.elements[i + 1].str).value_or(0), r.elements[i].str);
  return out;
}

}  // namespace chat::gateway::redis
