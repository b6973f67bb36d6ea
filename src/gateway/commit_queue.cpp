#include "gateway/commit_queue.h"

#include <boost/asio/post.hpp>

#include "gateway/util.h"

namespace chat::gateway {

CommitQueue::CommitQueue(boost::asio::io_context& ioc, EventLog& log, Hub& hub, Clock now)
    : ioc_(ioc), log_(log), hub_(hub), now_(std::move(now)) {}

CommitQueue::~CommitQueue() {
  if (pending_.empty()) return;
  // Stored but neither answered nor sent: harmless (a client resends by id and resumes by
  // seq); sending first is what must never happen. Nobody is left to tell about a failure.
  std::vector<AppendRequest> batch;
  for (auto& p : pending_) batch.push_back(std::move(p.request));
  try {
    log_.appendBatch(batch, now_());
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
      flush();
    } catch (const std::exception& e) {
      logLine(std::string("group commit failed: ") + e.what());
    }
  });
}

void CommitQueue::flush() {
  if (pending_.empty()) return;
  // Taken out first: whatever the handlers queue goes into the next transaction.
  std::vector<Pending> batch = std::move(pending_);
  pending_.clear();
  commitAndPublish(std::move(batch));
}

std::vector<LoggedEvent> CommitQueue::commitNow(AppendRequest request) {
  std::vector<Pending> batch = std::move(pending_);
  pending_.clear();
  batch.push_back(Pending{std::move(request), {}, {}});
  return std::move(commitAndPublish(std::move(batch)).back());
}

std::vector<std::vector<LoggedEvent>> CommitQueue::commitAndPublish(std::vector<Pending> batch) {
  std::vector<AppendRequest> requests;
  requests.reserve(batch.size());
  for (auto& p : batch) requests.push_back(std::move(p.request));
  std::vector<std::vector<LoggedEvent>> logged;
  try {
    logged = log_.appendBatch(requests, now_());
  } catch (const EventLogError&) {
    // Rolled back: none of these events exists, and none was sent. Their owners stop what
    // produced them (or answer the sender with an error).
    for (auto& p : batch)
      if (p.onFailed) p.onFailed();
    throw;
  }
  ++commits_;
  // Committed: now, and only now, may anyone hear of them. Answers first, then events.
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].onCommitted) batch[i].onCommitted(logged[i]);
  for (std::size_t i = 0; i < logged.size(); ++i) hub_.publish(requests[i].sessionId, logged[i]);
  if (afterCommit_) afterCommit_();
  return logged;
}

}  // namespace chat::gateway
