// The sidebar on the session list: date groups, the row menu (rename, archive, delete with a
// confirmation), "Show archived", paging near the end, search results; and the last
// exchange's bar (Regenerate / Retry / Edit).
#include "ui/session_actions.h"
#include "ui/sidebar.h"
#include "ui_fixture.h"

namespace chat::ui::test {
namespace {

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

class SidebarTest : public ViewTest {
 protected:
  // A loaded list with these rows (newest first), read at change 1.
  void rows(std::vector<proto::SessionInfo> infos, std::optional<std::string> cursor = std::nullopt) {
    state.sessionList = core::SessionList{};
    state.sessionList.pendingPageId = "p";
    core::applyListPage(state.sessionList, core::ListPage{"p", std::move(infos), 1, std::move(cursor)});
  }
  proto::SessionInfo row(const std::string& id, int64_t updatedAt, bool archived = false) {
    return proto::SessionInfo{id, "Chat " + id, updatedAt, updatedAt, 1, archived};
  }
  // Midday, so "an hour ago" is today and "a day ago" is yesterday in UTC.
  void setUp() {
    in.nowMs = 20000 * kDayMs + 12 * kHourMs;
    in.utcOffsetMs = 0;
    addSession(state, "s-now", "Now");
    state.currentSessionId = "s-now";
  }
};

TEST_F(SidebarTest, RowsComeInDateGroupsAndSwitch) {
  setUp();
  rows({row("s-now", in.nowMs - kHourMs), row("s-y", in.nowMs - kDayMs), row("s-w", in.nowMs - 3 * kDayMs),
        row("s-old", in.nowMs - 60 * kDayMs)});
  frame();
  for (const char* id : {"s-now", "s-y", "s-w", "s-old"}) EXPECT_TRUE(hasWidget(std::string("session:") + id)) << id;
  EXPECT_LT(widget("session:s-now").y, widget("session:s-y").y);
  EXPECT_LT(widget("session:s-y").y, widget("session:s-w").y);
  // Each group adds a heading line between its rows and the previous group's.
  const float rowStep = widget("session:s-w").y - widget("session:s-y").y;
  EXPECT_GT(rowStep, widget("session:s-y").h + 10.0f);
  EXPECT_FALSE(hasWidget("refresh-sessions")) << "the list keeps itself current";
  click("session:s-y");
  ASSERT_EQ(intentsOf(UiIntent::Kind::SwitchSession).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::SwitchSession)[0].target, "s-y");
}

TEST_F(SidebarTest, ArchivedChatsShowOnlyWhenAskedFor) {
  setUp();
  rows({row("s-now", in.nowMs), row("s-arch", in.nowMs - kHourMs, true)});
  frame();
  EXPECT_FALSE(hasWidget("session:s-arch"));
  click("show-archived");
  EXPECT_TRUE(hasWidget("session:s-arch"));
  click("show-archived");
  EXPECT_FALSE(hasWidget("session:s-arch"));
}

TEST_F(SidebarTest, TheRowMenuRenamesArchivesAndDeletesAfterAConfirmation) {
  setUp();
  rows({row("s-now", in.nowMs), row("s-b", in.nowMs - kHourMs)});
  frame();
  click("session-menu:s-b");
  ASSERT_TRUE(hasWidget("rename:s-b"));
  click("rename:s-b");
  ASSERT_EQ(intentsOf(UiIntent::Kind::BeginRename).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::BeginRename)[0].target, "s-b");
  EXPECT_EQ(intentsOf(UiIntent::Kind::BeginRename)[0].text, "Chat s-b");

  click("session-menu:s-b");
  click("archive:s-b");
  ASSERT_EQ(intentsOf(UiIntent::Kind::ArchiveSession).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::ArchiveSession)[0].text, "archive");

  click("session-menu:s-b");
  click("delete:s-b");
  EXPECT_TRUE(intentsOf(UiIntent::Kind::DeleteSession).empty()) << "not before it is confirmed";
  frame();
  ASSERT_TRUE(hasWidget("delete-cancel"));
  click("delete-cancel");
  frame();
  EXPECT_FALSE(hasWidget("delete-confirm"));
  EXPECT_TRUE(intentsOf(UiIntent::Kind::DeleteSession).empty());

  click("session-menu:s-b");
  click("delete:s-b");
  frame();
  click("delete-confirm");
  ASSERT_EQ(intentsOf(UiIntent::Kind::DeleteSession).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::DeleteSession)[0].target, "s-b");
}

TEST_F(SidebarTest, TheRowBeingRenamedBecomesATitleField) {
  setUp();
  rows({row("s-now", in.nowMs), row("s-b", in.nowMs - kHourMs)});
  FrameOutput out = frame();
  EXPECT_EQ(out.renameFieldRect.w, 0.0f);
  EXPECT_GT(out.searchFieldRect.w, 50.0f) << "the search field is always there";
  in.renamingSessionId = "s-b";
  out = frame();
  EXPECT_GT(out.renameFieldRect.w, 50.0f);
  EXPECT_FALSE(hasWidget("session:s-b"));
}

TEST_F(SidebarTest, ScrollingNearTheEndAsksForTheNextPage) {
  setUp();
  std::vector<proto::SessionInfo> many;
  for (int i = 0; i < 60; ++i) many.push_back(row("s-" + std::to_string(100 + i), in.nowMs - i * kHourMs));
  rows(many, "x:s-100");
  frame();
  EXPECT_TRUE(intentsOf(UiIntent::Kind::LoadMoreSessions).empty()) << "the end is far below";
  for (int i = 0; i < 60; ++i) {
    ImGui::GetIO().AddMousePosEvent(100, 400);
    ImGui::GetIO().AddMouseWheelEvent(0, -5);
    frame();
  }
  EXPECT_FALSE(intentsOf(UiIntent::Kind::LoadMoreSessions).empty());

  intents.clear();
  rows(many);  // the last page is in
  for (int i = 0; i < 5; ++i) frame();
  EXPECT_TRUE(intentsOf(UiIntent::Kind::LoadMoreSessions).empty());
}

TEST_F(SidebarTest, SearchResultsOpenTheirChatAtTheMessage) {
  setUp();
  rows({row("s-now", in.nowMs)});
  in.searchText = "lighthouse";
  state.sessionSearch.query = "lighthouse";
  proto::SearchResult title;
  title.sessionId = "s-a";
  title.title = "Where is the lighthouse?";
  title.match = "title";
  proto::SearchResult message = title;
  message.match = "message";
  message.seq = 4;
  message.messageId = "c-3";
  message.role = "assistant";
  message.snippet = "The lighthouse stands on the cliff";
  state.sessionSearch.results = {title, message};
  frame();
  EXPECT_FALSE(hasWidget("session:s-now")) << "results replace the list while searching";
  click("result:1");
  const auto opened = intentsOf(UiIntent::Kind::OpenSearchResult);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].target, "s-a");
  EXPECT_EQ(opened[0].text, "c-3");
  click("clear-search");
  EXPECT_EQ(intentsOf(UiIntent::Kind::ClearSearch).size(), 1u);
}

TEST_F(SidebarTest, TheLastExchangeOffersRegenerateEditAndRetry) {
  setUp();
  core::SessionState& s = state.sessions["s-now"];
  addMessage(s, core::Role::User, "question").status = core::MessageStatus::Sent;
  core::Message& reply = addMessage(s, core::Role::Assistant, "answer");
  reply.stopReason = "end";
  LastExchange x = lastExchange(s);
  EXPECT_EQ(x.userMessageId, "m0");
  EXPECT_FALSE(x.replyFailed);
  frame();
  ASSERT_TRUE(hasWidget("regenerate"));
  click("regenerate");
  EXPECT_EQ(intentsOf(UiIntent::Kind::Regenerate).size(), 1u);
  click("edit-last");
  ASSERT_EQ(intentsOf(UiIntent::Kind::BeginEdit).size(), 1u);
  EXPECT_EQ(intentsOf(UiIntent::Kind::BeginEdit)[0].target, "m0");
  EXPECT_EQ(intentsOf(UiIntent::Kind::BeginEdit)[0].text, "question");

  // Interrupted by a gateway restart: Retry.
  reply.stopReason = "error";
  addMessage(s, core::Role::Error, "internal: interrupted by gateway restart");
  EXPECT_TRUE(lastExchange(s).replyFailed);

  // While streaming there is nothing to offer.
  s.streaming = core::Streaming{"c-9", "m", 9};
  frame();
  EXPECT_FALSE(hasWidget("regenerate"));

  // While editing: Cancel edit.
  s.streaming.reset();
  in.editingMessageId = "m0";
  frame();
  click("cancel-edit");
  EXPECT_EQ(intentsOf(UiIntent::Kind::CancelEdit).size(), 1u);
}

}  // namespace
}  // namespace chat::ui::test
