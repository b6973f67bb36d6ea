// The session-list messages through the session manager, on a real core and log (demo delay
// 0, io_context polled): push of list changes, paging, rename, archive, delete, search,
// regenerate / retry and edit, dedup of resends, and bad input answered with error values.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/session_catalog.h"
#include "gateway/session_manager.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
namespace proto = chat::proto;
using nlohmann::json;

namespace {

// Records what the list channel publishes.
class ListWatcher : public EventSubscriber {
 public:
  void onSessionEvent(const std::string&, int64_t seq,
                      const std::shared_ptr<const std::string>& frame) override {
    seqs.push_back(seq);
    frames.push_back(json::parse(*frame));
  }
  std::vector<int64_t> seqs;
  std::vector<json> frames;
};

class ManagerTest : public ::testing::Test {
 protected:
  ManagerTest() : log_(":memory:"), core_(ioc_, log_, hub_, 0), manager_(core_, hub_) {
    hub_.subscribe(SessionManager::kListChannel, &watcher_);
  }
  ~ManagerTest() override { hub_.unsubscribeAll(&watcher_); }

  void settle() { test_support::settle(ioc_); }
  // Sends `frame` (a JSON object) through the manager and settles; the answer's frames.
  GatewayCore::Result request(const json& frame) {
    auto out = std::make_shared<std::optional<GatewayCore::Result>>();
    auto decoded = proto::decodeClientMessage(std::string_view(frame.dump()));
    if (!decoded) return decodeError(decoded.error());
    bool handled = manager_.handle(decoded.value(), [out](GatewayCore::Result r) { *out = r; });
    EXPECT_TRUE(handled);
    settle();
    EXPECT_TRUE(out->has_value());
    return out->value_or(GatewayCore::Result{});
  }
  // What the transports answer a frame the codec refuses.
  static GatewayCore::Result decodeError(const proto::DecodeError& e) {
    GatewayCore::Result r;
    r.frames.push_back(encodeError(std::nullopt, e.code, e.message));
    r.isError = true;
    r.errorCode = e.code;
    return r;
  }
  void chat(const std::string& id, const std::string& session, const std::string& text) {
    ASSERT_FALSE(core_.handle(test_support::send(id, session, text)).isError);
    settle();
  }
  std::vector<json> events(const std::string& sessionId) {
    std::vector<json> out;
    for (const auto& e : log_.eventsAfter(sessionId, 0, 100000)) out.push_back(json::parse(e.json));
    return out;
  }
  static int count(const std::vector<json>& events, const std::string& type) {
    int n = 0;
    for (const auto& e : events) n += e["type"] == type;
    return n;
  }

  boost::asio::io_context ioc_;
  EventLog log_;
  Hub hub_;
  GatewayCore core_;
  SessionManager manager_;
  ListWatcher watcher_;
};

}  // namespace

TEST_F(ManagerTest, ListChangesArePushedAfterTheirCommitInOrder) {
  chat("c-1", "s-1", "hello");
  ASSERT_FALSE(watcher_.frames.empty());
  EXPECT_EQ(watcher_.frames.front()["type"], "session.changed");
  EXPECT_EQ(watcher_.frames.front()["change"], "created");
  EXPECT_EQ(watcher_.frames.front()["session"]["sessionId"], "s-1");
  EXPECT_EQ(watcher_.frames.front()["session"]["title"], "hello");
  for (std::size_t i = 1; i < watcher_.seqs.size(); ++i)
    EXPECT_GT(watcher_.seqs[i], watcher_.seqs[i - 1]);
  EXPECT_EQ(watcher_.seqs.back(), log_.catalog().lastChange());
  EXPECT_EQ(manager_.lastPublished(), log_.catalog().lastChange());
  // The last push carries the reply's end: lastSeq is the session's.
  EXPECT_EQ(watcher_.frames.back()["session"]["lastSeq"], log_.lastSeq("s-1"));
}

TEST_F(ManagerTest, WatchAsksTheTransportToReplayTheFeedFromTheGivenChange) {
  auto r = request({{"type", "session.watch"}, {"id", "w-1"}, {"afterChange", 7}});
  ASSERT_FALSE(r.isError);
  EXPECT_EQ(json::parse(r.frames.front()), json::parse(R"({"type":"ack","requestId":"w-1"})"));
  EXPECT_EQ(r.sessionId, SessionManager::kListChannel);
  EXPECT_EQ(r.fromSeq, 7);
}

TEST_F(ManagerTest, ListPagesCarryACursorAndTheFeedPosition) {
  for (int i = 0; i < 5; ++i) chat("c-" + std::to_string(i), "s-" + std::to_string(i), "hi");
  auto r = request({{"type", "session.list"}, {"id", "l-1"}, {"limit", 3}});
  ASSERT_EQ(r.frames.size(), 2u);
  auto page = json::parse(r.frames[1]);
  EXPECT_EQ(page["requestId"], "l-1");
  EXPECT_EQ(page["sessions"].size(), 3u);
  EXPECT_EQ(page["lastChange"], log_.catalog().lastChange());
  ASSERT_TRUE(page.contains("nextCursor"));
  auto next = json::parse(request({{"type", "session.list"},
                                   {"id", "l-2"},
                                   {"limit", 3},
                                   {"cursor", page["nextCursor"]}})
                              .frames[1]);
  EXPECT_EQ(next["sessions"].size(), 2u);
  EXPECT_FALSE(next.contains("nextCursor"));
  auto bad = request({{"type", "session.list"}, {"id", "l-3"}, {"cursor", "zzz"}});
  EXPECT_TRUE(bad.isError);
  EXPECT_EQ(bad.errorCode, "bad_request");
}

TEST_F(ManagerTest, RenameArchiveAreAckedPushedAndAppliedOnce) {
  chat("c-1", "s-1", "hello");
  watcher_.frames.clear();
  auto r = request({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", "s-1"},
                    {"title", "Trip\nplans"}});
  ASSERT_FALSE(r.isError);
  ASSERT_EQ(watcher_.frames.size(), 1u);
  EXPECT_EQ(watcher_.frames[0]["change"], "retitled");
  EXPECT_EQ(watcher_.frames[0]["session"]["title"], "Trip plans");
  // A resend of the same id: the same ack, no second change.
  EXPECT_FALSE(request({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", "s-1"},
                        {"title", "Trip\nplans"}})
                   .isError);
  EXPECT_EQ(watcher_.frames.size(), 1u);
  // The same id for another title is not a resend: conflict, nothing applied.
  EXPECT_EQ(request({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", "s-1"},
                     {"title", "Other"}})
                .errorCode,
            "conflict");
  EXPECT_EQ(watcher_.frames.size(), 1u);

  ASSERT_FALSE(request({{"type", "session.archive"}, {"id", "a-1"}, {"sessionId", "s-1"},
                        {"archived", true}})
                   .isError);
  EXPECT_EQ(watcher_.frames.back()["change"], "archived");
  EXPECT_EQ(watcher_.frames.back()["session"]["archived"], true);
  auto missing = request({{"type", "session.archive"}, {"id", "a-2"}, {"sessionId", "s-x"}});
  EXPECT_EQ(missing.errorCode, "not_found");
}

TEST_F(ManagerTest, DeleteStopsTheRunningTurnAndTheChatStaysGone) {
  ASSERT_FALSE(core_.handle(test_support::send("c-1", "s-1", "/long 200")).isError);
  ioc_.restart();
  ioc_.poll_one();  // the turn has started, not finished
  watcher_.frames.clear();
  ASSERT_FALSE(request({{"type", "session.delete"}, {"id", "d-1"}, {"sessionId", "s-1"}}).isError);
  settle();
  EXPECT_FALSE(log_.sessionExists("s-1"));
  EXPECT_TRUE(log_.eventsAfter("s-1", 0, 10).empty());
  EXPECT_EQ(core_.agent().runningTurns(), 0u);
  ASSERT_FALSE(watcher_.frames.empty());
  EXPECT_EQ(watcher_.frames.back()["change"], "deleted");
  // A tab that still shows it cannot write into it again.
  auto r = core_.handle(test_support::send("c-2", "s-1", "hello?"));
  EXPECT_TRUE(r.isError);
  EXPECT_EQ(r.errorCode, "not_found");
  // A resend of the delete is answered like the first.
  EXPECT_FALSE(request({{"type", "session.delete"}, {"id", "d-1"}, {"sessionId", "s-1"}}).isError);
}

TEST_F(ManagerTest, SearchAnswersWithHitsThatPointAtTheMessage) {
  chat("c-1", "s-1", "tell me about the lighthouse");
  auto r = request({{"type", "session.search"}, {"id", "q-1"}, {"query", "lighthouse"}});
  ASSERT_FALSE(r.isError);
  auto results = json::parse(r.frames[1]);
  EXPECT_EQ(results["type"], "session.search");
  ASSERT_GE(results["results"].size(), 2u);  // the title, the user message (and the reply)
  EXPECT_EQ(results["results"][0]["match"], "title");
  EXPECT_EQ(results["results"][1]["match"], "message");
  EXPECT_EQ(results["results"][1]["sessionId"], "s-1");
  EXPECT_TRUE(results["results"][1].contains("seq"));
}

TEST_F(ManagerTest, RegenerateAddsAVariantWithoutRewritingAnything) {
  chat("c-1", "s-1", "hello");
  auto before = events("s-1");
  auto r = request({{"type", "chat.regenerate"}, {"id", "g-1"}, {"sessionId", "s-1"}});
  ASSERT_FALSE(r.isError);
  settle();
  auto after = events("s-1");
  ASSERT_GT(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i], before[i]);  // untouched
  EXPECT_EQ(count(after, "chat.message"), 1);  // no second user message
  EXPECT_EQ(count(after, "chat.stream.start"), 2);
  EXPECT_EQ(count(after, "chat.stream.end"), 2);
  EXPECT_EQ(after.back()["requestId"], "g-1");
  // Resend: the same ack, no third reply.
  EXPECT_FALSE(request({{"type", "chat.regenerate"}, {"id", "g-1"}, {"sessionId", "s-1"}}).isError);
  settle();
  EXPECT_EQ(count(events("s-1"), "chat.stream.start"), 2);
  auto none = request({{"type", "chat.regenerate"}, {"id", "g-2"}, {"sessionId", "s-new"}});
  EXPECT_EQ(none.errorCode, "not_found");
}

TEST_F(ManagerTest, RetryAfterAnInterruptedReplyAnswersTheSameMessage) {
  chat("c-1", "s-1", "hello");
  // A reply cut by a restart ends with an error; a retry runs the turn again.
  chat::proto::StreamEnd end;
  end.requestId = "c-2";
  end.stopReason = "error";
  log_.append("s-1",
              {chat::proto::ChatMessageEvent{"", 0, "c-2", "user", "again please", 1, {}},
               chat::proto::StreamStart{"", 0, "c-2", "demo", {}}, end},
              1);
  ASSERT_FALSE(request({{"type", "chat.regenerate"}, {"id", "g-1"}, {"sessionId", "s-1"}}).isError);
  settle();
  auto all = events("s-1");
  EXPECT_EQ(all.back()["type"], "chat.stream.end");
  EXPECT_EQ(all.back()["requestId"], "g-1");
  EXPECT_EQ(all.back()["stopReason"], "end");
  bool quoted = false;
  for (const auto& e : all)
    if (e["type"] == "chat.stream.delta" && e["requestId"] == "g-1")
      quoted = quoted || e["delta"].get<std::string>().find("again") != std::string::npos;
  EXPECT_TRUE(quoted);  // the demo agent quotes the prompt it answered
}

TEST_F(ManagerTest, EditSendsANewVersionOfTheLastUserMessage) {
  chat("c-1", "s-1", "hello");
  chat("c-2", "s-1", "typo hre");
  auto old = request({{"type", "chat.edit"}, {"id", "e-0"}, {"sessionId", "s-1"},
                      {"messageId", "c-1"}, {"content", "x"}});
  EXPECT_EQ(old.errorCode, "conflict");  // only the last one
  ASSERT_FALSE(request({{"type", "chat.edit"}, {"id", "e-1"}, {"sessionId", "s-1"},
                        {"messageId", "c-2"}, {"content", "typo here"}})
                   .isError);
  settle();
  auto all = events("s-1");
  EXPECT_EQ(count(all, "chat.message"), 3);  // the original stays
  json edited;
  for (const auto& e : all)
    if (e["type"] == "chat.message" && e["messageId"] == "e-1") edited = e;
  EXPECT_EQ(edited["edits"], "c-2");
  EXPECT_EQ(edited["content"], "typo here");
  EXPECT_EQ(all.back()["type"], "chat.stream.end");
  EXPECT_EQ(all.back()["requestId"], "e-1");
}

TEST_F(ManagerTest, RegenerateWhileAReplyStreamsIsAConflict) {
  chat("c-1", "s-1", "hello");
  ASSERT_FALSE(core_.handle(test_support::send("c-2", "s-1", "/long 500")).isError);
  ioc_.restart();
  ioc_.poll_one();
  auto out = std::make_shared<std::optional<GatewayCore::Result>>();
  ASSERT_TRUE(manager_.handle(proto::ChatRegenerate{"g-2", "s-1"},
                              [out](GatewayCore::Result res) { *out = res; }));
  ASSERT_TRUE(out->has_value());  // answered at once, before anything settles
  EXPECT_EQ((*out)->errorCode, "conflict");
}

TEST_F(ManagerTest, BadFieldsAreBadRequestsAndOtherFramesAreNotTaken) {
  auto r = request({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", "bad id!"},
                    {"title", "x"}});
  EXPECT_EQ(r.errorCode, "bad_request");
  EXPECT_NE(json::parse(r.frames.back())["message"].get<std::string>().find("sessionId"),
            std::string::npos);
  r = request({{"type", "session.search"}, {"id", "q-1"}, {"query", 5}});
  EXPECT_EQ(r.errorCode, "bad_request");
  r = request({{"type", "session.list"}, {"id", "l-1"}, {"limit", 100000}});
  EXPECT_EQ(r.errorCode, "bad_request");
  r = request({{"type", "session.rename"}, {"id", "n-2"}, {"sessionId", "s-1"},
               {"title", std::string(proto::rule::kMaxTitleBytes + 1, 'x')}});
  EXPECT_TRUE(r.isError);
  proto::ChatSend send;
  send.id = "x";
  send.content = "session.list";
  EXPECT_FALSE(manager_.handle(send, [](GatewayCore::Result) {}));
  EXPECT_FALSE(manager_.handle(proto::Ping{"p-1"}, [](GatewayCore::Result) {}));
}
