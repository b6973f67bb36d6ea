// Review finding 8, second half, end to end: a WebSocket replay that hits a damaged page of the
// event log says so with an error event and keeps the connection. Before, the connection was
// dropped after the frames that could be read, so the client reconnected and hit the same page
// forever.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "fixture.h"
#include "raw_ws.h"

namespace chat::itest {
namespace {

using HardeningReplayTest = GatewayTest;
using nlohmann::json;
using namespace std::chrono_literals;

// The leaf pages of the events table, in key order (dbstat walks the b-tree in order).
std::vector<int64_t> eventLeafPages(const std::string& path, int64_t* pageSize) {
  std::vector<int64_t> pages;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return pages;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    *pageSize = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  if (sqlite3_prepare_v2(db, "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'",
                         -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) pages.push_back(sqlite3_column_int64(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return pages;
}

// Another connection writes, so every connection of the gateway rereads pages from the file
// instead of trusting what it cached before the damage.
void touchFromAnotherConnection(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS test_touch(x); INSERT INTO test_touch VALUES(1)",
               nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

TEST_F(HardeningReplayTest, AReplayThatHitsADamagedPageSaysSoAndKeepsTheConnection) {
  TempDir dir;
  GatewayOptions options;
  options.db = dir.file("chat.db");
  options.demoDelayMs = 0;
  ASSERT_TRUE(startGateway(options));
  {
    RawWs ws(loop);
    ASSERT_TRUE(ws.open(gateway->wsUrl()));
    ASSERT_TRUE(ws.authenticate("test"));
    ws.send({{"type", "chat.send"}, {"id", "c-long"}, {"sessionId", "s-damaged"},
             {"content", "/long 4000"}});
    auto end = ws.nextOfType("chat.stream.end", 60s, "c-long");
    ASSERT_TRUE(end.has_value());
  }
  gateway->stop(SIGTERM);
  ASSERT_TRUE(startGateway(options));  // still whole: the start's integrity check passes

  int64_t pageSize = 0;
  const auto leaves = eventLeafPages(options.db, &pageSize);
  ASSERT_GT(leaves.size(), 20u);
  ASSERT_GT(pageSize, 0);
  // Damage the second half of the session's events: the first half replays, then a read fails.
  std::FILE* f = std::fopen(options.db.c_str(), "r+b");
  ASSERT_NE(f, nullptr);
  const std::string garbage(static_cast<std::size_t>(pageSize), '\xA5');
  for (std::size_t i = leaves.size() / 2; i < leaves.size(); ++i) {
    std::fseek(f, static_cast<long>((leaves[i] - 1) * pageSize), SEEK_SET);
    std::fwrite(garbage.data(), 1, garbage.size(), f);
  }
  std::fclose(f);
  touchFromAnotherConnection(options.db);

  RawWs ws(loop);
  ASSERT_TRUE(ws.open(gateway->wsUrl()));
  ASSERT_TRUE(ws.authenticate("test"));
  ws.send({{"type", "session.resume"}, {"id", "c-resume"}, {"sessionId", "s-damaged"},
           {"lastSeq", 0}});
  std::optional<json> error;
  int64_t lastSeq = 0;
  while (auto frame = ws.next(10s)) {
    if ((*frame)["type"] == "error" && !frame->contains("requestId")) {
      error = frame;
      break;
    }
    if (frame->contains("seq") && (*frame)["sessionId"] == "s-damaged")
      lastSeq = (*frame)["seq"].get<int64_t>();
  }
  ASSERT_TRUE(error.has_value()) << "no error event; replayed up to seq " << lastSeq
                                 << "; closed=" << ws.closed() << " code " << ws.closeCode();
  EXPECT_EQ((*error)["code"], "internal");
  EXPECT_NE((*error)["message"].get<std::string>().find("s-damaged"), std::string::npos);
  EXPECT_GT(lastSeq, 0);     // the readable part was replayed first
  EXPECT_LT(lastSeq, 4000);  // and the damaged part was not
  // The connection is kept: the client is told, not disconnected into a reconnect loop.
  ws.send({{"type", "ping"}, {"id", "c-ping"}});
  EXPECT_TRUE(ws.nextOfType("pong", 5s, "c-ping").has_value());
  EXPECT_FALSE(ws.closed());
}

}  // namespace
}  // namespace chat::itest
