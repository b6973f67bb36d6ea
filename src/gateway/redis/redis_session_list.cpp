#include "gateway/redis/redis_session_list.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/asio/post.hpp>

#include "core/protocol/codec.h"
#include "gateway/event_store.h"
#include "gateway/redis/redis_session_text.h"
#include "gateway/util.h"

namespace chat::gateway::redis {

namespace {

// KEYS[1] sessions by change. ARGV[1] after, [2] limit, [3] head prefix. Per change: id,
// number, title, createdAt, updatedAt, seq, archived, kind, deleted.
constexpr const char* kChangesScript = R"lua(
local r = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #r, 2 do
  local h = redis.call('HMGET', ARGV[3] .. r[i], 'title', 'createdAt', 'updatedAt', 'seq', 'archived', 'change', 'deleted')
  out[#out + 1] = r[i]
  out[#out + 1] = r[i + 1]
  for j = 1, 7 do out[#out + 1] = h[j] or '' end
end
return out
)lua";

// KEYS[1] sessions by update, [2] the change counter. ARGV[1] head prefix, [2] rows wanted,
// [3] include archived ('1'), [4] cursor's updatedAt ('' = first page), [5] cursor's id.
// Returns the counter, then per row: id, title, createdAt, updatedAt, seq, archived.
constexpr const char* kPageScript = R"lua(
local out = {redis.call('GET', KEYS[2]) or '0'}
local want = tonumber(ARGV[2])
local max = '+inf'
local stamp = nil
if ARGV[4] ~= '' then max = ARGV[4]; stamp = tonumber(ARGV[4]) end
local offset, got = 0, 0
while got < want do
  local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', offset, 200)
  if #ids == 0 then break end
  offset = offset + #ids / 2
  for i = 1, #ids, 2 do
    local id = ids[i]
    if not (stamp and tonumber(ids[i + 1]) == stamp and id >= ARGV[5]) then
      local h = redis.call('HMGET', ARGV[1] .. id, 'title', 'createdAt', 'updatedAt', 'seq', 'archived')
      if ARGV[3] == '1' or h[5] ~= '1' then
        out[#out + 1] = id
        for j = 1, 5 do out[#out + 1] = h[j] or '' end
        got = got + 1
        if got >= want then break end
      end
    end
  end
end
return out
)lua";

// KEYS[1] sessions by update. ARGV[1] head prefix, [2] the query lower-cased, [3] limit.
// Per hit: id, title, archived.
constexpr const char* kTitleScript = R"lua(
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'title', 'archived')
  if h[1] and string.find(string.lower(h[1]), ARGV[2], 1, true) then
    out[#out + 1] = id
    out[#out + 1] = h[1]
    out[#out + 1] = h[2] or '0'
    if #out >= 3 * tonumber(ARGV[3]) then break end
  end
end
return out
)lua";

// KEYS[1] sessions by update. ARGV[1] head prefix, [2] text prefix, [3] offset, [4] count,
// [5...] the words (lower-cased). Returns the sessions read, then per session with hits: id,
// title, archived, hit count, then field/value per hit (the message text contains every word).
constexpr const char* kTextScript = R"lua(
local from = tonumber(ARGV[3])
local ids = redis.call('ZREVRANGE', KEYS[1], from, from + tonumber(ARGV[4]) - 1)
local out = {#ids}
for _, id in ipairs(ids) do
  local kv = redis.call('HGETALL', ARGV[2] .. id)
  local hits = {}
  for i = 1, #kv, 2 do
    local f, v = kv[i], kv[i + 1]
    local a = string.find(v, '\n', 1, true)
    local b = a and string.find(v, '\n', a + 1, true)
    if string.sub(f, 1, 2) ~= 'r:' and b then
      local low = string.lower(string.sub(v, b + 1))
      local all = true
      for w = 5, #ARGV do
        if not string.find(low, ARGV[w], 1, true) then all = false; break end
      end
      if all then hits[#hits + 1] = f; hits[#hits + 1] = v end
    end
  end
  if #hits > 0 then
    local h = redis.call('HMGET', ARGV[1] .. id, 'title', 'archived')
    out[#out + 1] = id
    out[#out + 1] = h[1] or ''
    out[#out + 1] = h[2] or '0'
    out[#out + 1] = tostring(#hits / 2)
    for i = 1, #hits do out[#out + 1] = hits[i] end
  end
end
return out
)lua";

// The change every write below ends with: the session's next change number and its kind.
// KEYS as each script says; `bump(kind)` uses KEYS[3] counter, KEYS[4] changed, KEYS[1] head,
// ARGV[1] session, ARGV[2] list channel.
#define CHAT_REDIS_BUMP                                      \
  "local function bump(kind)\n"                              \
  "  redis.call('HSET', KEYS[1], 'change', kind)\n"          \
  "  local c = redis.call('INCR', KEYS[3])\n"                \
  "  redis.call('ZADD', KEYS[4], c, ARGV[1])\n"              \
  "  redis.call('PUBLISH', ARGV[2], c)\n"                    \
  "end\n"                                                    \
  "if redis.call('HEXISTS', KEYS[1], 'seq') == 0 then return 0 end\n"

// KEYS[1] head, [2] sessions by update, [3] counter, [4] changed. ARGV[1] session, [2] list
// channel, [3] title, [4] now. updatedAt moves forward only (as in SQLite).
constexpr const char* kRenameScript = CHAT_REDIS_BUMP R"lua(
local updated = tonumber(redis.call('HGET', KEYS[1], 'updatedAt') or '0')
if tonumber(ARGV[4]) > updated then updated = tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], 'title', ARGV[3], 'updatedAt', string.format('%d', updated))
redis.call('ZADD', KEYS[2], updated, ARGV[1])
bump('retitled')
return 1
)lua";

// KEYS[1] head, [2] unused, [3] counter, [4] changed. ARGV[1] session, [2] list channel,
// [3] '1' archive / '0' unarchive. Archiving does not move a chat in the list: it leaves it.
constexpr const char* kArchiveScript = CHAT_REDIS_BUMP R"lua(
redis.call('HSET', KEYS[1], 'archived', ARGV[3])
if ARGV[3] == '1' then bump('archived') else bump('unarchived') end
return 1
)lua";

// KEYS[1] head, [2] sessions by update, [3] counter, [4] changed, [5] log, [6] search text,
// [7] grants, [8] waiting turns (hash of JSON), [9] open turns (hash of "session\n...").
// ARGV[1] session, [2] list channel, [3] the reply-text key prefix of the session.
constexpr const char* kRemoveScript = CHAT_REDIS_BUMP R"lua(
local text = redis.call('HGETALL', KEYS[6])
for i = 1, #text, 2 do
  if string.sub(text[i], 1, 2) == 'r:' then redis.call('DEL', ARGV[3] .. string.sub(text[i], 3)) end
end
redis.call('DEL', KEYS[5], KEYS[6], KEYS[7], KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local queued = redis.call('HGETALL', KEYS[8])
for i = 1, #queued, 2 do
  if string.find(queued[i + 1], '"sessionId":"' .. ARGV[1] .. '"', 1, true) then
    redis.call('HDEL', KEYS[8], queued[i])
  end
end
local open = redis.call('HGETALL', KEYS[9])
for i = 1, #open, 2 do
  if string.sub(open[i + 1], 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '\n' then
    redis.call('HDEL', KEYS[9], open[i])
  end
end
redis.call('HSET', KEYS[1], 'deleted', '1')
bump('deleted')
return 1
)lua";

constexpr std::size_t kTextChunk = 50;      // sessions per search script
constexpr std::size_t kLogPage = 200;       // events per XREVRANGE of lastUserMessage

const std::string& str(const RedisReply& r, std::size_t i) {
  static const std::string empty;
  return i < r.elements.size() ? r.elements[i].str : empty;
}

std::string trimmed(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string lowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

RedisReply expectArray(RedisReply r, const char* what) {
  if (r.type != RedisReply::Type::Array) throw EventLogError(std::string("Redis: ") + what + ": unexpected answer");
  return r;
}

}  // namespace

RedisSessionList::RedisSessionList(boost::asio::io_context& ioc, RedisBlocking& redis,
                                   const RedisEndpoint& endpoint, RedisKeys keys,
                                   RedisClientOptions subscriberOptions)
    : redis_(redis),
      keys_(std::move(keys)),
      subscriber_(ioc, endpoint, [&] {
        subscriberOptions.name = "redis list feed";
        return subscriberOptions;
      }()),
      changesScript_(kChangesScript),
      pageScript_(kPageScript),
      titleScript_(kTitleScript),
      textScript_(kTextScript),
      renameScript_(kRenameScript),
      archiveScript_(kArchiveScript),
      removeScript_(kRemoveScript) {
  subscriber_.subscribe(keys_.listChannel(), [this](const std::string&, const std::string&) { heard(); });
  // After every (re)connect: whatever changed while this node was not listening.
  subscriber_.onReady([this] { heard(); });
  subscriber_.start();
}

// The subscriber's own destructor frees its connection (stop() would leave hiredis to free it
// later on the io_context, which may not run again).
RedisSessionList::~RedisSessionList() = default;

void RedisSessionList::heard() {
  changed_ = true;
  if (onChange_) onChange_();
}

int64_t RedisSessionList::lastChange() {
  RedisReply r = redis_.call({"GET", keys_.changeCounter()});
  if (r.type == RedisReply::Type::Nil) return 0;
  auto v = decimalOf(r.str);
  if (!v) throw EventLogError("Redis: the change counter is not a number");
  return *v;
}

std::vector<SessionChange> RedisSessionList::changesAfter(int64_t afterChange, std::size_t limit) {
  RedisReply r = expectArray(
      redis_.eval(changesScript_,
                  {keys_.sessionsByChange(), std::to_string(afterChange),
                   std::to_string(std::max<std::size_t>(limit, 1)), keys_.head("")},
                  1),
      "the session changes");
  std::vector<SessionChange> out;
  for (std::size_t i = 0; i + 9 <= r.elements.size(); i += 9) {
    SessionChange change;
    change.changeSeq = decimalOf(str(r, i + 1)).value_or(0);
    change.session.sessionId = str(r, i);
    const std::string& kind = str(r, i + 7);
    const bool gone = str(r, i + 8) == "1" || str(r, i + 5).empty();
    if (gone) {
      change.change = "deleted";
    } else {
      change.change = kind.empty() ? "updated" : kind;
      change.session.title = str(r, i + 2);
      change.session.createdAt = decimalOf(str(r, i + 3)).value_or(0);
      change.session.updatedAt = decimalOf(str(r, i + 4)).value_or(0);
      change.session.lastSeq = decimalOf(str(r, i + 5)).value_or(0);
      change.session.archived = str(r, i + 6) == "1";
    }
    out.push_back(std::move(change));
  }
  return out;
}

SessionPage RedisSessionList::listPage(const std::optional<std::string>& cursor, std::size_t limit,
                                       bool includeArchived) {
  limit = std::max<std::size_t>(1, std::min(limit, kMaxPage));
  std::string stamp, after;
  if (cursor) {
    auto colon = cursor->find(':');
    stamp = cursor->substr(0, colon);
    if (colon == std::string::npos || !decimalOf(stamp) || !isValidSessionId(cursor->substr(colon + 1)))
      throw std::invalid_argument("cursor: not one this gateway made");
    after = cursor->substr(colon + 1);
  }
  RedisReply r = expectArray(
      redis_.eval(pageScript_,
                  {keys_.sessionsByUpdate(), keys_.changeCounter(), keys_.head(""),
                   std::to_string(limit + 1), includeArchived ? "1" : "0", stamp, after},
                  2),
      "the session list");
  SessionPage page;
  page.lastChange = decimalOf(str(r, 0)).value_or(0);
  for (std::size_t i = 1; i + 6 <= r.elements.size(); i += 6) {
    proto::SessionInfo info;
    info.sessionId = str(r, i);
    info.title = str(r, i + 1);
    info.createdAt = decimalOf(str(r, i + 2)).value_or(0);
    info.updatedAt = decimalOf(str(r, i + 3)).value_or(0);
    info.lastSeq = decimalOf(str(r, i + 4)).value_or(0);
    info.archived = str(r, i + 5) == "1";
    page.sessions.push_back(std::move(info));
  }
  if (page.sessions.size() > limit) {  // one more than asked: there is a next page
    page.sessions.pop_back();
    const auto& last = page.sessions.back();
    page.nextCursor = std::to_string(last.updatedAt) + ":" + last.sessionId;
  }
  return page;
}

bool RedisSessionList::isDeleted(const std::string& sessionId) {
  RedisReply r = redis_.call({"HGET", keys_.head(sessionId), "deleted"});
  return r.isString() && r.str == "1";
}

std::optional<LastUserMessage> RedisSessionList::lastUserMessage(const std::string& sessionId) {
  // Walks the log from its end, as the SQLite catalog's query does.
  std::optional<LastUserMessage> message;
  std::optional<std::string> model;
  std::string end = "+";
  while (!message || !model) {
    RedisReply r = expectArray(
        redis_.call({"XREVRANGE", keys_.log(sessionId), end, "-", "COUNT", std::to_string(kLogPage)}),
        "the session's log");
    for (const auto& entry : r.elements) {
      if (entry.elements.size() < 2 || entry.elements[1].elements.size() < 2) continue;
      end = "(" + entry.elements[0].str;
      auto decoded = proto::decodeGatewayMessage(std::string_view(entry.elements[1].elements[1].str));
      if (!decoded) continue;
      if (const auto* m = std::get_if<proto::ChatMessageEvent>(&decoded.value())) {
        if (!message && m->role == "user") message = LastUserMessage{m->messageId, m->content, ""};
      } else if (const auto* s = std::get_if<proto::StreamStart>(&decoded.value())) {
        if (!model) model = s->model;
      }
      if (message && model) break;
    }
    if (r.elements.size() < kLogPage) break;
  }
  if (message && model) message->model = *model;
  return message;
}

std::vector<SearchHit> RedisSessionList::searchTitles(const std::string& query, std::size_t limit) {
  RedisReply r = expectArray(redis_.eval(titleScript_,
                                         {keys_.sessionsByUpdate(), keys_.head(""),
                                          lowerAscii(query), std::to_string(limit)},
                                         1),
                             "the titles");
  std::vector<SearchHit> out;
  for (std::size_t i = 0; i + 3 <= r.elements.size() && out.size() < limit; i += 3) {
    SearchHit hit;
    hit.sessionId = str(r, i);
    hit.title = str(r, i + 1);
    hit.archived = str(r, i + 2) == "1";
    hit.match = "title";
    out.push_back(std::move(hit));
  }
  return out;
}

std::vector<SearchHit> RedisSessionList::search(const std::string& query, std::size_t limit) {
  limit = std::max<std::size_t>(1, std::min(limit, kMaxPage));
  const std::string typed = trimmed(query);
  if (typed.empty()) return {};
  std::vector<SearchHit> out = searchTitles(typed, limit);
  const std::vector<std::string> words = searchWords(typed);
  if (words.empty()) return out;
  for (std::size_t offset = 0; out.size() < limit; offset += kTextChunk) {
    std::vector<std::string> args{keys_.sessionsByUpdate(), keys_.head(""), keys_.sessionText(""),
                                  std::to_string(offset), std::to_string(kTextChunk)};
    args.insert(args.end(), words.begin(), words.end());
    RedisReply r = expectArray(redis_.eval(textScript_, args, 1), "the search text");
    if (r.elements.empty()) break;
    const int64_t read = r.elements[0].integer;
    std::size_t i = 1;
    while (i + 4 <= r.elements.size() && out.size() < limit) {
      const std::string& sid = str(r, i);
      const std::string& title = str(r, i + 1);
      const bool archived = str(r, i + 2) == "1";
      const std::size_t hits = static_cast<std::size_t>(decimalOf(str(r, i + 3)).value_or(0));
      i += 4;
      std::vector<SessionTextEntry> entries;
      for (std::size_t h = 0; h < hits && i + 2 <= r.elements.size(); ++h, i += 2) {
        SessionTextEntry e;
        if (parseSessionText(str(r, i), str(r, i + 1), &e)) entries.push_back(std::move(e));
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.seq > b.seq; });  // newest first
      for (auto& e : entries) {
        if (out.size() >= limit) break;
        SearchHit hit;
        hit.sessionId = sid;
        hit.title = title;
        hit.archived = archived;
        hit.match = "message";
        hit.seq = e.seq;
        hit.messageId = e.messageId;
        hit.role = e.role;
        hit.snippet = snippetOf(e.text, words);
        out.push_back(std::move(hit));
      }
    }
    if (read < static_cast<int64_t>(kTextChunk)) break;
  }
  return out;
}

bool RedisSessionList::rename(const std::string& sessionId, const std::string& title, int64_t nowMs) {
  RedisReply r = redis_.eval(renameScript_,
                             {keys_.head(sessionId), keys_.sessionsByUpdate(), keys_.changeCounter(),
                              keys_.sessionsByChange(), sessionId, keys_.listChannel(),
                              truncateUtf8(title, kMaxTitleChars), std::to_string(nowMs)},
                             4);
  const bool done = r.type == RedisReply::Type::Integer && r.integer == 1;
  if (done) changed_ = true;
  return done;
}

bool RedisSessionList::setArchived(const std::string& sessionId, bool archived, int64_t nowMs) {
  (void)nowMs;  // archiving does not move a chat in the list: it leaves it
  RedisReply r = redis_.eval(archiveScript_,
                             {keys_.head(sessionId), keys_.sessionsByUpdate(), keys_.changeCounter(),
                              keys_.sessionsByChange(), sessionId, keys_.listChannel(),
                              archived ? "1" : "0"},
                             4);
  const bool done = r.type == RedisReply::Type::Integer && r.integer == 1;
  if (done) changed_ = true;
  return done;
}

bool RedisSessionList::remove(const std::string& sessionId) {
  RedisReply r = redis_.eval(removeScript_,
                             {keys_.head(sessionId), keys_.sessionsByUpdate(), keys_.changeCounter(),
                              keys_.sessionsByChange(), keys_.log(sessionId),
                              keys_.sessionText(sessionId), keys_.grants(sessionId),
                              keys_.queuedTurns(), keys_.openTurns(), sessionId,
                              keys_.listChannel(), keys_.replyText(sessionId, "")},
                             9);
  const bool done = r.type == RedisReply::Type::Integer && r.integer == 1;
  if (done) changed_ = true;
  return done;
}

}  // namespace chat::gateway::redis
