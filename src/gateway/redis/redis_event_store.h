// The event log on Redis for the gateway's commit path (event_store.h, the interface the SQLite
// EventLog also implements): the synchronous calls the commit worker and the replay make,
// served by a Redis connection on a thread of its own (safe from any thread, one at a time
// each: calls are handed to that thread and waited for).
//
// appendBatchConsuming runs ONE Lua script per batch (all its appends, any sessions):
//   1. the batch's token already recorded -> the batch was applied by an attempt whose answer
//      was lost: answered with the seqs it got;
//   2. any append whose client message id was applied (by any node), or whose frames were
//      numbered after a seq that is not its session's last -> nothing is written; the answer
//      says which, the batch is renumbered (applied ids dropped) and sent again;
//   3. else every append: XADD its frames at "<seq>-0", move the head, drop the queued turns
//      its chat.stream.start begins, record its queued turn and its message id, PUBLISH it;
//      then the token.
// So a batch is all-or-nothing and applied once, and seqs are dense and never shared, with
// any number of nodes. An append with `announceNewSession` gets session.created first when
// its session had no event yet.
//
// Retries: while Redis is away the batch is sent again (same token) until `retryForMs`;
// past that EventLogError is thrown. Unlike SQLite a throw does not prove "no trace": an
// attempt whose answer was lost may have been applied (a later batch sees its seqs).
//
// The same script keeps what the SQLite log keeps in the append's transaction: the session
// list (head, `sessions`, the changes feed, published on the list channel), the search text
// (redis_session_text.h) and the tools approved for the session; appends to a deleted session
// are dropped. Rename/archive/delete and the reads are redis_session_list.h's.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "gateway/event_log.h"
#include "gateway/event_store.h"
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/redis/redis_script.h"
#include "gateway/redis/redis_url.h"
#include "gateway/tool_grants.h"

namespace chat::gateway::redis {

struct RedisEventStoreOptions {
  std::string nodeId = "node";
  // This process among the runs of the nodes: recorded with each queued turn, so another node
  // (or this node's next run) starts it when this process is gone (redis_turn_leases.h).
  // "" = nodeId.
  std::string runId;
  RedisKeys keys;
  RedisClientOptions client;
  int64_t retryForMs = 10000;
  int64_t retryDelayMs = 50;
  int64_t messageIdTtlSec = 7 * 24 * 3600;
  int64_t batchTokenTtlSec = 3600;
};

class RedisEventStore : public EventStore {
 public:
  // Connects in the background (calls wait for it, up to retryForMs).
  RedisEventStore(RedisEndpoint endpoint, RedisEventStoreOptions options = {});
  ~RedisEventStore() override;
  RedisEventStore(const RedisEventStore&) = delete;
  RedisEventStore& operator=(const RedisEventStore&) = delete;

  // The appends of `batch`, in order, as one script (above). Each request's events are taken;
  // returns the stored frames of each append (none for an append whose message id another
  // copy applied already: see appliedElsewhere()). Throws EventLogError.
  std::vector<std::vector<LoggedEvent>> appendBatchConsuming(std::vector<AppendRequest>& batch,
                                                             int64_t nowMs) override;
  // Events with seq > afterSeq, oldest first, at most `limit`. Throws EventLogError.
  std::vector<LoggedEvent> eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                       std::size_t limit) override;
  int64_t lastSeq(const std::string& sessionId) override;  // 0 for an unknown session; throws
  // The reply recorded with a client message id applied by any node (`mid:`); throws.
  std::optional<std::string> processedReply(const std::string& messageId) override;
  // The turns waiting to start (recorded with their chat.send), oldest echo first per session.
  std::vector<QueuedTurn> queuedTurns();

  // The session list every node shares, kept by the append script: sessions by last update
  // (newest first, at most `limit`) with their title (the first user message's first 60
  // characters), created/updated times and last seq.
  std::vector<proto::SessionInfo> listSessions(std::size_t limit);
  // The push feed: a counter bumped by every append; each session carries the number of its
  // latest change (a newer change replaces its older one, as in the SQLite catalog's feed).
  int64_t lastChange();
  // Sessions whose latest change is after `afterChange`: (change number, session id), oldest first.
  std::vector<std::pair<int64_t, std::string>> sessionsChangedAfter(int64_t afterChange,
                                                                    std::size_t limit);

  // Of the last appendBatchConsuming: the indexes of appends skipped because their message id
  // had been applied already (by any node), with the stored reply.
  const std::vector<std::pair<std::size_t, std::string>>& appliedElsewhere() const {
    return appliedElsewhere_;
  }

 private:
  struct Batch;
  template <class T, class Start>
  T onThread(Start start);  // runs start(promise-setter) on the Redis thread and waits
  void attempt(std::shared_ptr<Batch> b);

  RedisEventStoreOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisEventLog> reader_;
  RedisScript script_;
  std::unordered_map<std::string, int64_t> lastSeqSeen_;  // Redis thread only
  std::vector<std::pair<std::size_t, std::string>> appliedElsewhere_;
  uint64_t nextToken_ = 1;
  std::string tokenPrefix_;
  std::mutex approvalsMutex_;
  PendingApprovals approvals_;  // "Approve for session": the tool of each pending approval
  std::thread thread_;
};

}  // namespace chat::gateway::redis
