// Group commit: the one place where session events go "pending -> committed -> sent".
//
// Appends queued during one io_context turn (every demo step that fell due together, the
// events a client message caused) are written by ONE SQLite transaction, and only after that
// transaction has committed are their events handed to the Hub (WebSocket subscribers, long
// polls). So a SIGKILL can lose events nobody has seen, never an event a client holds, and
// 1,000 streams cost one commit per turn of the loop instead of one per delta.
//
// enqueue() posts a flush to the io_context the first time something is queued; the flush runs
// after the handlers already waiting, so everything they queue joins the same transaction
// (1,000 chat.sends arriving together: one commit for their echoes, one for their starts).
// A client message is answered from its append's onCommitted, so an ack never precedes the
// commit of what it acknowledges either. flush()/commitNow() commit at once (startup,
// shutdown, tests), taking everything queued so far along, in order.
//
// After a commit: first every onCommitted (answers to the senders, in queue order), then the
// events go to the Hub. So a sender reads its ack before the events it caused.
//
// Seq numbers are given at commit time inside the transaction, so they stay dense and per
// session whatever the grouping. A failed commit leaves no trace (rollback): the owners of the
// appends are told through their onFailed.
//
// Off the network thread (commitOffThread(), what the server uses): the transaction runs on a
// CommitWorker thread while the network thread goes on (sends what the previous commit made
// known, runs the demo turns, reads clients); what is queued meanwhile forms the next batch,
// started as soon as the one in progress is done and made known. Still committed before
// anything is answered or sent: onCommitted and the Hub run on the network thread once the
// worker is done. When too much is queued behind a commit (kHighWater appends), the network
// thread waits for it: the log sets the pace, the queue stays bounded.
// Everything here runs on the network thread, like the rest of the gateway.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "gateway/commit_worker.h"
#include "gateway/event_fanout.h"
#include "gateway/event_store.h"

namespace chat::gateway {

class CommitQueue {
 public:
  using Clock = std::function<int64_t()>;  // wall-clock ms stored as updated_at

  CommitQueue(boost::asio::io_context& ioc, EventStore& log, EventFanout& hub, Clock now);
  // Commits what is still queued (nothing is sent any more at that point).
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  using Committed = std::function<void(const std::vector<LoggedEvent>& stored)>;

  // Queues an append for the next commit. `onCommitted` runs once the transaction holding it
  // has committed (before its events are published). `onFailed` runs when that transaction
  // fails: its events were neither stored nor sent. Either may queue more appends (they go
  // into the next transaction).
  void enqueue(AppendRequest request, std::function<void()> onFailed = {},
               Committed onCommitted = {});

  // Commits everything queued in one transaction, then runs the onCommitted handlers and
  // publishes each append's events, in queue order. When the commit fails: runs every
  // onFailed, then throws EventLogError.
  void flush();

  // Queues `request` behind what is pending and flushes: returns its stored events once they
  // are committed and published. Throws EventLogError when the commit fails.
  std::vector<LoggedEvent> commitNow(AppendRequest request);

  // Commits on a worker thread from now on (see above). Before the first enqueue of the run.
  void commitOffThread();

  // Appends queued or being committed.
  std::size_t pending() const { return pending_.size() + inFlight_.size(); }
  // Runs after every commit, once its events are published (the session list feed publishes
  // the list changes the commit made).
  void setAfterCommit(std::function<void()> afterCommit) { afterCommit_ = std::move(afterCommit); }
  // Transactions committed so far (tests and diagnostics).
  uint64_t commits() const { return commits_; }

 private:
  struct Pending {
    AppendRequest request;
    std::function<void()> onFailed;
    Committed onCommitted;
  };
  // Commits and publishes `batch`; returns the stored events of its last append.
  std::vector<LoggedEvent> commitAndPublish(std::vector<Pending> batch);
  // Answers, then events, in queue order (after the commit of `batch`).
  void publish(std::vector<Pending>& batch, std::vector<std::vector<LoggedEvent>>& logged);
  void scheduleFlush();
  // Worker mode: hands the pending appends to the worker (when it is idle and any are queued).
  void startOnWorker();
  // Worker mode: waits for the batch in progress and makes it known (answers, events); runs the
  // onFailed handlers and throws EventLogError when it failed.
  void finishOnWorker();
  void onWorkerDone(uint64_t serial);

  // Under overload the batches grow up to this: each session's events then share the log's
  // B-tree pages (1,000 unpaced streams: 4096 -> 16384 cut the WAL written per event ~3x,
  // 3.4 -> 1.2 KiB, and the gateway's CPU per event 10.5 -> 8.1 us; 16384 -> 65536: 4.4 ->
  // 3.5 us, 96-133k -> 150-188k events/s; 10,000 clients at a 20 ms pace 42k -> 68k events/s,
  // their delta gap p99 ~1 s either way), and the network thread blocks less often behind a
  // commit. Starting the next batch before the last one is sent was tried and is worse
  // (7.0 us/event): the batches stay small. Paced loads below the log's pace never get here.
  static constexpr std::size_t kHighWater = 65536;

  boost::asio::io_context& ioc_;
  EventStore& log_;
  EventFanout& hub_;
  Clock now_;
  std::vector<Pending> pending_;
  bool flushPosted_ = false;
  uint64_t commits_ = 0;
  std::unique_ptr<CommitWorker> worker_;
  std::vector<Pending> inFlight_;  // the batch the worker commits (requests handed to it)
  uint64_t serial_ = 0;            // of the batch in progress (a stale completion is ignored)
  std::function<void()> afterCommit_;
  // Posted handlers hold a weak reference: one that runs after this queue is gone does nothing.
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace chat::gateway
