// Group commit (commit_queue.h): appends queued in one io_context turn share one transaction;
// nothing reaches a subscriber before the transaction holding it has committed; a failed
// commit leaves no trace, sends nothing and tells the owners. Also through GatewayCore: many
// streams cost far fewer commits than events, and a demo turn whose commit fails stops and is
// closed by the next start. The io_context is polled and the demo delay is 0: no real time.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"
#include "gateway/commit_queue.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/util.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
using namespace chat::gateway::test_support;
namespace proto = chat::proto;
using nlohmann::json;

namespace {



// Writes a row straight into the events table from a second connection, so that the gateway's
// next append to that session collides with it (primary key) and its transaction fails.
void plantConflictingEvent(const std::string& path, const std::string& sessionId, int64_t seq) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "INSERT INTO events(session_id, seq, json) VALUES('" + sessionId + "', " +
                    std::to_string(seq) + ", '{}')";
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

void removePlantedEvent(const std::string& path, const std::string& sessionId, int64_t seq) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "DELETE FROM events WHERE session_id = '" + sessionId +
                    "' AND seq = " + std::to_string(seq);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// Records what it is sent, and checks at that moment that the log already holds it.
class CheckingSubscriber : public EventSubscriber {
 public:
  explicit CheckingSubscriber(EventLog& log) : log_(log) {}
  void onSessionEvent(const std::string& sessionId, int64_t seq,
                      const std::shared_ptr<const std::string>& frame) override {
    auto stored = log_.eventsAfter(sessionId, seq - 1, 1);
    committedWhenSent.push_back(stored.size() == 1 && stored[0].json == *frame);
    seqs.push_back(seq);
  }
  std::vector<bool> committedWhenSent;
  std::vector<int64_t> seqs;

 private:
  EventLog& log_;
};

AppendRequest delta(const std::string& sessionId, const std::string& text) {
  return AppendRequest{sessionId, {chat::proto::StreamDelta{"", 0, "c-1", text}}, std::nullopt,
                       std::nullopt};
}

class CommitQueueTest : public ::testing::Test {
 protected:
  CommitQueueTest() : log_(":memory:"), queue_(ioc_, log_, hub_, [] { return int64_t{1000}; }) {}
  boost::asio::io_context ioc_;
  EventLog log_;
  Hub hub_;
  CommitQueue queue_;
};

}  // namespace

TEST_F(CommitQueueTest, AppendsOfOneTurnShareOneTransactionAndAreSentAfterIt) {
  CheckingSubscriber a(log_), b(log_);
  hub_.subscribe("s-a", &a);
  hub_.subscribe("s-b", &b);
  queue_.enqueue(delta("s-a", "one"));
  queue_.enqueue(delta("s-b", "uno"));
  queue_.enqueue(delta("s-a", "two"));
  // Queued only: nothing stored, nothing sent.
  EXPECT_EQ(queue_.pending(), 3u);
  EXPECT_EQ(log_.lastSeq("s-a"), 0);
  EXPECT_TRUE(a.seqs.empty());

  settle(ioc_);
  EXPECT_EQ(queue_.commits(), 1u);
  EXPECT_EQ(queue_.pending(), 0u);
  EXPECT_EQ(a.seqs, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(b.seqs, (std::vector<int64_t>{1}));
  for (bool committed : a.committedWhenSent) EXPECT_TRUE(committed);
  for (bool committed : b.committedWhenSent) EXPECT_TRUE(committed);
  auto stored = log_.eventsAfter("s-a", 0, 10);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(json::parse(stored[1].json)["delta"], "two");  // queue order kept within a session
}

TEST_F(CommitQueueTest, CommitNowTakesThePendingAppendsAlongInOrder) {
  CheckingSubscriber a(log_);
  hub_.subscribe("s-a", &a);
  queue_.enqueue(delta("s-a", "pending"));
  auto logged = queue_.commitNow(AppendRequest{
      "s-a", {chat::proto::ChatMessageEvent{"", 0, "c-9", "user", "hi", 0}},
      ProcessedRecord{"c-9", "ack"}, std::nullopt});
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].seq, 2);  // after the pending delta
  EXPECT_EQ(queue_.commits(), 1u);
  EXPECT_TRUE(log_.processedReply("c-9").has_value());
  EXPECT_EQ(a.seqs, (std::vector<int64_t>{1, 2}));
  settle(ioc_);  // the posted flush finds nothing left
  EXPECT_EQ(queue_.commits(), 1u);
}

TEST_F(CommitQueueTest, ADedupRecordAloneNeedsNoSession) {
  queue_.commitNow(AppendRequest{"", {}, ProcessedRecord{"c-1", "ack"}, std::nullopt});
  EXPECT_EQ(*log_.processedReply("c-1"), "ack");
  EXPECT_TRUE(log_.listSessions(true).empty());
}

TEST(CommitQueueFailure, AFailedCommitStoresNothingSendsNothingAndTellsEveryOwner) {
  std::string path = tempDbPath("commit-fail");
  {
    boost::asio::io_context ioc;
    EventLog log(path);
    Hub hub;
    CommitQueue queue(ioc, log, hub, [] { return int64_t{1}; });
    CheckingSubscriber ok(log);
    hub.subscribe("s-ok", &ok);
    plantConflictingEvent(path, "s-bad", 1);  // s-bad's first append collides with it

    int failedOk = 0, failedBad = 0;
    queue.enqueue(delta("s-ok", "fine"), [&] { ++failedOk; });
    queue.enqueue(delta("s-bad", "boom"), [&] { ++failedBad; });
    settle(ioc);
    EXPECT_EQ(failedOk, 1);
    EXPECT_EQ(failedBad, 1);
    EXPECT_EQ(queue.commits(), 0u);
    EXPECT_EQ(log.lastSeq("s-ok"), 0);  // rolled back with the rest of its transaction
    EXPECT_TRUE(ok.seqs.empty());

    queue.enqueue(delta("s-ok", "pending"));
    EXPECT_THROW(queue.commitNow(delta("s-bad", "again")), EventLogError);
    EXPECT_EQ(queue.pending(), 0u);
    EXPECT_TRUE(ok.seqs.empty());

    // Once the log accepts writes again, new appends commit and are sent.
    removePlantedEvent(path, "s-bad", 1);
    queue.commitNow(delta("s-ok", "later"));
    EXPECT_EQ(ok.seqs, (std::vector<int64_t>{1}));
  }
  std::remove(path.c_str());
}

TEST(CommitQueueCore, ManyStreamsCostFarFewerCommitsThanEvents) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  const int sessions = 20;
  for (int i = 0; i < sessions; ++i) {
    proto::ChatSend m = send("c-" + std::to_string(i), "s-" + std::to_string(i), "/long 50");
    ASSERT_FALSE(core.handle(m).isError);
  }
  const uint64_t afterSends = core.commits().commits();
  settle(ioc);
  int64_t events = 0;
  for (int i = 0; i < sessions; ++i) {
    auto stored = log.eventsAfter("s-" + std::to_string(i), 0, 1000);
    events += static_cast<int64_t>(stored.size());
    ASSERT_FALSE(stored.empty());
    EXPECT_EQ(json::parse(stored.back().json)["type"], "chat.stream.end");
    for (std::size_t k = 0; k < stored.size(); ++k)
      EXPECT_EQ(stored[k].seq, static_cast<int64_t>(k + 1));  // dense, per session
  }
  const uint64_t streamCommits = core.commits().commits() - afterSends;
  EXPECT_GT(events, sessions * 50);
  // The 20 streams step together: their deltas of one turn of the loop share a transaction.
  EXPECT_LT(streamCommits * 5, static_cast<uint64_t>(events));
}

TEST(CommitQueueCore, ATurnWhoseCommitFailsStopsAndTheNextStartClosesIt) {
  std::string path = tempDbPath("commit-turn");
  {
    boost::asio::io_context ioc;
    EventLog log(path);
    Hub hub;
    GatewayCore core(ioc, log, hub, 0);
    proto::ChatSend m = send("c-1", "s-1", "/long 100");
    ASSERT_FALSE(core.handle(m).isError);  // the echo is committed
    core.commits().flush();                 // and the turn's start, in the next group
    const int64_t seq = log.lastSeq("s-1");
    ASSERT_EQ(json::parse(log.eventsAfter("s-1", seq - 1, 1).at(0).json)["type"],
              "chat.stream.start");
    plantConflictingEvent(path, "s-1", seq + 1);  // the next delta collides
    settle(ioc);
    EXPECT_EQ(core.agent().runningTurns(), 0u);  // abandoned, not retried forever
    EXPECT_EQ(log.lastSeq("s-1"), seq);
    ASSERT_EQ(log.openTurns().size(), 1u);
    removePlantedEvent(path, "s-1", seq + 1);
  }
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  EXPECT_EQ(core.closeInterruptedTurns(), 1u);
  auto stored = log.eventsAfter("s-1", 0, 1000);
  ASSERT_FALSE(stored.empty());
  auto last = json::parse(stored.back().json);
  EXPECT_EQ(last["type"], "chat.stream.end");
  EXPECT_EQ(last["stopReason"], "error");
  std::remove(path.c_str());
}

TEST(CommitQueueCore, AnIdleSessionsTurnStartsInItsMessagesCommitAllOrNothing) {
  // With nothing of the session running or waiting, a chat.send's echo and its turn's start
  // are one commit: acked means started; a commit that fails leaves neither, and no turn.
  std::string path = tempDbPath("commit-start");
  boost::asio::io_context ioc;
  EventLog log(path);
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  ASSERT_FALSE(core.handle(send("c-0", "s-1", "hello")).isError);
  {
    // Its start was committed with the echo: nothing ever waited for it.
    auto stored = log.eventsAfter("s-1", 0, 1000);
    ASSERT_GE(stored.size(), 3u);
    EXPECT_EQ(json::parse(stored[1].json)["type"], "chat.message");
    EXPECT_EQ(json::parse(stored[2].json)["type"], "chat.stream.start");
    EXPECT_TRUE(log.queuedTurns().empty());
  }
  settle(ioc);  // c-0's reply ends: the session is idle again
  ASSERT_EQ(core.agent().runningTurns(), 0u);

  const int64_t before = log.lastSeq("s-1");
  plantConflictingEvent(path, "s-1", before + 2);  // c-1's start (after its echo) collides
  proto::ChatSend m = send("c-1", "s-1", "again");
  EXPECT_TRUE(core.handle(m).isError);
  EXPECT_EQ(log.lastSeq("s-1"), before);  // neither the echo nor the start
  EXPECT_EQ(core.agent().runningTurns(), 0u);
  EXPECT_FALSE(core.turns().running("s-1").has_value());
  EXPECT_EQ(core.turns().waiting("s-1"), 0u);
  EXPECT_TRUE(log.queuedTurns().empty());

  // The log accepts writes again: the same message, resent, is applied once and runs.
  removePlantedEvent(path, "s-1", before + 2);
  ASSERT_FALSE(core.handle(m).isError);
  settle(ioc);
  int ends = 0, echoes = 0;
  for (const auto& e : log.eventsAfter("s-1", 0, 1000)) {
    auto j = json::parse(e.json);
    ends += j["type"] == "chat.stream.end";
    echoes += j["type"] == "chat.message" && j["messageId"] == "c-1";
  }
  EXPECT_EQ(ends, 2);
  EXPECT_EQ(echoes, 1);
  EXPECT_TRUE(log.queuedTurns().empty());
  std::remove(path.c_str());
}

TEST(CommitQueueCore, AResendWhileTheFirstCopyWaitsForItsCommitIsAppliedOnce) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  proto::ChatSend m = send("c-1", "s-1", "hello");
  std::vector<GatewayCore::Result> answers;
  core.handle(m, [&](GatewayCore::Result r) { answers.push_back(std::move(r)); });
  core.handle(m, [&](GatewayCore::Result r) { answers.push_back(std::move(r)); });
  EXPECT_TRUE(answers.empty()) << "no ack before the commit";
  EXPECT_EQ(log.lastSeq("s-1"), 0);
  settle(ioc);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].frames, answers[1].frames);
  EXPECT_EQ(json::parse(answers[0].frames.at(0))["type"], "ack");
  int echoes = 0, created = 0, starts = 0;
  for (const auto& e : log.eventsAfter("s-1", 0, 1000)) {
    auto j = json::parse(e.json);
    echoes += j["type"] == "chat.message";
    created += j["type"] == "session.created";
    starts += j["type"] == "chat.stream.start";
  }
  EXPECT_EQ(echoes, 1);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(starts, 1);
}

TEST(CommitQueueCore, TwoFirstMessagesOfANewSessionInOneGroupCreateItOnce) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  int acks = 0;
  for (const char* id : {"c-1", "c-2"}) {
    proto::ChatSend m = send(id, "s-new", "hi");
    core.handle(m, [&](GatewayCore::Result r) { acks += !r.isError; });
  }
  settle(ioc);
  EXPECT_EQ(acks, 2);
  auto stored = log.eventsAfter("s-new", 0, 1000);
  ASSERT_GE(stored.size(), 3u);
  EXPECT_EQ(json::parse(stored[0].json)["type"], "session.created");
  // The messages in the order sent (c-1's turn starts right after its echo, with it: the
  // session was idle; c-2's waits behind it).
  std::vector<std::string> messages;
  int created = 0;
  for (const auto& e : stored) {
    auto j = json::parse(e.json);
    created += j["type"] == "session.created";
    if (j["type"] == "chat.message" && j["role"] == "user") messages.push_back(j["messageId"]);
  }
  EXPECT_EQ(messages, (std::vector<std::string>{"c-1", "c-2"}));
  EXPECT_EQ(created, 1);
}

TEST(CommitQueueCore, ACancelOfAChatSendStillWaitingForItsCommitAppliesAfterIt) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  proto::ChatSend m = send("c-1", "s-1", "/long 500");
  std::vector<std::string> answers;
  core.handle(m, [&](GatewayCore::Result r) { answers.push_back(r.frames.at(0)); });
  proto::ChatCancel cancel;
  cancel.id = "c-2";
  cancel.requestId = "c-1";
  auto r = core.handle(cancel);  // commits the send, then the cancel
  EXPECT_FALSE(r.isError);
  EXPECT_EQ(json::parse(r.frames.at(0))["requestId"], "c-2");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(json::parse(answers[0])["requestId"], "c-1");
  settle(ioc);
  auto stored = log.eventsAfter("s-1", 0, 1000);
  auto last = json::parse(stored.back().json);
  EXPECT_EQ(last["type"], "chat.stream.end");
  EXPECT_EQ(last["stopReason"], "cancelled");
  int deltas = 0;
  for (const auto& e : stored) deltas += json::parse(e.json)["type"] == "chat.stream.delta";
  EXPECT_LT(deltas, 500);
}
