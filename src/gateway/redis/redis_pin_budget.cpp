#include "gateway/redis/redis_pin_budget.h"

#include "gateway/event_store.h"

namespace chat::gateway::redis {

namespace {

// KEYS[1] the throttle key's hash, [2] the global hash. ARGV[1] op: check | global | fail | ok;
// [2] max attempts, [3] lockout ms, [4] global max failures, [5] max lockout ms.
// fail returns, per lockout it started: 'a' (the address) or 'g' (global), its ms, the
// failures counted, the lockouts so far. PinAttemptLimiter::recordFailure, on Redis's clock.
constexpr const char* kBudgetScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lockoutMs, maxLockout = tonumber(ARGV[3]), tonumber(ARGV[5])
local function backoff(n)
  local ms = lockoutMs
  for i = 1, n do
    if ms >= maxLockout then break end
    ms = ms * 2
  end
  if ms > maxLockout then ms = maxLockout end
  return ms
end
local function get(k)
  local h = redis.call('HMGET', k, 'failures', 'lockouts', 'until')
  return tonumber(h[1] or '0'), tonumber(h[2] or '0'), tonumber(h[3] or '0')
end
local op = ARGV[1]
if op == 'check' or op == 'global' then
  local _, _, u = get(op == 'check' and KEYS[1] or KEYS[2])
  if now < u then return 1 end
  return 0
end
if op == 'ok' then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'failures', 0) end
  return 0
end
local out = {}
local f, l, u = get(KEYS[1])
if u ~= 0 and now >= u then f = 0; u = 0 end
f = f + 1
if f >= tonumber(ARGV[2]) and u == 0 then
  local ms = backoff(l)
  l = l + 1
  u = now + ms
  out[#out + 1] = 'a'; out[#out + 1] = ms; out[#out + 1] = f; out[#out + 1] = l
end
redis.call('HSET', KEYS[1], 'failures', f, 'lockouts', l, 'until', u)
local left = u - now
if left < 0 then left = 0 end
redis.call('PEXPIRE', KEYS[1], left + backoff(l) + lockoutMs)
local gf, gl, gu = get(KEYS[2])
if gu ~= 0 and now >= gu then
  if now - gu > backoff(gl) then gl = 0 end
  gu = 0
  gf = 0
end
gf = gf + 1
if gf >= tonumber(ARGV[4]) and gu == 0 then
  local ms = backoff(gl)
  gl = gl + 1
  gu = now + ms
  out[#out + 1] = 'g'; out[#out + 1] = ms; out[#out + 1] = gf; out[#out + 1] = gl
end
redis.call('HSET', KEYS[2], 'failures', gf, 'lockouts', gl, 'until', gu)
return out
)lua";

}  // namespace

RedisPinBudget::RedisPinBudget(std::shared_ptr<RedisBlocking> redis, RedisKeys keys)
    : redis_(redis), keys_(std::move(keys)), script_(kBudgetScript) {}

RedisReply RedisPinBudget::run(const char* op, const std::string& throttleKey, const AttemptRules& rules,
                               bool idempotent) {
  return redis_->eval(script_,
                     {keys_.pinBudget(throttleKey), keys_.pinBudgetGlobal(), op,
                      std::to_string(rules.maxAttempts), std::to_string(rules.lockoutMs),
                      std::to_string(rules.globalMaxFailures), std::to_string(rules.maxLockoutMs)},
                     2, idempotent);
}

bool RedisPinBudget::lockedOut(const std::string& throttleKey, const AttemptRules& rules) {
  return run("check", throttleKey, rules, true).integer == 1;
}

bool RedisPinBudget::globallyLockedOut(const AttemptRules& rules) {
  return run("global", "", rules, true).integer == 1;
}

std::vector<std::string> RedisPinBudget::recordFailure(const std::string& throttleKey,
                                                       const AttemptRules& rules) {
  // Not retried when lost in flight: a failure counted twice would lock out early.
  RedisReply r = run("fail", throttleKey, rules, false);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i + 4 <= r.elements.size(); i += 4) {
    const int64_t seconds = r.elements[i + 1].integer / 1000;
    const std::string failures = std::to_string(r.elements[i + 2].integer);
    const std::string lockouts = std::to_string(r.elements[i + 3].integer);
    if (r.elements[i].str == "a")
      lines.push_back("auth: " + throttleKey + " locked out for " + std::to_string(seconds) +
                      " s after " + failures + " wrong PINs or tokens on all nodes (lockout " +
                      lockouts + ")");
    else
      lines.push_back("auth: every PIN login locked for " + std::to_string(seconds) + " s after " +
                      failures + " wrong PINs or tokens from all addresses and nodes (lockout " +
                      lockouts + ")");
  }
  return lines;
}

void RedisPinBudget::recordSuccess(const std::string& throttleKey) {
  run("ok", throttleKey, AttemptRules{}, true);
}

}  // namespace chat::gateway::redis
