#include "gateway/commit_queue.h"

#include <boost/asio/post.hpp>

#include "gateway/util.h"

namespace chat::gateway {

CommitQueue::CommitQueue(boost::asio::io_context& ioc, EventStore& log, EventFanout& hub, Clock now)
    : ioc_(ioc), log_(log), hub_(hub), now_(std::move(now)) {}

CommitQueue::~CommitQueue() {
  if (worker_) {
    // Committed but neither answered nor sent (see below): harmless.
    if (worker_->busy()) worker_->take(nullptr);
    worker_.reset();
  }
  if (pending_.empty()) return;
  // Stored but neither answered nor sent: harmless (a client resends by id and resumes by
  // seq); sending first is what must never happen. Nobody is left to tell about a failure.
  std::vector<AppendRequest> batch;
  for (auto& p : pending_) batch.push_back(std::move(p.request));
  try {
    log_.appendBatchConsuming(batch, now_());
  } catch (const std::exception& e) {
    logLine(std::string("commit at exit: ") + e.what());
  }
}

void CommitQueue::enqueue(AppendRequest request, std::function<void()> onFailed,
                          Committed onCommitted) {
  pending_.push_back(Pending{std::move(request), std::move(onFailed), std::move(onCommitted)});
  scheduleFlush();
}

void CommitQueue::scheduleFlush() {
  if (flushPosted_) return;
  flushPosted_ = true;
  boost::asio::post(ioc_, [this, alive = std::weak_ptr<char>(alive_)] {
    if (alive.expired()) return;
    flushPosted_ = false;
    try {
      if (!worker_) return flush();
      if (worker_->busy()) {
        // The batch in progress takes these along when it is done, unless too many wait.
        if (pending_.size() < kHighWater) return;
        finishOnWorker();
      }
      startOnWorker();
    } catch (const std::exception& e) {
      logLine(std::string("group commit failed: ") + e.what());
    }
  });
}

void CommitQueue::commitOffThread() {
  if (!worker_) worker_ = std::make_unique<CommitWorker>(log_);
}

void CommitQueue::startOnWorker() {
  if (!worker_ || worker_->busy() || pending_.empty()) return;
  inFlight_ = std::move(pending_);
  pending_.clear();
  // The next batch is about as large: one allocation instead of growing (and moving every
  // Pending) ~14 times on the way to 16k appends.
  pending_.reserve(inFlight_.size());
  std::vector<AppendRequest> requests;
  requests.reserve(inFlight_.size());
  for (auto& p : inFlight_) requests.push_back(std::move(p.request));
  const uint64_t serial = ++serial_;
  // Runs on the worker thread once the transaction is done: only posts (thread-safe). The
  // worker is joined before this queue is destroyed; the io_context outlives both.
  worker_->start(std::move(requests), now_(),
                 [this, serial, alive = std::weak_ptr<char>(alive_)] {
                   boost::asio::post(ioc_, [this, serial, alive] {
                     if (!alive.expired()) onWorkerDone(serial);
                   });
                 });
}

void CommitQueue::finishOnWorker() {
  std::vector<AppendRequest> requests;
  CommitWorker::Outcome outcome = worker_->take(&requests);
  std::vector<Pending> batch = std::move(inFlight_);
  inFlight_.clear();
  for (std::size_t i = 0; i < batch.size() && i < requests.size(); ++i)
    batch[i].request = std::move(requests[i]);
  if (outcome.error) {
    for (auto& p : batch)
      if (p.onFailed) p.onFailed();
    throw EventLogError(*outcome.error);
  }
  ++commits_;
  publish(batch, outcome.logged);
}

void CommitQueue::onWorkerDone(uint64_t serial) {
  // Already made known by a synchronous flush() in between: nothing left to do here.
  if (!worker_ || !worker_->busy() || serial != serial_) return;
  try {
    finishOnWorker();
  } catch (const std::exception& e) {
    logLine(std::string("group commit failed: ") + e.what());
  }
  startOnWorker();  // what gathered meanwhile, with what the handlers above queued
}

void CommitQueue::flush() {
  if (worker_ && worker_->busy()) finishOnWorker();  // in order: the batch in progress first
  if (pending_.empty()) return;
  // Taken out first: whatever the handlers queue goes into the next transaction.
  std::vector<Pending> batch = std::move(pending_);
  pending_.clear();
  commitAndPublish(std::move(batch));
}

std::vector<LoggedEvent> CommitQueue::commitNow(AppendRequest request) {
  if (worker_ && worker_->busy()) finishOnWorker();
  std::vector<Pending> batch = std::move(pending_);
  pending_.clear();
  batch.push_back(Pending{std::move(request), {}, {}});
  return commitAndPublish(std::move(batch));
}

std::vector<LoggedEvent> CommitQueue::commitAndPublish(std::vector<Pending> batch) {
  std::vector<AppendRequest> requests;
  requests.reserve(batch.size());
  for (auto& p : batch) requests.push_back(std::move(p.request));
  std::vector<std::vector<LoggedEvent>> logged;
  try {
    logged = log_.appendBatchConsuming(requests, now_());  // events moved, not copied
  } catch (const EventLogError&) {
    // Rolled back: none of these events exists, and none was sent. Their owners stop what
    // produced them (or answer the sender with an error).
    for (auto& p : batch)
      if (p.onFailed) p.onFailed();
    throw;
  }
  ++commits_;
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].request = std::move(requests[i]);
  // The last append's stored frames for commitNow(), before the fan-out takes them apart.
  std::vector<LoggedEvent> last = logged.empty() ? std::vector<LoggedEvent>() : logged.back();
  publish(batch, logged);
  return last;
}

void CommitQueue::publish(std::vector<Pending>& batch,
                          std::vector<std::vector<LoggedEvent>>& logged) {
  // Committed: now, and only now, may anyone hear of them. Answers first, then events.
  for (std::size_t i = 0; i < batch.size() && i < logged.size(); ++i)
    if (batch[i].onCommitted) batch[i].onCommitted(logged[i]);
  for (std::size_t i = 0; i < batch.size() && i < logged.size(); ++i)
    hub_.publish(batch[i].request.sessionId, std::move(logged[i]));  // frames moved, not copied
  if (afterCommit_) afterCommit_();
}

}  // namespace chat::gateway
