// The event log on Redis (--redis): one Stream per session, appended by one Lua script that
// in a single atomic step
//   - answers a retried append (same append token) with the seqs it already got,
//   - answers a client message id already applied (by any node) with its stored reply,
//   - checks the session's last seq is the one the frames were numbered for,
//   - XADDs the frames at ids "<seq>-0", moves the head, records the token and the message id,
//   - PUBLISHes the batch on the events channel.
// So two nodes never give one seq twice or publish out of order, and an append retried after
// a lost reply is applied once.
//
// The frames are numbered here, before the script runs (the frames must carry their seq, and
// Lua would have to re-encode JSON to stamp it): each node remembers the last seq it saw per
// session; when another node appended meanwhile the script answers "conflict" with the real
// last seq and the batch is numbered again and resent (one extra round trip, only when two
// nodes append to one session at the same moment). A node has one append per session in
// flight (the next waits for its answer), so its own appends keep their order; appends to
// different sessions are pipelined.
//
// Published payload: "<sessionId length>:<sessionId><first seq>\n<frame>\n<frame>..." (frames
// are JSON text, which never holds a raw newline).
//
// Single-threaded (the io_context's thread); answers through callbacks.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/protocol/messages.h"
#include "gateway/event_log.h"  // LoggedEvent, ProcessedRecord
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/redis/redis_script.h"

namespace chat::gateway::redis {

struct RedisAppendResult {
  enum class Status {
    Appended,        // `events` are the stored frames with their seqs
    AlreadyApplied,  // the message id was applied before (on any node): `reply` is its answer
    Failed,          // Redis stayed unreachable past the retry deadline (`error`); not applied
  };
  Status status = Status::Failed;
  std::vector<LoggedEvent> events;
  std::string reply;
  std::string error;
};

struct RedisReadResult {
  bool ok = false;
  std::vector<LoggedEvent> events;
  std::string error;
};

// A published batch, decoded.
struct PublishedBatch {
  std::string sessionId;
  std::vector<LoggedEvent> events;
};
// Decodes a payload of the events channel; nullopt when it is malformed.
std::optional<PublishedBatch> decodePublishedBatch(const std::string& payload);

struct RedisEventLogOptions {
  int64_t retryForMs = 10000;        // an append or read is retried this long while Redis is away
  int64_t retryDelayMs = 50;
  int64_t messageIdTtlSec = 7 * 24 * 3600;  // like the SQLite log's processed retention
  int64_t appendTokenTtlSec = 3600;
};

class RedisEventLog {
 public:
  RedisEventLog(boost::asio::io_context& ioc, RedisClient& client, std::string nodeId,
                RedisKeys keys = {}, RedisEventLogOptions options = {});

  // Appends `events` (typed session events, sessionId/seq unset) to the session with the
  // optional processed record, as described above. `done` is called exactly once.
  void append(const std::string& sessionId, std::vector<proto::GatewayMessage> events,
              std::optional<ProcessedRecord> processed,
              std::function<void(RedisAppendResult)> done);

  // Events with seq > afterSeq, oldest first, at most `limit`.
  void eventsAfter(const std::string& sessionId, int64_t afterSeq, std::size_t limit,
                   std::function<void(RedisReadResult)> done);
  // The session's last seq (0 when unknown); nullopt when Redis cannot be reached.
  void lastSeq(const std::string& sessionId, std::function<void(std::optional<int64_t>)> done);
  // The stored reply of an already applied client message id (nullopt: not applied).
  void processedReply(const std::string& messageId,
                      std::function<void(bool ok, std::optional<std::string>)> done);

  const RedisKeys& keys() const { return keys_; }

  // What the appends went through so far (tests and the benchmark read them).
  struct Stats {
    uint64_t appended = 0;     // appends applied (each once)
    uint64_t conflicts = 0;    // renumbered because another node appended first
    uint64_t retries = 0;      // sent again after a lost answer or while Redis was away
    uint64_t duplicates = 0;   // a retry found its first attempt applied (answer was lost)
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Append;  // one append in progress (its events, token, attempts)
  void startNext(const std::string& sessionId);
  void attempt(std::shared_ptr<Append> a);
  void finish(const std::shared_ptr<Append>& a, RedisAppendResult result);
  void runScript(std::vector<std::string> keysAndArgs, std::size_t keyCount,
                 RedisClient::Callback done);
  void retryLater(std::shared_ptr<Append> a, const std::string& why);

  boost::asio::io_context& ioc_;
  RedisClient& client_;
  std::string nodeId_;
  RedisKeys keys_;
  RedisEventLogOptions options_;
  RedisScript script_;  // the append script
  uint64_t nextToken_ = 1;
  std::unordered_map<std::string, int64_t> lastSeqSeen_;
  // Per session, this node's appends in order; the front one is in flight.
  std::unordered_map<std::string, std::deque<std::shared_ptr<Append>>> waiting_;
  Stats stats_;  // numbering guesses per session
};

}  // namespace chat::gateway::redis
