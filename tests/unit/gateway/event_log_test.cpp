// The SQLite event log: seq numbering, titles, dedup records, open turns, session approvals,
// persistence and opening a file made by the previous schema.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/event_log.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"
#include "gateway_test_support.h"

using chat::gateway::EventLog;
using chat::gateway::ProcessedRecord;
using chat::gateway::test_support::tempDbPath;
using nlohmann::json;
namespace proto = chat::proto;

namespace {
// Events as the gateway makes them: typed, sessionId and seq left to the log.
template <class T>
T withRequest(const char* requestId) {
  T e;
  e.requestId = requestId;
  return e;
}
proto::ChatMessageEvent userMessage(const std::string& content) {
  proto::ChatMessageEvent e;
  e.role = "user";
  e.content = content;
  return e;
}
}  // namespace

TEST(EventLog, NumbersEventsFromOnePerSessionAndAddsSessionIdAndSeq) {
  EventLog log(":memory:");
  auto first = log.append("s-a", {proto::SessionCreated{}, proto::ChatMessageEvent{}}, 1000);
  auto second = log.append("s-a", {proto::StreamStart{}}, 2000);
  auto other = log.append("s-b", {proto::SessionCreated{}}, 3000);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].seq, 1);
  EXPECT_EQ(first[1].seq, 2);
  EXPECT_EQ(second[0].seq, 3);
  EXPECT_EQ(other[0].seq, 1);
  auto parsed = json::parse(second[0].json);
  EXPECT_EQ(parsed["sessionId"], "s-a");
  EXPECT_EQ(parsed["seq"], 3);
  EXPECT_EQ(log.lastSeq("s-a"), 3);
  EXPECT_EQ(log.lastSeq("unknown"), 0);
  EXPECT_TRUE(log.sessionExists("s-b"));
  EXPECT_FALSE(log.sessionExists("unknown"));
}

TEST(EventLog, EventsAfterReturnsOnlyLaterEventsInOrderWithinTheLimit) {
  EventLog log(":memory:");
  for (int i = 0; i < 10; ++i) log.append("s", {proto::StreamDelta{}}, i);
  auto page = log.eventsAfter("s", 4, 3);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].seq, 5);
  EXPECT_EQ(page[2].seq, 7);
  EXPECT_TRUE(log.eventsAfter("s", 10, 100).empty());
  EXPECT_TRUE(log.eventsAfter("nobody", 0, 100).empty());
}

TEST(EventLog, TitleIsTheFirstUserMessageCutTo60Characters) {
  EventLog log(":memory:");
  std::string longText(100, 'x');
  log.append("s", {userMessage(longText)}, 1);
  log.append("s", {userMessage("second")}, 2);
  auto sessions = log.listSessions(false);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].title, std::string(60, 'x'));
  EXPECT_EQ(sessions[0].lastSeq, 2);
  EXPECT_EQ(sessions[0].createdAt, 1);
  EXPECT_EQ(sessions[0].updatedAt, 2);
}

TEST(EventLog, ListsMostRecentlyUpdatedFirstAndHidesArchivedUnlessAsked) {
  EventLog log(":memory:");
  log.append("old", {proto::SessionCreated{}}, 10);
  log.append("new", {proto::SessionCreated{}}, 20);
  log.setArchived("old", true);
  auto active = log.listSessions(false);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].sessionId, "new");
  auto all = log.listSessions(true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].sessionId, "new");
  EXPECT_TRUE(all[1].archived);
}

TEST(EventLog, ProcessedRecordIsCommittedWithTheEventsAndAnswersResends) {
  EventLog log(":memory:");
  EXPECT_FALSE(log.processedReply("c-1").has_value());
  log.append("s", {proto::ChatMessageEvent{}}, 1, ProcessedRecord{"c-1", "{\"type\":\"ack\"}"});
  ASSERT_TRUE(log.processedReply("c-1").has_value());
  EXPECT_EQ(*log.processedReply("c-1"), "{\"type\":\"ack\"}");
  log.markProcessed(ProcessedRecord{"c-2", "r2"}, 5);
  EXPECT_EQ(*log.processedReply("c-2"), "r2");
  log.pruneProcessed(3);  // c-1 was recorded at 1, c-2 at 5
  EXPECT_FALSE(log.processedReply("c-1").has_value());
  EXPECT_TRUE(log.processedReply("c-2").has_value());
}

TEST(EventLog, TracksOpenTurnsAndTheirToolInFlight) {
  EventLog log(":memory:");
  log.append("s", {withRequest<proto::StreamStart>("c-1")}, 1);
  auto open = log.openTurns();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].requestId, "c-1");
  EXPECT_EQ(open[0].sessionId, "s");
  EXPECT_EQ(open[0].toolCallId, "");

  auto call = withRequest<proto::ToolCall>("c-1");
  call.toolCallId = "tc-1";
  call.toolName = "shell";
  log.append("s", {call}, 2);
  open = log.openTurns();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].toolCallId, "tc-1");
  EXPECT_EQ(open[0].toolName, "shell");

  log.append("s", {withRequest<proto::ToolResult>("c-1")}, 3);
  EXPECT_EQ(log.openTurns()[0].toolCallId, "");
  log.append("s", {withRequest<proto::StreamEnd>("c-1")}, 4);
  EXPECT_TRUE(log.openTurns().empty());
}

TEST(EventLog, KeepsEverythingAcrossReopening) {
  std::string path = tempDbPath("reopen");
  {
    EventLog log(path);
    log.append("s", {proto::SessionCreated{}, withRequest<proto::StreamStart>("c-9")}, 1,
               ProcessedRecord{"c-9", "ack"});
  }
  EventLog again(path);
  EXPECT_EQ(again.lastSeq("s"), 2);
  EXPECT_EQ(again.eventsAfter("s", 0, 10).size(), 2u);
  EXPECT_TRUE(again.processedReply("c-9").has_value());
  ASSERT_EQ(again.openTurns().size(), 1u);
  again.append("s", {proto::StreamDelta{}}, 2);
  EXPECT_EQ(again.lastSeq("s"), 3);
  std::remove(path.c_str());
}

TEST(EventLog, ThrowsACleanErrorForAnUnopenablePath) {
  EXPECT_THROW(EventLog("/nonexistent-dir-for-test/x/y.db"), chat::gateway::EventLogError);
}

namespace {
proto::ToolApprovalRequest approvalRequest(const char* requestId, const char* toolCallId,
                                           const char* toolName) {
  auto e = withRequest<proto::ToolApprovalRequest>(requestId);
  e.toolCallId = toolCallId;
  e.toolName = toolName;
  return e;
}
proto::ToolApprovalResolved approvalResolved(const char* toolCallId, bool approved,
                                             bool sessionApprove) {
  proto::ToolApprovalResolved e;
  e.toolCallId = toolCallId;
  e.approved = approved;
  e.sessionApprove = sessionApprove;
  return e;
}
}  // namespace

TEST(EventLog, RemembersToolsApprovedForTheSessionOnly) {
  EventLog log(":memory:");
  log.append("s", {withRequest<proto::StreamStart>("c-1"), approvalRequest("c-1", "tc-1", "shell")}, 1);
  log.append("s", {approvalResolved("tc-1", true, false)}, 2);  // approved once: not remembered
  EXPECT_TRUE(log.sessionApprovedTools("s").empty());

  log.append("s", {withRequest<proto::StreamStart>("c-2"), approvalRequest("c-2", "tc-2", "shell")}, 3);
  log.append("s", {approvalResolved("tc-2", false, true)}, 4);  // denied: not remembered
  EXPECT_TRUE(log.sessionApprovedTools("s").empty());

  log.append("s", {withRequest<proto::StreamStart>("c-3"), approvalRequest("c-3", "tc-3", "shell")}, 5);
  log.append("s", {approvalResolved("tc-3", true, true)}, 6);
  EXPECT_EQ(log.sessionApprovedTools("s"), (std::set<std::string>{"shell"}));
  EXPECT_TRUE(log.sessionApprovedTools("other").empty());

  // Another session's tool call id does not leak into this one.
  log.append("t", {withRequest<proto::StreamStart>("c-4"), approvalRequest("c-4", "tc-4", "fetch")}, 7);
  log.append("s", {approvalResolved("tc-4", true, true)}, 8);
  EXPECT_EQ(log.sessionApprovedTools("s"), (std::set<std::string>{"shell"}));
  EXPECT_TRUE(log.sessionApprovedTools("t").empty());
}

TEST(EventLog, OpensAFileMadeBeforeSessionApprovalsWereStored) {
  std::string path = tempDbPath("migrate");
  {
    // The schema of the previous build, with a session in it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* old =
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE sessions(id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '',"
        " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
        " last_seq INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE events(session_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL,"
        " PRIMARY KEY(session_id, seq)) WITHOUT ROWID;"
        "CREATE TABLE processed(message_id TEXT PRIMARY KEY, reply TEXT NOT NULL,"
        " created_at INTEGER NOT NULL);"
        "CREATE TABLE open_turns(request_id TEXT PRIMARY KEY, session_id TEXT NOT NULL,"
        " tool_call_id TEXT NOT NULL DEFAULT '', tool_name TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE queued_turns(request_id TEXT PRIMARY KEY, session_id TEXT NOT NULL,"
        " echo_seq INTEGER NOT NULL, content TEXT NOT NULL, model TEXT NOT NULL DEFAULT '',"
        " cancelled INTEGER NOT NULL DEFAULT 0);"
        "INSERT INTO sessions VALUES('s', 'old', 1, 1, 1, 0);"
        "INSERT INTO events VALUES('s', 1, '{\"type\":\"session.created\",\"sessionId\":\"s\",\"seq\":1}');";
    ASSERT_EQ(sqlite3_exec(db, old, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EventLog log(path);
  EXPECT_EQ(log.lastSeq("s"), 1);
  EXPECT_TRUE(log.sessionApprovedTools("s").empty());
  log.append("s", {withRequest<proto::StreamStart>("c-1"), approvalRequest("c-1", "tc-1", "shell")}, 2);
  log.append("s", {approvalResolved("tc-1", true, true)}, 3);
  EXPECT_EQ(log.lastSeq("s"), 4);
  EXPECT_EQ(log.sessionApprovedTools("s"), (std::set<std::string>{"shell"}));
  std::remove(path.c_str());
}

// The log keeps each session's head (last seq, title set, deleted) between transactions instead
// of reading it per append; these check that what it keeps never goes stale.
TEST(EventLog, SeqsStayDenseWhenAnotherConnectionAppendsBetweenOurAppends) {
  const std::string path = tempDbPath("heads-two-connections");
  EventLog mine(path);
  EventLog other(path);  // another process sharing the file
  EXPECT_EQ(mine.append("s", {proto::StreamDelta{}}, 1).front().seq, 1);
  EXPECT_EQ(other.append("s", {proto::StreamDelta{}, proto::StreamDelta{}}, 2).back().seq, 3);
  EXPECT_EQ(mine.append("s", {proto::StreamDelta{}}, 3).front().seq, 4);
  EXPECT_EQ(other.append("s", {proto::StreamDelta{}}, 4).front().seq, 5);
  EXPECT_EQ(mine.lastSeq("s"), 5);
  EXPECT_EQ(mine.eventsAfter("s", 0, 100).size(), 5u);
  std::remove(path.c_str());
}

TEST(EventLog, AnAppendAfterTheSessionIsDeletedOnTheSameConnectionIsRefused) {
  EventLog log(":memory:");
  log.append("s", {userMessage("hello")}, 1);
  ASSERT_TRUE(log.catalog().remove("s"));
  EXPECT_TRUE(log.append("s", {proto::StreamDelta{}}, 2).empty());
  EXPECT_TRUE(log.eventsAfter("s", 0, 100).empty());
}

TEST(EventLog, ARenamedSessionIsNotRetitledByALaterUserMessage) {
  EventLog log(":memory:");
  log.append("s", {proto::StreamStart{}}, 1);  // untitled so far (head kept: no title)
  ASSERT_TRUE(log.catalog().rename("s", "Named by hand", 2));
  log.append("s", {userMessage("first words")}, 3);
  auto sessions = log.listSessions(true);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].title, "Named by hand");
  EXPECT_EQ(sessions[0].lastSeq, 2);
  EXPECT_EQ(sessions[0].updatedAt, 3);
}
