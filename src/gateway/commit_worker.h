// A thread that runs the group commits (EventLog::appendBatchConsuming) off the network
// thread, one batch at a time, so SQLite's work and the sockets' work use both cores: while a
// batch commits here, the network thread sends the previous one and gathers the next.
//
// Only the transaction runs here. What a commit makes known (answers, events to subscribers)
// is still done by CommitQueue on the network thread, after the batch is done: start() takes
// a `done` callback that the worker posts to the io_context. The EventLog serialises its own
// use (the network thread's reads wait while a commit holds it), so no read ever sees a
// transaction in progress.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/event_store.h"

namespace chat::gateway {

class CommitWorker {
 public:
  struct Outcome {
    std::vector<std::vector<LoggedEvent>> logged;  // per append, when committed
    std::optional<std::string> error;              // the EventLogError's text when it failed
  };

  explicit CommitWorker(EventStore& log);
  // Waits for the batch in progress, then stops the thread.
  ~CommitWorker();
  CommitWorker(const CommitWorker&) = delete;
  CommitWorker& operator=(const CommitWorker&) = delete;

  // Commits `batch` on the worker thread (nothing may be in progress: busy() is false), then
  // calls `posted()` there; that callback only posts to the io_context (thread-safe).
  void start(std::vector<AppendRequest> batch, int64_t nowMs, std::function<void()> posted);
  // True from start() until take().
  bool busy() const { return busy_; }
  // Blocks until the batch in progress is committed (or failed) and returns its outcome and
  // requests (events taken out); busy() is false afterwards. Only while busy().
  Outcome take(std::vector<AppendRequest>* requests);

 private:
  void run();

  EventStore& log_;
  std::mutex mutex_;
  std::condition_variable wake_;  // a batch to commit, or stop
  std::condition_variable done_;  // the batch is committed
  bool hasJob_ = false;
  bool jobDone_ = false;
  bool stop_ = false;
  std::vector<AppendRequest> batch_;
  int64_t nowMs_ = 0;
  std::function<void()> posted_;
  Outcome outcome_;
  bool busy_ = false;  // network thread's view
  std::thread thread_;
};

}  // namespace chat::gateway
