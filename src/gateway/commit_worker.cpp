#include "gateway/commit_worker.h"

namespace chat::gateway {

CommitWorker::CommitWorker(EventStore& log) : log_(log), thread_([this] { run(); }) {}

CommitWorker::~CommitWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();  // a batch in progress is finished first (run() checks stop_ between jobs)
}

void CommitWorker::start(std::vector<AppendRequest> batch, int64_t nowMs,
                         std::function<void()> posted) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch_ = std::move(batch);
    nowMs_ = nowMs;
    posted_ = std::move(posted);
    outcome_ = Outcome{};
    jobDone_ = false;
    hasJob_ = true;
  }
  busy_ = true;
  wake_.notify_one();
}

CommitWorker::Outcome CommitWorker::take(std::vector<AppendRequest>* requests) {
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return jobDone_; });
  busy_ = false;
  jobDone_ = false;
  if (requests) *requests = std::move(batch_);
  batch_.clear();
  return std::move(outcome_);
}

void CommitWorker::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return hasJob_ || stop_; });
    if (!hasJob_) return;  // stop_ with nothing to do
    hasJob_ = false;
    std::vector<AppendRequest> batch = std::move(batch_);
    const int64_t nowMs = nowMs_;
    std::function<void()> posted = std::move(posted_);
    lock.unlock();
    Outcome outcome;
    try {
      outcome.logged = log_.appendBatchConsuming(batch, nowMs);
    } catch (const std::exception& e) {  // rolled back: nothing of the batch is stored
      outcome.error = e.what();
    }
    lock.lock();
    batch_ = std::move(batch);  // the requests (without their events) go back to the queue
    outcome_ = std::move(outcome);
    jobDone_ = true;
    done_.notify_all();
    lock.unlock();
    if (posted) posted();
    lock.lock();
  }
}

}  // namespace chat::gateway
