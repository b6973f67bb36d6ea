// The event log's second, read-only connection (committed_reader.h): it answers like the log,
// sees only committed transactions, and never waits for a transaction in progress.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "gateway/committed_reader.h"
#include "gateway/event_log.h"
#include "gateway_test_support.h"

namespace chat::gateway {
namespace {

using test_support::tempDbPath;

TEST(CommittedReader, AnswersLikeTheLogAndSeesEachCommit) {
  const std::string path = tempDbPath("reader");
  {
    EventLog log(path);
    proto::ChatMessageEvent echo{"", 0, "c-1", "user", "hello", 1};
    log.append("s-1", {echo}, 1, ProcessedRecord{"c-1", "ack-1"});
    CommittedReader reader(path);
    EXPECT_EQ(reader.lastSeq("s-1"), 1);
    EXPECT_EQ(reader.lastSeq("nobody"), 0);
    EXPECT_EQ(reader.processedReply("c-1").value_or(""), "ack-1");
    EXPECT_FALSE(reader.processedReply("c-2").has_value());
    ASSERT_EQ(reader.eventsAfter("s-1", 0, 10).size(), 1u);
    EXPECT_EQ(reader.eventsAfter("s-1", 0, 10)[0].json, log.eventsAfter("s-1", 0, 10)[0].json);
    EXPECT_FALSE(reader.sessionDeleted("s-1"));

    log.append("s-1", {proto::ChatMessageEvent{"", 0, "c-2", "user", "again", 2}}, 2);
    EXPECT_EQ(reader.lastSeq("s-1"), 2);  // the next commit, read at once
    EXPECT_EQ(reader.eventsAfter("s-1", 1, 10).size(), 1u);
  }
  std::remove(path.c_str());
}

TEST(CommittedReader, ATransactionInProgressIsNeitherSeenNorWaitedFor) {
  const std::string path = tempDbPath("reader-tx");
  {
    EventLog log(path);
    log.append("s-1", {proto::ChatMessageEvent{"", 0, "c-1", "user", "hello", 1}}, 1);
    CommittedReader reader(path);
    // Another connection holds a write transaction open, the way the commit worker does.
    sqlite3* writer = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(writer,
                           "BEGIN IMMEDIATE;"
                           " UPDATE sessions SET last_seq = 99 WHERE id = 's-1';"
                           " INSERT INTO processed(message_id, reply, created_at) VALUES('c-9', 'x', 1);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(reader.lastSeq("s-1"), 1);
    EXPECT_FALSE(reader.processedReply("c-9").has_value());
    // A read that waited would take the busy timeout (5 s); this is a bound, not a timing.
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
    ASSERT_EQ(sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(reader.lastSeq("s-1"), 99);
    EXPECT_EQ(reader.processedReply("c-9").value_or(""), "x");
    sqlite3_close(writer);
  }
  std::remove(path.c_str());
}

TEST(CommittedReader, AMemoryLogReadsThroughItsOwnConnection) {
  // No second connection can see a :memory: database: the log answers from its own.
  EventLog log(":memory:");
  log.append("s-1", {proto::ChatMessageEvent{"", 0, "c-1", "user", "hello", 1}}, 1,
             ProcessedRecord{"c-1", "ack-1"});
  EXPECT_EQ(log.lastSeq("s-1"), 1);
  EXPECT_EQ(log.processedReply("c-1").value_or(""), "ack-1");
  EXPECT_FALSE(log.sessionDeleted("s-1"));
}

}  // namespace
}  // namespace chat::gateway
