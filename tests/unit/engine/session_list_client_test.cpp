// The sidebar's list kept current by the ChatClient with fake transports: the first page,
// then the list feed (session.watch on the socket, GET /session-changes while polling) with
// created / retitled / updated / archived / deleted changes, catch-up after reconnects on
// either transport, paging, the management requests, and leaving a chat deleted elsewhere.
#include <string>
#include <vector>

#include "core/chat/session_list_intents.h"
#include "core/client/chat_client.h"
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

using client::ChatClient;

struct ListHarness {
  FakeClock clock;
  FakeRandom random = FakeRandom::seeded(11);
  FakeWebSocket ws;
  FakeHttp http{clock};
  FakeStorage storage;
  FakeGateway gateway{clock, ws, http};
  EngineConfig cfg = defaultConfig();
  std::unique_ptr<ChatClient> chat;

  ListHarness() {
    clock.advance(1'000'000);  // rows are "updated" at times before now
  }
  void settle() {
    for (int i = 0; i < 20; ++i) {
      chat->tick();
      gateway.pump();
    }
  }
  void run(int64_t ms) {
    for (int64_t t = 0; t < ms; t += 500) {
      clock.advance(500);
      settle();
    }
  }
  ChatClient& startLive() {
    chat = std::make_unique<ChatClient>(cfg, clock, random, ws, http, storage);
    chat->start();
    settle();
    EXPECT_EQ(chat->status().phase, Phase::Live);
    return *chat;
  }
  const core::SessionList& list() const { return chat->state().sessionList; }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const proto::SessionInfo& s : list()) out.push_back(s.sessionId);
    return out;
  }
  // The types of the frames the client sent on every socket, in order.
  std::vector<std::string> sentTypes() const {
    std::vector<std::string> out;
    for (const auto& socket : ws.sockets) {
      for (const std::string& f : socket.sent) out.push_back(nlohmann::json::parse(f)["type"]);
    }
    return out;
  }
  nlohmann::json lastSent(const std::string& type) const {
    nlohmann::json found;
    for (const auto& socket : ws.sockets) {
      for (const std::string& f : socket.sent) {
        nlohmann::json j = nlohmann::json::parse(f);
        if (j["type"] == type) found = j;
      }
    }
    return found;
  }
  // Takes the socket away so that only HTTP works.
  void socketGoesDown() {
    gateway.acceptSockets = false;
    gateway.dropSocket();
    settle();
  }
};

TEST(SessionListClient, ReadsTheFirstPageThenWatchesFromItsLastChange) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.gateway.listChange("created", FakeGateway::row("s-b", 200));
  h.startLive();
  EXPECT_TRUE(h.list().firstPageLoaded);
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-b", "s-a"}));
  ASSERT_EQ(h.gateway.watches, (std::vector<int64_t>{2}));
  EXPECT_EQ(h.list().lastChange, 2);
  const nlohmann::json page = h.lastSent("session.list");
  EXPECT_EQ(page["includeArchived"], true) << "archived chats come too (the sidebar filters)";
}

TEST(SessionListClient, EveryKindOfChangeReachesTheListWithoutAsking) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.startLive();
  const std::size_t listsAsked = h.gateway.applyCount.size();

  h.gateway.listChange("created", FakeGateway::row("s-new", 300));
  h.settle();
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-new", "s-a"})) << "a chat made in another tab";

  proto::SessionInfo renamed = FakeGateway::row("s-a", 100);
  renamed.title = "Trip plans";
  h.gateway.listChange("retitled", renamed);
  h.settle();
  EXPECT_EQ(h.list().find("s-a")->title, "Trip plans");

  h.gateway.listChange("updated", FakeGateway::row("s-a", 400));
  h.settle();
  EXPECT_EQ(h.ids().front(), "s-a") << "the chat with the newest message comes first";

  h.gateway.listChange("archived", FakeGateway::row("s-new", 300, true));
  h.settle();
  EXPECT_TRUE(h.list().find("s-new")->archived);
  h.gateway.listChange("unarchived", FakeGateway::row("s-new", 300, false));
  h.settle();
  EXPECT_FALSE(h.list().find("s-new")->archived);

  h.gateway.listChange("deleted", FakeGateway::row("s-new", 0));
  h.settle();
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-a"}));
  EXPECT_EQ(h.list().lastChange, h.gateway.lastChange());
  EXPECT_EQ(h.gateway.applyCount.size(), listsAsked) << "no request was needed for any of it";
}

TEST(SessionListClient, ANewChatSentFromThisTabShowsUpThroughTheFeed) {
  ListHarness h;
  h.startLive();
  EXPECT_TRUE(h.ids().empty());
  h.chat->send("hello");
  h.settle();
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-test"}));
}

TEST(SessionListClient, CatchesUpAfterASocketReconnectFromTheLastChangeSeen) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.startLive();
  h.gateway.listChange("created", FakeGateway::row("s-b", 200));
  h.settle();
  ASSERT_EQ(h.list().lastChange, 2);

  h.gateway.down = true;  // nothing reachable: the changes below are missed while away
  h.gateway.dropSocket();
  h.settle();
  h.gateway.listChange("created", FakeGateway::row("s-c", 300));
  h.gateway.listChange("deleted", FakeGateway::row("s-a", 0));
  h.gateway.down = false;
  h.run(40000);
  ASSERT_EQ(h.chat->status().phase, Phase::Live);
  EXPECT_EQ(h.gateway.watches.back(), 2) << "watched again from the last change applied";
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-c", "s-b"}));
  EXPECT_EQ(h.list().lastChange, 4);
}

TEST(SessionListClient, WhilePollingTheFeedIsLongPolledOverHttp) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.startLive();
  h.socketGoesDown();
  h.run(3000);
  ASSERT_TRUE(h.chat->status().polling);
  ASSERT_FALSE(h.gateway.changePolls.empty());
  EXPECT_EQ(h.gateway.changePolls.back(), 1);

  h.gateway.listChange("created", FakeGateway::row("s-b", 200));
  h.settle();
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-b", "s-a"})) << "pushed through the long poll";
  h.run(1000);
  EXPECT_EQ(h.gateway.changePolls.back(), 2) << "the next poll asks after the change applied";
}

TEST(SessionListClient, CatchesUpOverHttpFromTheLastChangeTheSocketDelivered) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.startLive();
  h.gateway.down = true;
  h.gateway.dropSocket();
  h.settle();
  h.gateway.listChange("retitled", proto::SessionInfo{"s-a", "renamed while away", 100, 100, 1, false});
  h.gateway.acceptSockets = false;  // the socket stays down; HTTP comes back
  h.gateway.down = false;
  h.run(40000);
  ASSERT_TRUE(h.chat->status().polling);
  EXPECT_EQ(h.gateway.changePolls.front(), 1);
  EXPECT_EQ(h.list().find("s-a")->title, "renamed while away");

  // The socket returns: the feed moves back to it, from where HTTP left off.
  h.gateway.acceptSockets = true;
  h.run(40000);
  ASSERT_EQ(h.chat->status().phase, Phase::Live);
  EXPECT_EQ(h.gateway.watches.back(), 2);
  EXPECT_EQ(h.http.count("/session-changes"), 0u) << "no long poll left running";
}

TEST(SessionListClient, TheFirstPageComesOverHttpWhenTheSocketNeverDoes) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.gateway.acceptSockets = false;
  h.chat = std::make_unique<ChatClient>(h.cfg, h.clock, h.random, h.ws, h.http, h.storage);
  h.chat->start();
  h.run(40000);
  EXPECT_TRUE(h.list().firstPageLoaded);
  EXPECT_EQ(h.ids(), (std::vector<std::string>{"s-a"}));
}

TEST(SessionListClient, PagesMoveOnWithTheCursorUntilTheEnd) {
  ListHarness h;
  for (int i = 0; i < 120; ++i) {
    h.gateway.listChange("created", FakeGateway::row("s-" + std::to_string(1000 + i), 1000 + i));
  }
  h.startLive();
  EXPECT_EQ(h.list().size(), core::kSessionPageSize);
  EXPECT_FALSE(h.list().complete());
  EXPECT_NE(h.chat->loadMoreSessions(), "");
  EXPECT_EQ(h.chat->loadMoreSessions(), "") << "one page at a time";
  h.settle();
  EXPECT_EQ(h.list().size(), 2 * core::kSessionPageSize);
  EXPECT_NE(h.chat->loadMoreSessions(), "");
  h.settle();
  EXPECT_EQ(h.list().size(), 120u);
  EXPECT_TRUE(h.list().complete());
  EXPECT_EQ(h.chat->loadMoreSessions(), "") << "nothing more to read";
  EXPECT_EQ(h.ids().front(), "s-1119");
  EXPECT_EQ(h.ids().back(), "s-1000");
}

TEST(SessionListClient, MoreAskedForWhileNothingIsReachableGoesOnceItIs) {
  ListHarness h;
  for (int i = 0; i < 60; ++i) {
    h.gateway.listChange("created", FakeGateway::row("s-" + std::to_string(1000 + i), 1000 + i));
  }
  h.startLive();
  ASSERT_EQ(h.list().size(), core::kSessionPageSize);
  h.gateway.down = true;
  h.gateway.dropSocket();
  h.settle();
  const uint64_t before = h.chat->version();
  EXPECT_NE(h.chat->loadMoreSessions(), "") << "asked for: it goes when it can";
  EXPECT_EQ(h.chat->loadMoreSessions(), "") << "the sidebar asking again on its next frame changes nothing";
  EXPECT_EQ(h.chat->version(), before + 1) << "no redraw per ask";
  h.gateway.down = false;
  h.run(40000);
  EXPECT_EQ(h.list().size(), 60u);
  EXPECT_TRUE(h.list().complete());
}

TEST(SessionListClient, ManagementRequestsSayWhatTheUserDid) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-a", 100));
  h.startLive();
  ASSERT_NE(h.chat->renameSession("s-a", "Trip plans"), "");
  h.settle();
  EXPECT_EQ(h.lastSent("session.rename")["title"], "Trip plans");
  EXPECT_EQ(h.list().find("s-a")->title, "Trip plans") << "the rename comes back as a change";

  ASSERT_NE(h.chat->archiveSession("s-a", true), "");
  h.settle();
  EXPECT_TRUE(h.list().find("s-a")->archived);
  ASSERT_NE(h.chat->archiveSession("s-a", false), "");
  h.settle();
  EXPECT_FALSE(h.list().find("s-a")->archived);

  ASSERT_NE(h.chat->deleteSession("s-a"), "");
  h.settle();
  EXPECT_TRUE(h.ids().empty());

  EXPECT_EQ(h.chat->renameSession("s-a", "   "), "") << "an empty title is refused";
  EXPECT_NE(h.chat->state().errorText(), "");
}

TEST(SessionListClient, SearchKeepsOnlyTheAnswerToTheLatestQuery) {
  ListHarness h;
  h.startLive();
  const std::string first = h.chat->searchSessions("light");
  const std::string second = h.chat->searchSessions("lighthouse");
  ASSERT_NE(first, "");
  ASSERT_NE(second, "");
  EXPECT_EQ(h.lastSent("session.search")["query"], "lighthouse");
  EXPECT_EQ(h.chat->state().sessionSearch.pendingId, second);
  h.chat->clearSessionSearch();
  EXPECT_TRUE(h.chat->state().sessionSearch.query.empty());
  EXPECT_TRUE(h.chat->state().sessionSearch.pendingId.empty());
}

TEST(SessionListClient, DeletingTheChatOnScreenElsewhereMovesToTheNextOne) {
  ListHarness h;
  h.gateway.listChange("created", FakeGateway::row("s-other", 100));
  h.gateway.listChange("created", FakeGateway::row("s-test", 200));
  h.startLive();
  ASSERT_EQ(h.chat->state().currentSessionId, "s-test");
  h.gateway.listChange("deleted", FakeGateway::row("s-test", 0));
  h.settle();
  EXPECT_EQ(h.chat->state().currentSessionId, "s-other");
  EXPECT_EQ(h.gateway.resumes.back().rfind("s-other@", 0), 0u) << "and it is resumed";
  EXPECT_EQ(h.chat->state().sessions.count("s-test"), 0u);

  // The last chat deleted too: a new, empty chat.
  h.gateway.listChange("deleted", FakeGateway::row("s-other", 0));
  h.settle();
  EXPECT_NE(h.chat->state().currentSessionId, "s-other");
  EXPECT_FALSE(h.chat->state().currentSessionId.empty());
}

TEST(SessionListClient, RegenerateAndEditAnswerTheLastUserMessageAgain) {
  ListHarness h;
  h.startLive();
  const std::string sent = h.chat->send("first question");
  h.settle();
  h.gateway.runAgentToEnd();
  h.settle();

  const std::string regen = h.chat->regenerate();
  ASSERT_NE(regen, "");
  h.settle();
  const nlohmann::json r = h.lastSent("chat.regenerate");
  EXPECT_EQ(r["sessionId"], "s-test");

  const std::string edit = h.chat->editLastMessage(sent, "second question");
  ASSERT_NE(edit, "");
  const nlohmann::json e = h.lastSent("chat.edit");
  EXPECT_EQ(e["messageId"], sent);
  EXPECT_EQ(e["content"], "second question");
  const core::SessionState& s = h.chat->state().sessions.at("s-test");
  int userMessages = 0;
  for (const core::Message& m : s.messages) userMessages += m.role == core::Role::User ? 1 : 0;
  EXPECT_EQ(userMessages, 2) << "the original stays, the edit shows at once";
}

}  // namespace
}  // namespace chat::testing
