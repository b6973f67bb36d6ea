// The session list against the real gateway: every client sees list changes as they happen
// (WebSocket watch and HTTP long-poll alike), catches up on what it missed after a reconnect,
// pages a list far over the frame limit without losing its connection, and manages chats
// (rename, archive, delete, search) through both transports.
#include <gtest/gtest.h>

#include <set>

#include "fixture.h"
#include "gateway/event_log.h"

namespace chat::itest {
namespace {

using SessionListTest = GatewayTest;
using nlohmann::json;

json chatSend(const std::string& id, const std::string& sessionId, const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

// A client watching the list from where a first page left it.
int64_t watchFromFirstPage(RawWs& ws, const std::string& id) {
  ws.send({{"type", "session.list"}, {"id", id + "-list"}, {"limit", 50}});
  auto page = ws.nextOfType("session.list", 5s, id + "-list");
  EXPECT_TRUE(page.has_value());
  int64_t from = page ? page->value("lastChange", int64_t{0}) : 0;
  ws.send({{"type", "session.watch"}, {"id", id}, {"afterChange", from}});
  EXPECT_TRUE(ws.nextOfType("ack", 5s, id).has_value());
  return from;
}

TEST_F(SessionListTest, AnotherClientsNewChatIsPushedWithinASecond) {
  ASSERT_TRUE(startGateway());
  RawWs watcher(loop), writer(loop);
  ASSERT_TRUE(watcher.open(gateway->wsUrl()) && watcher.authenticate("test"));
  ASSERT_TRUE(writer.open(gateway->wsUrl()) && writer.authenticate("test"));
  watchFromFirstPage(watcher, "w-1");

  const auto sent = std::chrono::steady_clock::now();
  writer.send(chatSend("c-1", "s-pushed", "hello from the other tab"));
  auto change = watcher.nextOfType("session.changed", 1s);
  ASSERT_TRUE(change.has_value()) << "no push within a second";
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 1s);
  EXPECT_EQ((*change)["change"], "created");
  EXPECT_EQ((*change)["session"]["sessionId"], "s-pushed");
  EXPECT_EQ((*change)["session"]["title"], "hello from the other tab");
}

TEST_F(SessionListTest, AReconnectingClientCatchesUpOnEveryChangeItMissedOnce) {
  ASSERT_TRUE(startGateway());
  RawWs writer(loop);
  ASSERT_TRUE(writer.open(gateway->wsUrl()) && writer.authenticate("test"));
  writer.send(chatSend("c-0", "s-old", "before"));
  ASSERT_TRUE(writer.nextOfType("chat.stream.end", 10s, "c-0").has_value());

  int64_t seen = 0;
  {
    RawWs first(loop);
    ASSERT_TRUE(first.open(gateway->wsUrl()) && first.authenticate("test"));
    seen = watchFromFirstPage(first, "w-1");
  }  // gone: what follows happens while it is away
  writer.send(chatSend("c-1", "s-new", "while you were away"));
  ASSERT_TRUE(writer.nextOfType("chat.stream.end", 10s, "c-1").has_value());
  writer.send({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", "s-old"}, {"title", "Renamed"}});
  ASSERT_TRUE(writer.nextOfType("ack", 5s, "n-1").has_value());

  RawWs back(loop);
  ASSERT_TRUE(back.open(gateway->wsUrl()) && back.authenticate("test"));
  back.send({{"type", "session.watch"}, {"id", "w-2"}, {"afterChange", seen}});
  std::map<std::string, json> latest;
  int64_t previous = seen;
  while (latest.size() < 2) {
    auto change = back.nextOfType("session.changed", 5s);
    ASSERT_TRUE(change.has_value());
    EXPECT_GT((*change)["changeSeq"].get<int64_t>(), previous);
    previous = (*change)["changeSeq"];
    latest[(*change)["session"]["sessionId"]] = *change;
  }
  EXPECT_EQ(latest["s-old"]["session"]["title"], "Renamed");
  EXPECT_EQ(latest["s-new"]["session"]["title"], "while you were away");
  // Then live: the next change comes as it happens, numbered after the catch-up.
  writer.send({{"type", "session.archive"}, {"id", "a-1"}, {"sessionId", "s-new"}, {"archived", true}});
  auto live = back.nextOfType("session.changed", 2s);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ((*live)["change"], "archived");
  EXPECT_GT((*live)["changeSeq"].get<int64_t>(), previous);
}

TEST_F(SessionListTest, HttpLongPollGetsListChangesAndManagesChats) {
  ASSERT_TRUE(startGateway());
  auto first = api().get("/sessions?limit=10");
  ASSERT_EQ(first.status, 200) << first.body;
  const int64_t from = first.json.value("lastChange", int64_t{0});

  RawWs writer(loop);
  ASSERT_TRUE(writer.open(gateway->wsUrl()) && writer.authenticate("test"));
  writer.send(chatSend("c-1", "s-http", "polled lighthouse"));
  auto changes = api().get("/session-changes?after=" + std::to_string(from) + "&waitMs=5000");
  ASSERT_EQ(changes.status, 200) << changes.body;
  ASSERT_FALSE(changes.json["changes"].empty());
  EXPECT_EQ(changes.json["changes"][0]["session"]["sessionId"], "s-http");
  EXPECT_GT(changes.json["lastChange"].get<int64_t>(), from);
  ASSERT_TRUE(writer.nextOfType("chat.stream.end", 10s, "c-1").has_value());

  auto renamed = api().post("/send", {{"type", "session.rename"}, {"id", "n-1"},
                                      {"sessionId", "s-http"}, {"title", "Over HTTP"}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  auto found = api().get("/search?q=lighthouse");
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_FALSE(found.json["results"].empty());
  EXPECT_EQ(found.json["results"][0]["sessionId"], "s-http");
  EXPECT_EQ(found.json["results"][0]["match"], "message");

  auto deleted = api().post("/send", {{"type", "session.delete"}, {"id", "d-1"}, {"sessionId", "s-http"}});
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(api().events("s-http").empty());
  auto list = api().get("/sessions");
  for (const auto& s : list.json["sessions"]) EXPECT_NE(s["sessionId"], "s-http");
  EXPECT_EQ(api().get("/sessions?cursor=nonsense").status, 400);
  EXPECT_EQ(api().get("/session-changes?after=x").status, 400);
}

TEST_F(SessionListTest, ThirteenThousandSessionsArePagedWithoutCuttingTheConnection) {
  TempDir dir;
  const std::string db = dir.file("many.db");
  {
    gateway::EventLog log(db);
    std::vector<gateway::AppendRequest> batch;
    const std::string longTitle(60, 'x');
    for (int i = 0; i < 13000; ++i) {
      gateway::AppendRequest r;
      r.sessionId = "s-" + std::to_string(100000 + i);
      r.events.push_back({{"type", "chat.message"}, {"messageId", "m-" + std::to_string(i)},
                          {"role", "user"}, {"content", longTitle + std::to_string(i)},
                          {"timestamp", 1}});
      batch.push_back(std::move(r));
    }
    log.appendBatch(batch, 1000);
  }
  GatewayOptions options;
  options.db = db;
  ASSERT_TRUE(startGateway(options));
  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()) && ws.authenticate("test"));
  std::set<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    json request = {{"type", "session.list"}, {"id", "l-" + std::to_string(pages)}, {"limit", 500}};
    if (cursor) request["cursor"] = *cursor;
    ws.send(request);
    auto page = ws.nextOfType("session.list", 10s, "l-" + std::to_string(pages));
    ASSERT_TRUE(page.has_value()) << "closed: " << ws.closeReason();
    for (const auto& s : (*page)["sessions"]) seen.insert(s["sessionId"].get<std::string>());
    cursor = page->contains("nextCursor") ? std::optional<std::string>((*page)["nextCursor"])
                                          : std::nullopt;
    ++pages;
  } while (cursor && pages < 100);
  EXPECT_EQ(seen.size(), 13000u);
  EXPECT_EQ(pages, 26);
  EXPECT_TRUE(ws.isOpen());
}

}  // namespace
}  // namespace chat::itest
