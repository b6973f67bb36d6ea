// RedisSessionList (redis/redis_session_list.h) against a private redis-server, fed by the
// RedisEventStore's append script: pages with their cursor, archived chats left out, the change
// feed's kinds, a delete that drops later appends, the last user message and its model, and
// search over messages and replies with snippets.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_event_store.h"
#include "gateway/redis/redis_session_list.h"
#include "redis_server.h"
#include "redis_test_support.h"

namespace chat::itest {
namespace {

using namespace gateway;
using namespace gateway::redis;

struct Fixture {
  Fixture() {
    EXPECT_EQ(server.start(), "");
    RedisEventStoreOptions o;
    o.nodeId = "t";
    o.client = quickOptions("store");
    store = std::make_unique<RedisEventStore>(endpointOf(server), o);
    blocking = std::make_unique<RedisBlocking>(endpointOf(server), quickOptions("blocking"));
    list = std::make_unique<RedisSessionList>(ioc, *blocking, endpointOf(server), RedisKeys{},
                                              quickOptions("list"));
  }
  // One append of `events` to `sid` at `now`; returns how many events were stored.
  std::size_t append(const std::string& sid, std::vector<proto::GatewayMessage> events, int64_t now) {
    std::vector<AppendRequest> batch;
    batch.push_back(AppendRequest{sid, std::move(events), std::nullopt, std::nullopt, true});
    return store->appendBatchConsuming(batch, now)[0].size();
  }
  std::size_t say(const std::string& sid, const std::string& id, const std::string& text, int64_t now) {
    return append(sid, {proto::ChatMessageEvent{"", 0, id, "user", text, now, std::nullopt}}, now);
  }

  RedisServer server;
  boost::asio::io_context ioc;  // the list channel's listener (not run: the reads are tested)
  std::unique_ptr<RedisEventStore> store;
  std::unique_ptr<RedisBlocking> blocking;
  std::unique_ptr<RedisSessionList> list;
};

std::vector<std::string> idsOf(const SessionPage& page) {
  std::vector<std::string> ids;
  for (const auto& s : page.sessions) ids.push_back(s.sessionId);
  return ids;
}

TEST(RedisSessionList, PagesWithACursorLeaveArchivedChatsOutAndNumberEveryChange) {
  Fixture f;
  for (int i = 1; i <= 5; ++i) f.say("s" + std::to_string(i), "m" + std::to_string(i), "chat " + std::to_string(i), i * 100);
  EXPECT_EQ(f.list->lastChange(), 5);

  SessionPage first = f.list->listPage(std::nullopt, 2, false);
  EXPECT_EQ(idsOf(first), (std::vector<std::string>{"s5", "s4"}));
  ASSERT_TRUE(first.nextCursor.has_value());
  EXPECT_EQ(*first.nextCursor, "400:s4");
  EXPECT_EQ(first.lastChange, 5);
  SessionPage second = f.list->listPage(first.nextCursor, 2, false);
  EXPECT_EQ(idsOf(second), (std::vector<std::string>{"s3", "s2"}));
  SessionPage last = f.list->listPage(second.nextCursor, 2, false);
  EXPECT_EQ(idsOf(last), (std::vector<std::string>{"s1"}));
  EXPECT_FALSE(last.nextCursor.has_value());
  EXPECT_EQ(last.sessions[0].title, "chat 1");
  EXPECT_EQ(last.sessions[0].lastSeq, 2);  // session.created + the message
  EXPECT_THROW(f.list->listPage(std::string("nonsense"), 2, false), std::invalid_argument);

  // Archive s3: out of the list, in it with includeArchived; a change each.
  ASSERT_TRUE(f.list->setArchived("s3", true, 600));
  EXPECT_FALSE(f.list->setArchived("nope", true, 600));
  EXPECT_EQ(idsOf(f.list->listPage(std::nullopt, 10, false)), (std::vector<std::string>{"s5", "s4", "s2", "s1"}));
  SessionPage all = f.list->listPage(std::nullopt, 10, true);
  ASSERT_EQ(all.sessions.size(), 5u);
  EXPECT_TRUE(all.sessions[2].archived);

  ASSERT_TRUE(f.list->rename("s1", "Renamed", 700));
  // A streamed delta alone is not a list change; a reply's end is.
  const int64_t before = f.list->lastChange();
  f.append("s2", {proto::StreamStart{"", 0, "r", "demo", std::nullopt}}, 710);
  f.append("s2", {proto::StreamDelta{"", 0, "r", "words"}}, 720);
  EXPECT_EQ(f.list->lastChange(), before + 1) << "the start changed the list, the delta not";

  auto changes = f.list->changesAfter(5, 10);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].change, "archived");
  EXPECT_EQ(changes[0].session.sessionId, "s3");
  EXPECT_EQ(changes[1].change, "retitled");
  EXPECT_EQ(changes[1].session.title, "Renamed");
  EXPECT_EQ(changes[1].session.updatedAt, 700);
  EXPECT_EQ(changes[2].change, "updated");
  EXPECT_EQ(changes[2].session.sessionId, "s2");
  EXPECT_EQ(f.list->changesAfter(0, 10).front().change, "created");  // s4, never changed since
}

TEST(RedisSessionList, ADeletedChatIsATombstoneThatTakesNoMoreEvents) {
  Fixture f;
  f.say("s1", "m1", "to be deleted", 100);
  f.append("s1", {proto::StreamStart{"", 0, "r1", "model-x", std::nullopt}}, 110);
  auto last = f.list->lastUserMessage("s1");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->messageId, "m1");
  EXPECT_EQ(last->content, "to be deleted");
  EXPECT_EQ(last->model, "model-x");
  EXPECT_FALSE(f.list->lastUserMessage("nope").has_value());

  EXPECT_FALSE(f.list->isDeleted("s1"));
  ASSERT_TRUE(f.list->remove("s1"));
  EXPECT_TRUE(f.list->isDeleted("s1"));
  EXPECT_FALSE(f.list->remove("s1")) << "deleted once";
  EXPECT_FALSE(f.list->rename("s1", "x", 1));
  EXPECT_TRUE(f.store->eventsAfter("s1", 0, 100).empty());
  EXPECT_EQ(f.store->lastSeq("s1"), 0);
  EXPECT_EQ(f.say("s1", "m2", "after the delete", 200), 0u) << "dropped, as the SQLite log drops it";
  EXPECT_TRUE(f.store->eventsAfter("s1", 0, 100).empty());
  EXPECT_TRUE(f.list->listPage(std::nullopt, 10, true).sessions.empty());
  auto changes = f.list->changesAfter(0, 10);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].change, "deleted");
  EXPECT_EQ(changes[0].session.sessionId, "s1");
  EXPECT_TRUE(f.list->search("deleted", 10).empty());
}

TEST(RedisSessionList, SearchFindsTitlesThenMessagesAndRepliesWithSnippets) {
  Fixture f;
  f.say("s1", "m1", "Where is the lighthouse", 100);
  f.say("s2", "m2", "A question about tides", 200);
  proto::StreamEnd end;
  end.requestId = "r2";
  end.stopReason = "end";
  f.append("s2", {proto::StreamStart{"", 0, "r2", "demo", std::nullopt},
                  proto::StreamDelta{"", 0, "r2", "The old Lighthouse "}}, 210);
  f.append("s2", {proto::StreamDelta{"", 0, "r2", "keeper knows the tides well."}, end}, 220);

  auto hits = f.list->search("  lighthouse  ", 10);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].match, "title");
  EXPECT_EQ(hits[0].sessionId, "s1");
  // Messages: the most recently updated chat first.
  EXPECT_EQ(hits[1].match, "message");
  EXPECT_EQ(hits[1].sessionId, "s2");
  EXPECT_EQ(hits[1].role, "assistant");
  EXPECT_EQ(hits[1].messageId, "r2");
  EXPECT_EQ(hits[1].seq, 3);  // at its chat.stream.start (after session.created, the message)
  EXPECT_EQ(hits[1].snippet, "The old Lighthouse keeper knows the tides well.");
  EXPECT_EQ(hits[2].sessionId, "s1");
  EXPECT_EQ(hits[2].role, "user");
  EXPECT_EQ(hits[2].messageId, "m1");
  EXPECT_EQ(hits[2].seq, 2);
  // Every word must match; quotes are text; nothing for blanks.
  EXPECT_EQ(f.list->search("keeper tides", 10).size(), 1u);
  EXPECT_TRUE(f.list->search("keeper \"zebra\"", 10).empty());
  EXPECT_TRUE(f.list->search("   ", 10).empty());
  EXPECT_EQ(f.list->search("lighthouse", 1).size(), 1u);
}

}  // namespace
}  // namespace chat::itest
