#include "gateway/redis/redis_turn_leases.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/protocol/codec.h"
#include "core/protocol/field_rules.h"
#include "core/protocol/messages.h"
#include "gateway/redis/redis_queued_turns.h"
#include "gateway/util.h"

namespace chat::gateway::redis {
namespace {

// KEYS: lease, open turns. ARGV: node, lease ms, requestId, turn value.
constexpr const char* kClaim = R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  return 1
end
return 0
)lua";

// KEYS: lease, open turns, queued turns. ARGV: node, lease ms, requestId, turn value, session,
// lease key prefix. Only a turn still waiting to start (or one this node holds already: a
// start retried after its first events could not be logged). One turn per session at a time,
// in the order the sends were echoed, across nodes: 3 (busy) while another node runs or
// closes a turn of the session, or another node's send to it waits since before this one
// (this node's own turns are ordered by its own queue). 0 = refused, 1 = this node's now,
// 2 = this node's and cancelled while it waited.
constexpr const char* kClaimQueued = R"lua(
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
local queued = redis.call('HGET', KEYS[3], ARGV[3])
if not queued then return 0 end
local ok, t = pcall(cjson.decode, queued)
if not ok or type(t) ~= 'table' then t = {} end
local prefix = ARGV[5] .. '\n'
local open = redis.call('HGETALL', KEYS[2])
for i = 1, #open, 2 do
  if open[i] ~= ARGV[3] and string.sub(open[i + 1], 1, #prefix) == prefix then
    if redis.call('GET', ARGV[6] .. open[i]) ~= ARGV[1] then return 3 end
  end
end
local mySeq = tonumber(t.echoSeq) or 0
for _, v in ipairs(redis.call('HVALS', KEYS[3])) do
  local okOther, o = pcall(cjson.decode, v)
  if okOther and type(o) == 'table' and o.sessionId == ARGV[5] and o.requestId ~= ARGV[3] and
     o.node ~= ARGV[1] and (tonumber(o.echoSeq) or 0) < mySeq then
    return 3
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if t.cancelled == true then return 2 end
return 1
)lua";

// KEYS: queued turns. ARGV: requestId. Marks a waiting turn cancelled (its claim sees it).
// 1 = marked, 0 = not waiting.
constexpr const char* kMarkCancelled = R"lua(
local queued = redis.call('HGET', KEYS[1], ARGV[1])
if not queued then return 0 end
local ok, t = pcall(cjson.decode, queued)
if not ok or type(t) ~= 'table' then return 0 end
t.cancelled = true
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(t))
return 1
)lua";

// KEYS: lease, queued turns. ARGV: node channel prefix, payload, requestId. As kRoute; with no
// holder, a waiting turn is marked cancelled instead (-2). -1 = neither.
constexpr const char* kRouteCancel = R"lua(
local owner = redis.call('GET', KEYS[1])
if owner then return redis.call('PUBLISH', ARGV[1] .. owner, ARGV[2]) end
local queued = redis.call('HGET', KEYS[2], ARGV[3])
if not queued then return -1 end
local ok, t = pcall(cjson.decode, queued)
if not ok or type(t) ~= 'table' then return -1 end
t.cancelled = true
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(t))
return -2
)lua";

// KEYS: lease. ARGV: node. This node lets go without the turn's end: the sweep closes it.
constexpr const char* kDrop = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
)lua";

// KEYS: queued turns, open turns. ARGV: alive key prefix, this node. The queued turns whose
// node is not alive, of sessions with no open turn (a dead node's running turn is closed
// first, so the next one starts after its end).
constexpr const char* kOrphanQueued = R"lua(
local busy = {}
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do
  local nl = string.find(v, '\n', 1, true)
  if nl then busy[string.sub(v, 1, nl - 1)] = true end
end
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local ok, t = pcall(cjson.decode, all[i + 1])
  if ok and type(t) == 'table' and type(t.node) == 'string' and t.node ~= '' and
     type(t.sessionId) == 'string' and not busy[t.sessionId] then
    if t.node ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. t.node) == 0 then
      out[#out + 1] = all[i + 1]
    end
  end
end
return out
)lua";

// KEYS: open turns. ARGV: lease key prefix, node channel prefix, "\n<length>:<toolCallId>",
// payload. The turn whose tool in flight is that call (the needle right after the session id,
// at the value's first newline: an exact match), then as kRoute.
constexpr const char* kRouteTool = R"lua(
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local v = all[i + 1]
  local nl = string.find(v, '\n', 1, true)
  if nl and string.find(v, ARGV[3], nl, true) == nl then
    local owner = redis.call('GET', ARGV[1] .. all[i])
    if not owner then return -1 end
    return redis.call('PUBLISH', ARGV[2] .. owner, ARGV[4])
  end
end
return -1
)lua";

// KEYS: lease. ARGV: node, lease ms. 1 = renewed, 0 = not ours any more.
constexpr const char* kRenew = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua";

// KEYS: lease, open turns. ARGV: node, requestId, turn value. Only the holder updates it.
constexpr const char* kSetTool = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
)lua";

// KEYS: lease, open turns. ARGV: node, requestId.
constexpr const char* kRelease = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
)lua";

// KEYS: lease, open turns, queued turns. ARGV: requestId. The turn's value when its lease is
// gone; a turn claimed but never started (still queued) is only forgotten as open: it waits
// to be started again (kOrphanQueued), not closed.
constexpr const char* kOrphan = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return false
end
return redis.call('HGET', KEYS[2], ARGV[1])
)lua";

// KEYS: lease. ARGV: node channel prefix, payload. -1 = no holder, else receivers.
constexpr const char* kRoute = R"lua(
local owner = redis.call('GET', KEYS[1])
if not owner then return -1 end
return redis.call('PUBLISH', ARGV[1] .. owner, ARGV[2])
)lua";

std::vector<std::string> eval(const char* script, std::vector<std::string> keys,
                              std::vector<std::string> args) {
  std::vector<std::string> out{"EVAL", script, std::to_string(keys.size())};
  out.insert(out.end(), keys.begin(), keys.end());
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

std::string turnValue(const std::string& sessionId, const std::string& toolCallId,
                      const std::string& toolName) {
  return openTurnValue(sessionId, toolCallId, toolName);
}

struct TurnValue {
  std::string sessionId, toolCallId, toolName;
};

std::optional<TurnValue> parseTurnValue(const std::string& value) {
  auto nl = value.find('\n');
  if (nl == std::string::npos || nl == 0) return std::nullopt;
  auto colon = value.find(':', nl + 1);
  if (colon == std::string::npos || colon - nl - 1 > 4 || colon == nl + 1) return std::nullopt;
  std::size_t len = 0;
  for (std::size_t i = nl + 1; i < colon; ++i) {
    if (value[i] < '0' || value[i] > '9') return std::nullopt;
    len = len * 10 + static_cast<std::size_t>(value[i] - '0');
  }
  if (colon + 1 + len > value.size()) return std::nullopt;
  return TurnValue{value.substr(0, nl), value.substr(colon + 1, len), value.substr(colon + 1 + len)};
}

// The dedup id of a turn's close: longer than any client message id (64 bytes at most), so it
// can never be taken for one.
std::string closeMarkerId(const std::string& requestId) {
  std::string id = "turn-closed-after-its-lease-expired/" + requestId;
  if (id.size() <= proto::kMaxIdChars) id.append(proto::kMaxIdChars + 1 - id.size(), '/');
  return id;
}

}  // namespace

RedisTurnLeases::RedisTurnLeases(boost::asio::io_context& ioc, RedisClient& client,
                                 RedisClient& subscriber, RedisEventLog& log, std::string nodeId,
                                 int64_t leaseMs)
    : ioc_(ioc),
      client_(client),
      subscriber_(subscriber),
      log_(log),
      nodeId_(std::move(nodeId)),
      leaseMs_(std::max<int64_t>(30, leaseMs)),
      renewTimer_(ioc),
      sweepTimer_(ioc) {}

RedisTurnLeases::~RedisTurnLeases() {
  alive_.reset();
  stop();
}

void RedisTurnLeases::start() {
  if (running_) return;
  running_ = true;
  subscriber_.subscribe(log_.keys().nodeChannel(nodeId_),
                        [this](const std::string&, const std::string& payload) {
                          if (onRouted_) onRouted_(payload);
                        });
  client_.command({"SET", log_.keys().alive(nodeId_), "1", "PX", std::to_string(leaseMs_)},
                  [](RedisReply) {});
  sweep();  // at once: what a previous run of this node left is picked up without waiting
  every(renewTimer_, leaseMs_ / 3, &RedisTurnLeases::renewAll);
  every(sweepTimer_, leaseMs_ / 2, &RedisTurnLeases::sweep);
}

void RedisTurnLeases::stop() {
  running_ = false;
  renewTimer_.cancel();
  sweepTimer_.cancel();
}

void RedisTurnLeases::every(boost::asio::steady_timer& timer, int64_t ms,
                            void (RedisTurnLeases::*what)()) {
  timer.expires_after(std::chrono::milliseconds(ms));
  timer.async_wait([this, &timer, ms, what, alive = std::weak_ptr<bool>(alive_)](
                       const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    (this->*what)();
    every(timer, ms, what);
  });
}

void RedisTurnLeases::claim(const std::string& sessionId, const std::string& requestId,
                            std::function<void(bool)> done) {
  const RedisKeys& k = log_.keys();
  client_.command(eval(kClaim, {k.lease(requestId), k.openTurns()},
                       {nodeId_, std::to_string(leaseMs_), requestId, turnValue(sessionId, "", "")}),
                  [this, sessionId, requestId, done = std::move(done),
                   alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                    if (alive.expired()) return;
                    bool ok = r.type == RedisReply::Type::Integer && r.integer == 1;
                    if (ok) owned_[requestId] = sessionId;
                    done(ok);
                  });
}

void RedisTurnLeases::claimQueued(const std::string& sessionId, const std::string& requestId,
                                  std::function<void(Claim)> done) {
  const RedisKeys& k = log_.keys();
  client_.command(eval(kClaimQueued, {k.lease(requestId), k.openTurns(), k.queuedTurns()},
                       {nodeId_, std::to_string(leaseMs_), requestId, turnValue(sessionId, "", ""),
                        sessionId, k.lease("")}),
                  [this, sessionId, requestId, done = std::move(done),
                   alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                    if (alive.expired()) return;
                    // Redis away (Lost): busy, so it is tried again shortly.
                    Claim claim = Claim::Refused;
                    if (r.type != RedisReply::Type::Integer) claim = Claim::Busy;
                    if (r.type == RedisReply::Type::Integer && r.integer == 3) claim = Claim::Busy;
                    if (r.type == RedisReply::Type::Integer && r.integer == 1) claim = Claim::Run;
                    if (r.type == RedisReply::Type::Integer && r.integer == 2) claim = Claim::RunCancelled;
                    if (claim == Claim::Run || claim == Claim::RunCancelled) owned_[requestId] = sessionId;
                    done(claim);
                  });
}

void RedisTurnLeases::cancelAtOwner(const std::string& requestId, const std::string& payload,
                                    std::function<void(bool)> done) {
  const RedisKeys& k = log_.keys();
  client_.command(eval(kRouteCancel, {k.lease(requestId), k.queuedTurns()},
                       {k.nodeChannelPrefix(), payload, requestId}),
                  [done = std::move(done), alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                    if (alive.expired()) return;
                    done(r.type == RedisReply::Type::Integer && r.integer > 0);
                  });
}

void RedisTurnLeases::markCancelled(const std::string& requestId, std::function<void()> done) {
  client_.command(eval(kMarkCancelled, {log_.keys().queuedTurns()}, {requestId}),
                  [done = std::move(done), alive = std::weak_ptr<bool>(alive_)](RedisReply) {
                    if (!alive.expired()) done();
                  });
}

void RedisTurnLeases::drop(const std::string& requestId) {
  if (owned_.erase(requestId) == 0) return;
  client_.command(eval(kDrop, {log_.keys().lease(requestId)}, {nodeId_}), [](RedisReply) {});
}

void RedisTurnLeases::setTool(const std::string& requestId, const std::string& toolCallId,
                              const std::string& toolName) {
  auto it = owned_.find(requestId);
  if (it == owned_.end()) return;
  const RedisKeys& k = log_.keys();
  client_.command(eval(kSetTool, {k.lease(requestId), k.openTurns()},
                       {nodeId_, requestId, turnValue(it->second, toolCallId, toolName)}),
                  [](RedisReply) {});
}

void RedisTurnLeases::release(const std::string& requestId) {
  owned_.erase(requestId);
  const RedisKeys& k = log_.keys();
  client_.command(eval(kRelease, {k.lease(requestId), k.openTurns()}, {nodeId_, requestId}),
                  [](RedisReply) {});
}

void RedisTurnLeases::renewAll() {
  const RedisKeys& k = log_.keys();
  client_.command({"SET", k.alive(nodeId_), "1", "PX", std::to_string(leaseMs_)}, [](RedisReply) {});
  for (const auto& [requestId, sessionId] : owned_) {
    client_.command(eval(kRenew, {k.lease(requestId)}, {nodeId_, std::to_string(leaseMs_)}),
                    [this, requestId = requestId, alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                      if (alive.expired()) return;
                      // Lost = Redis away: keep the turn, the next renewal tries again.
                      if (r.type != RedisReply::Type::Integer || r.integer == 1) return;
                      if (owned_.erase(requestId) == 0) return;
                      logLine("turn " + requestId + ": lease lost (renewal refused)");
                      if (onLeaseLost_) onLeaseLost_(requestId);
                    });
  }
}

void RedisTurnLeases::sweepQueued() {
  const RedisKeys& k = log_.keys();
  client_.command(
      eval(kOrphanQueued, {k.queuedTurns(), k.openTurns()}, {k.alivePrefixKey(), nodeId_}),
      [this, alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
        if (alive.expired() || r.type != RedisReply::Type::Array || !onOrphanQueued_) return;
        // Each session's turns in the order they were echoed; not the ones this node runs.
        for (QueuedTurn& q : decodeQueuedTurns(r.elements))
          if (!owned_.count(q.requestId)) onOrphanQueued_(std::move(q));
      });
}

void RedisTurnLeases::sweep() {
  sweepQueued();
  const RedisKeys& k = log_.keys();
  client_.command({"HKEYS", k.openTurns()}, [this, alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
    if (alive.expired() || r.type != RedisReply::Type::Array) return;
    const RedisKeys& k = log_.keys();
    for (const auto& e : r.elements) {
      if (!e.isString() || owned_.count(e.str) != 0) continue;
      std::string requestId = e.str;
      client_.command(eval(kOrphan, {k.lease(requestId), k.openTurns(), k.queuedTurns()}, {requestId}),
                      [this, requestId, alive](RedisReply v) {
                        if (alive.expired() || v.type != RedisReply::Type::String) return;
                        closeOrphan(requestId, v.str);
                      });
    }
  });
}

void RedisTurnLeases::closeOrphan(const std::string& requestId, const std::string& value) {
  auto turn = parseTurnValue(value);
  if (!turn) return;  // not a value this code wrote
  const std::string& sessionId = turn->sessionId;
  const std::string& toolCallId = turn->toolCallId;
  const std::string& toolName = turn->toolName;
  const std::string why = "interrupted: the gateway node running this turn stopped";
  // The same events a restart writes for a turn it finds open (gateway_core.cpp).
  std::vector<proto::GatewayMessage> events;
  if (!toolCallId.empty()) {
    proto::ToolError toolError;
    toolError.requestId = requestId;
    toolError.toolCallId = toolCallId;
    toolError.toolName = toolName;
    toolError.error = why;
    events.push_back(std::move(toolError));
  }
  proto::ErrorEvent error;
  error.requestId = requestId;
  error.code = proto::code::kInternal;
  error.message = why;
  events.push_back(std::move(error));
  proto::StreamEnd end;
  end.requestId = requestId;
  end.stopReason = "error";
  events.push_back(std::move(end));
  // One dedup id per turn's close: closed once, however many nodes sweep at once.
  log_.append(sessionId, std::move(events), ProcessedRecord{closeMarkerId(requestId), "closed"},
              [this, sessionId, requestId, alive = std::weak_ptr<bool>(alive_)](RedisAppendResult r) {
                if (alive.expired()) return;
                if (r.status == RedisAppendResult::Status::Failed) return;  // the next sweep retries
                const RedisKeys& k = log_.keys();
                client_.command({"HDEL", k.openTurns(), requestId}, [](RedisReply) {});
                if (r.status == RedisAppendResult::Status::Appended) {
                  logLine("turn " + requestId + " of session " + sessionId +
                          ": closed (its node's lease expired)");
                  if (onClosedOrphan_) onClosedOrphan_(sessionId, requestId);
                }
              });
}

void RedisTurnLeases::sendToOwner(const std::string& requestId, const std::string& payload,
                                  std::function<void(bool)> done) {
  const RedisKeys& k = log_.keys();
  client_.command(eval(kRoute, {k.lease(requestId)}, {k.nodeChannelPrefix(), payload}),
                  [done = std::move(done), alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                    if (alive.expired()) return;
                    done(r.type == RedisReply::Type::Integer && r.integer > 0);
                  });
}

}  // namespace chat::gateway::redis

namespace chat::gateway::redis {

void RedisTurnLeases::sendToToolOwner(const std::string& toolCallId, const std::string& payload,
                                      std::function<void(bool)> done) {
  const RedisKeys& k = log_.keys();
  const std::string needle = "\n" + std::to_string(toolCallId.size()) + ":" + toolCallId;
  client_.command(eval(kRouteTool, {k.openTurns()},
                       {k.lease(""), k.nodeChannelPrefix(), needle, payload}),
                  [done = std::move(done), alive = std::weak_ptr<bool>(alive_)](RedisReply r) {
                    if (alive.expired()) return;
                    done(r.type == RedisReply::Type::Integer && r.integer > 0);
                  });
}

void RedisTurnLeases::sendToNode(const std::string& nodeId, const std::string& payload) {
  client_.command({"PUBLISH", log_.keys().nodeChannel(nodeId), payload}, [](RedisReply) {});
}

}  // namespace chat::gateway::redis
