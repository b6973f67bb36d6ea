// Group commits off the network thread (CommitQueue::commitOffThread, commit_worker.h): the
// same promises as on it. Nothing reaches a subscriber before its transaction has committed
// (checked from a second SQLite connection, which sees committed data only), order is kept
// across batches, a synchronous flush() takes the batch in progress first, and a failed commit
// on the worker stores nothing, sends nothing and tells every owner.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "gateway/commit_queue.h"
#include "gateway/event_log.h"
#include "gateway/hub.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
using namespace chat::gateway::test_support;
using nlohmann::json;

namespace {

// Runs the io_context until `done` (the worker posts its completions from its own thread).
bool runUntil(boost::asio::io_context& ioc, const std::function<bool()>& done) {
  auto guard = boost::asio::make_work_guard(ioc);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    ioc.restart();
    if (ioc.poll() == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return done();
}

// Counts the rows of a session in the file through its own connection: committed rows only.
int64_t committedRows(const std::string& path, const std::string& sessionId) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return -1;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM events WHERE session_id = ?1", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, sessionId.c_str(), -1, SQLITE_TRANSIENT);
  int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// Records each event and whether the file held it (committed) at the moment it was sent.
class FileCheckingSubscriber : public EventSubscriber {
 public:
  explicit FileCheckingSubscriber(std::string path) : path_(std::move(path)) {}
  void onSessionEvent(const std::string& sessionId, int64_t seq,
                      const std::shared_ptr<const std::string>&) override {
    committedWhenSent.push_back(committedRows(path_, sessionId) >= seq);
    seqs.push_back(seq);
  }
  std::vector<bool> committedWhenSent;
  std::vector<int64_t> seqs;

 private:
  std::string path_;
};

AppendRequest delta(const std::string& sessionId, int n) {
  return AppendRequest{sessionId,
                       {json{{"type", "chat.stream.delta"}, {"requestId", "c-1"},
                             {"delta", std::to_string(n)}}},
                       std::nullopt,
                       std::nullopt};
}

}  // namespace

TEST(CommitWorker, EventsAreSentOnlyOnceCommittedAndInOrderAcrossBatches) {
  const std::string path = tempDbPath("worker-order");
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  CommitQueue queue(ioc, log, hub, [] { return int64_t{1000}; });
  queue.commitOffThread();
  FileCheckingSubscriber subscriber(path);
  hub.subscribe("s-a", &subscriber);
  int answered = 0;
  // Appends keep coming while batches commit: each answer queues the next (a stream).
  std::function<void(int)> next = [&](int n) {
    queue.enqueue(delta("s-a", n), {}, [&, n](const std::vector<LoggedEvent>& stored) {
      ASSERT_EQ(stored.size(), 1u);
      EXPECT_EQ(stored[0].seq, n);
      ++answered;
      if (n < 50) next(n + 1);
    });
  };
  next(1);
  for (int n = 1000; n < 1020; ++n) queue.enqueue(delta("s-b", n));
  ASSERT_TRUE(runUntil(ioc, [&] { return subscriber.seqs.size() == 50u; }));
  EXPECT_EQ(answered, 50);
  for (int64_t i = 0; i < 50; ++i) EXPECT_EQ(subscriber.seqs[static_cast<std::size_t>(i)], i + 1);
  for (bool committed : subscriber.committedWhenSent) EXPECT_TRUE(committed);
  EXPECT_GE(queue.commits(), 2u);
  EXPECT_EQ(log.lastSeq("s-b"), 20);
  std::remove(path.c_str());
}

TEST(CommitWorker, ASynchronousFlushTakesTheBatchInProgressFirst) {
  const std::string path = tempDbPath("worker-flush");
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  CommitQueue queue(ioc, log, hub, [] { return int64_t{1000}; });
  queue.commitOffThread();
  FileCheckingSubscriber subscriber(path);
  hub.subscribe("s-a", &subscriber);
  queue.enqueue(delta("s-a", 1));
  ioc.poll_one();  // the posted flush hands the first append to the worker
  queue.enqueue(delta("s-a", 2));
  queue.flush();  // waits for the first, makes it known, then commits the second here
  EXPECT_EQ(subscriber.seqs, (std::vector<int64_t>{1, 2}));
  for (bool committed : subscriber.committedWhenSent) EXPECT_TRUE(committed);
  EXPECT_EQ(queue.pending(), 0u);
  settle(ioc);  // the worker's late completion finds nothing left to do
  EXPECT_EQ(subscriber.seqs.size(), 2u);
  std::remove(path.c_str());
}

TEST(CommitWorker, AFailedCommitOnTheWorkerStoresNothingSendsNothingAndTellsEveryOwner) {
  const std::string path = tempDbPath("worker-fail");
  {
    EventLog log(path);
    log.append("s-a", {json{{"type", "chat.stream.delta"}, {"delta", "x"}}}, 1);
  }
  // A row at seq 2 from elsewhere: the next append to s-a collides and its transaction fails.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO events(session_id, seq, json) VALUES('s-a', 2, '{}')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  CommitQueue queue(ioc, log, hub, [] { return int64_t{1000}; });
  queue.commitOffThread();
  FileCheckingSubscriber subscriber(path);
  hub.subscribe("s-a", &subscriber);
  hub.subscribe("s-b", &subscriber);
  int failed = 0, committed = 0;
  queue.enqueue(delta("s-b", 1), [&] { ++failed; }, [&](const std::vector<LoggedEvent>&) { ++committed; });
  queue.enqueue(delta("s-a", 2), [&] { ++failed; }, [&](const std::vector<LoggedEvent>&) { ++committed; });
  ASSERT_TRUE(runUntil(ioc, [&] { return failed + committed == 2; }));
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(committed, 0);
  EXPECT_TRUE(subscriber.seqs.empty());
  EXPECT_EQ(committedRows(path, "s-b"), 0);  // rolled back together with s-a's
  std::remove(path.c_str());
}
