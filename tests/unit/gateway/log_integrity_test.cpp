// Review finding 8: a database with corrupt pages is refused at start with a clear message
// (it used to start and fail here and there); a sound one opens as before.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gateway/event_log.h"
#include "gateway/log_integrity.h"
#include "gateway/util.h"

using namespace chat::gateway;

namespace {
std::string makeLog(int sessions, int eventsEach) {
  std::string path = ::testing::TempDir() + "/gw-integrity-" + randomHex(4) + ".db";
  EventLog log(path);
  for (int s = 0; s < sessions; ++s)
    for (int e = 0; e < eventsEach; ++e)
      log.append("s-" + std::to_string(s),
                 {{{"type", "chat.message"}, {"messageId", "m"}, {"role", "user"},
                   {"content", std::string(300, 'a' + e % 26)}, {"timestamp", 1}}},
                 1);
  return path;
}
void removeLog(const std::string& path) {
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}
}  // namespace

TEST(LogIntegrity, ASoundLogOpens) {
  std::string path = makeLog(5, 50);
  EXPECT_NO_THROW(EventLog log(path));
  removeLog(path);
}

TEST(LogIntegrity, ALogWithCorruptPagesIsRefusedWithAClearMessage) {
  std::string path = makeLog(20, 60);
  {
    // Four pages in the middle overwritten (the reviewer's damage).
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const long size = static_cast<long>(f.tellg());
    ASSERT_GT(size, 20 * 4096);
    for (int page = 8; page < 12; ++page) {
      f.seekp(page * 4096L + 16);
      std::string junk(3000, '\x5a');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  try {
    EventLog log(path);
    ADD_FAILURE() << "a corrupt log was opened";
  } catch (const EventLogError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("corrupt"), std::string::npos) << what;
    EXPECT_NE(what.find(".recover"), std::string::npos) << what;
  }
  removeLog(path);
}

TEST(LogIntegrity, TheCheckStopsAtItsBudget) {
  std::string path = makeLog(10, 100);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto r = checkIntegrity(db, std::chrono::milliseconds(0));
  EXPECT_EQ(r.kind, IntegrityResult::Kind::NotFinished);
  EXPECT_EQ(checkIntegrity(db, std::chrono::seconds(10)).kind, IntegrityResult::Kind::Ok);
  sqlite3_close(db);
  removeLog(path);
}
