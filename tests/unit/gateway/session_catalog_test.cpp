// The session list feed, list pages, rename / archive / delete and search (session_catalog.h),
// driven through the event log's appends as the gateway does.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/event_log.h"
#include "gateway/session_catalog.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
using nlohmann::json;

namespace {
namespace proto = chat::proto;
proto::ChatMessageEvent userMessage(const std::string& id, const std::string& text) {
  return proto::ChatMessageEvent{"", 0, id, "user", text, 1, std::nullopt};
}
// A complete reply of turn `requestId` whose deltas are `words`.
std::vector<proto::GatewayMessage> reply(const std::string& requestId,
                                         const std::vector<std::string>& words) {
  std::vector<proto::GatewayMessage> out = {proto::StreamStart{"", 0, requestId, "demo-1", {}}};
  for (const auto& w : words) out.push_back(proto::StreamDelta{"", 0, requestId, w});
  proto::StreamEnd end;
  end.requestId = requestId;
  end.stopReason = "end";
  out.push_back(end);
  return out;
}
std::vector<std::string> kinds(const std::vector<SessionChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.session.sessionId + ":" + c.change);
  return out;
}
}  // namespace

TEST(SessionCatalog, EveryListChangeIsNumberedOnOneCounterAndCaughtUpByNumber) {
  EventLog log(":memory:");
  SessionCatalog& catalog = log.catalog();
  EXPECT_EQ(catalog.lastChange(), 0);
  log.append("s-a", {userMessage("m1", "hello there")}, 1000);
  const int64_t afterA = catalog.lastChange();
  EXPECT_EQ(afterA, 1);
  log.append("s-b", {userMessage("m2", "second chat")}, 2000);
  EXPECT_EQ(kinds(catalog.changesAfter(0, 100)),
            (std::vector<std::string>{"s-a:created", "s-b:created"}));
  // A client that saw change 1 gets only what came after it.
  EXPECT_EQ(kinds(catalog.changesAfter(afterA, 100)), (std::vector<std::string>{"s-b:created"}));

  // Deltas are not list changes; the reply's start and end are.
  log.append("s-a", {reply("r1", {"a", "b"})[1]}, 3000);
  EXPECT_EQ(catalog.lastChange(), 2);
  log.append("s-a", reply("r2", {"x"}), 3000);
  auto changes = catalog.changesAfter(2, 100);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].change, "updated");
  EXPECT_EQ(changes[0].changeSeq, 3);
  EXPECT_EQ(changes[0].session.title, "hello there");
  EXPECT_EQ(changes[0].session.lastSeq, log.lastSeq("s-a"));
  // One row per session: s-a's older change is replaced by its newest.
  EXPECT_EQ(kinds(catalog.changesAfter(0, 100)),
            (std::vector<std::string>{"s-b:created", "s-a:updated"}));
}

TEST(SessionCatalog, TheFeedSurvivesReopeningTheFile) {
  const std::string path = test_support::tempDbPath("catalog-reopen");
  {
    EventLog log(path);
    log.append("s-a", {userMessage("m1", "one")}, 1000);
    log.append("s-b", {userMessage("m2", "two")}, 1000);
  }
  EventLog log(path);
  EXPECT_EQ(log.catalog().lastChange(), 2);
  log.append("s-c", {userMessage("m3", "three")}, 1000);
  EXPECT_EQ(kinds(log.catalog().changesAfter(2, 10)), (std::vector<std::string>{"s-c:created"}));
}

TEST(SessionCatalog, PagesWalkTheWholeListWithACursorNewestFirst) {
  EventLog log(":memory:");
  for (int i = 0; i < 25; ++i)
    log.append("s-" + std::to_string(100 + i), {userMessage("m" + std::to_string(i), "chat")},
               1000 + i / 2);  // pairs share a timestamp: the id breaks the tie
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = log.catalog().listPage(cursor, 10, false);
    EXPECT_EQ(page.lastChange, 25);
    for (const auto& s : page.sessions) seen.push_back(s.sessionId);
    cursor = page.nextCursor;
    ++pages;
  } while (cursor);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
  EXPECT_EQ(seen.front(), "s-124");  // newest first
  EXPECT_THROW(log.catalog().listPage(std::string("nonsense"), 10, false), std::invalid_argument);
  EXPECT_THROW(log.catalog().listPage(std::string("12:bad id!"), 10, false),
               std::invalid_argument);
}

TEST(SessionCatalog, RenameKeepsTheTitleAgainstLaterMessages) {
  EventLog log(":memory:");
  log.append("s-a", {userMessage("m1", "first words")}, 1000);
  ASSERT_TRUE(log.catalog().rename("s-a", "My plan", 2000));
  log.append("s-a", {userMessage("m2", "more words")}, 3000);
  auto page = log.catalog().listPage(std::nullopt, 10, false);
  ASSERT_EQ(page.sessions.size(), 1u);
  EXPECT_EQ(page.sessions[0].title, "My plan");
  auto changes = log.catalog().changesAfter(1, 10);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].change, "updated");  // the later message, after the rename
  EXPECT_FALSE(log.catalog().rename("s-none", "x", 1));
}

TEST(SessionCatalog, ArchivedChatsLeaveTheListAndComeBack) {
  EventLog log(":memory:");
  log.append("s-a", {userMessage("m1", "a")}, 1000);
  log.append("s-b", {userMessage("m2", "b")}, 1000);
  ASSERT_TRUE(log.catalog().setArchived("s-a", true, 2000));
  EXPECT_EQ(kinds(log.catalog().changesAfter(2, 10)), (std::vector<std::string>{"s-a:archived"}));
  EXPECT_EQ(log.catalog().listPage(std::nullopt, 10, false).sessions.size(), 1u);
  auto all = log.catalog().listPage(std::nullopt, 10, true).sessions;
  ASSERT_EQ(all.size(), 2u);
  ASSERT_TRUE(log.catalog().setArchived("s-a", false, 3000));
  EXPECT_EQ(log.catalog().listPage(std::nullopt, 10, false).sessions.size(), 2u);
  EXPECT_EQ(kinds(log.catalog().changesAfter(3, 10)),
            (std::vector<std::string>{"s-a:unarchived"}));
  EXPECT_FALSE(log.catalog().setArchived("s-none", true, 1));
}

TEST(SessionCatalog, DeleteRemovesTheLogRowsAndLeavesATombstone) {
  EventLog log(":memory:");
  log.append("s-a", {userMessage("m1", "secret plans")}, 1000);
  log.append("s-a", reply("r1", {"more ", "secret"}), 1000);
  log.append("s-b", {userMessage("m2", "keep me")}, 1000);
  ASSERT_TRUE(log.catalog().remove("s-a"));
  EXPECT_TRUE(log.eventsAfter("s-a", 0, 100).empty());
  EXPECT_FALSE(log.sessionExists("s-a"));
  EXPECT_TRUE(log.catalog().isDeleted("s-a"));
  EXPECT_TRUE(log.catalog().search("secret", 10).empty());
  auto changes = log.catalog().changesAfter(0, 10);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes.back().change, "deleted");
  EXPECT_EQ(changes.back().session.sessionId, "s-a");
  EXPECT_EQ(json::parse(encodeSessionChange(changes.back())),
            json::parse(R"({"type":"session.changed","changeSeq":)" +
                        std::to_string(changes.back().changeSeq) +
                        R"(,"change":"deleted","session":{"sessionId":"s-a"}})"));
  // A turn still ending after the delete does not bring the chat back.
  EXPECT_TRUE(log.append("s-a", {reply("r9", {}).back()}, 2000).empty());
  EXPECT_FALSE(log.sessionExists("s-a"));
  EXPECT_FALSE(log.catalog().remove("s-a"));
}

TEST(SessionCatalog, SearchFindsTitlesAndMessageTextAndPointsAtTheMessage) {
  EventLog log(":memory:");
  log.append("s-a", {userMessage("m1", "Where is the lighthouse?")}, 1000);
  log.append("s-a", reply("r1", {"The ", "lighthouse ", "stands ", "on the cliff."}), 1000);
  log.append("s-b", {userMessage("m2", "Banana bread recipe")}, 1000);

  auto hits = log.catalog().search("cliff", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].match, "message");
  EXPECT_EQ(hits[0].sessionId, "s-a");
  EXPECT_EQ(hits[0].role.value_or(""), "assistant");
  EXPECT_EQ(hits[0].messageId.value_or(""), "r1");
  EXPECT_EQ(hits[0].seq.value_or(0), 2);  // the reply's chat.stream.start
  EXPECT_NE(hits[0].snippet.value_or("").find("cliff"), std::string::npos);

  hits = log.catalog().search("banana", 10);  // the title first, then the message
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].match, "title");
  EXPECT_EQ(hits[1].match, "message");
  EXPECT_EQ(hits[1].messageId.value_or(""), "m2");
  EXPECT_EQ(hits[1].seq.value_or(0), 1);

  EXPECT_EQ(log.catalog().search("lightho", 10).size(), 3u);  // a prefix: title, user, reply
  // Operators and quotes are text, never an FTS5 syntax error.
  EXPECT_NO_THROW(log.catalog().search("\"unclosed AND OR NEAR( *", 10));
  EXPECT_TRUE(log.catalog().search("   ", 10).empty());
  EXPECT_EQ(SessionCatalog::ftsQuery("a \"b\" c"), "\"a\" \"b\" \"c\"*");
}

TEST(SessionCatalog, LastUserMessageIsTheOneARegenerateAnswers) {
  EventLog log(":memory:");
  EXPECT_FALSE(log.catalog().lastUserMessage("s-a"));
  log.append("s-a", {userMessage("m1", "first")}, 1000);
  log.append("s-a", reply("r1", {"x"}), 1000);
  log.append("s-a", {userMessage("m2", "second")}, 1000);
  auto last = log.catalog().lastUserMessage("s-a");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->messageId, "m2");
  EXPECT_EQ(last->content, "second");
  EXPECT_EQ(last->model, "demo-1");
}

TEST(SessionCatalog, AFileFromBeforeTheIndexHasItsMessagesIndexedOnOpen) {
  const std::string path = test_support::tempDbPath("catalog-backfill");
  {
    EventLog log(path);
    log.append("s-a", {userMessage("m1", "an old question about tides")}, 1000);
    log.append("s-a", reply("r1", {"Tides ", "follow ", "the moon."}), 1000);
  }
  {  // as an older build left it: no search index
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE message_search", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EventLog log(path);
  auto hits = log.catalog().search("moon", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].role.value_or(""), "assistant");
  EXPECT_EQ(hits[0].messageId.value_or(""), "r1");
  EXPECT_EQ(hits[0].seq.value_or(0), 2);
  EXPECT_NE(hits[0].snippet.value_or("").find("Tides follow the moon"), std::string::npos);
  hits = log.catalog().search("tides", 10);
  EXPECT_EQ(hits.size(), 3u);  // the title, the question and the reply
}
