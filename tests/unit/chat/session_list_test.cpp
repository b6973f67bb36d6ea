// The session list's steps: pages and feed changes in any order, twice, or late, end in the
// same list; deleted chats never come back; paging moves on only with its own answers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/chat/session_list.h"

namespace chat::core {
namespace {

proto::SessionInfo info(const std::string& id, int64_t updatedAt, const std::string& title = "",
                        bool archived = false) {
  proto::SessionInfo s;
  s.sessionId = id;
  s.title = title.empty() ? "chat " + id : title;
  s.createdAt = updatedAt;
  s.updatedAt = updatedAt;
  s.lastSeq = 1;
  s.archived = archived;
  return s;
}

ListChange change(int64_t seq, ListChangeKind kind, proto::SessionInfo s) {
  return ListChange{seq, kind, std::move(s)};
}

ListChange deleted(int64_t seq, const std::string& id) {
  proto::SessionInfo s;
  s.sessionId = id;
  return ListChange{seq, ListChangeKind::Deleted, s};
}

std::vector<std::string> ids(const SessionList& list) {
  std::vector<std::string> out;
  for (const proto::SessionInfo& s : list) out.push_back(s.sessionId);
  return out;
}

// A list whose first page (requested as "p-1") holds `rows`, read at change `lastChange`.
SessionList loaded(std::vector<proto::SessionInfo> rows, int64_t lastChange,
                   std::optional<std::string> cursor = std::nullopt) {
  SessionList list;
  list.pendingPageId = "p-1";
  applyListPage(list, ListPage{"p-1", std::move(rows), lastChange, std::move(cursor)});
  return list;
}

TEST(SessionList, KindNamesRoundTrip) {
  for (const char* name : {"created", "retitled", "updated", "archived", "unarchived", "deleted"}) {
    ListChangeKind kind;
    ASSERT_TRUE(parseListChangeKind(name, &kind)) << name;
    EXPECT_STREQ(listChangeKindName(kind), name);
  }
  ListChangeKind kind;
  EXPECT_FALSE(parseListChangeKind("renamed", &kind));
  EXPECT_FALSE(parseListChangeKind("", &kind));
}

TEST(SessionList, FirstPageSetsTheWatchPositionAndTheCursor) {
  SessionList list;
  EXPECT_TRUE(list.canLoadMore());
  list.pendingPageId = "p-1";
  EXPECT_FALSE(list.canLoadMore());
  const ListStep step =
      applyListPage(list, ListPage{"p-1", {info("s-b", 200), info("s-a", 100)}, 41, "100:s-a"});
  EXPECT_TRUE(step.applied);
  EXPECT_TRUE(list.firstPageLoaded);
  EXPECT_EQ(list.lastChange, 41);
  EXPECT_EQ(list.nextCursor, std::optional<std::string>("100:s-a"));
  EXPECT_TRUE(list.pendingPageId.empty());
  EXPECT_TRUE(list.canLoadMore());
  EXPECT_FALSE(list.complete());
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-b", "s-a"}));
}

TEST(SessionList, LastPageCompletesTheList) {
  SessionList list = loaded({info("s-c", 300)}, 5, "300:s-c");
  list.pendingPageId = "p-2";
  applyListPage(list, ListPage{"p-2", {info("s-b", 200), info("s-a", 100)}, 7, std::nullopt});
  EXPECT_TRUE(list.complete());
  EXPECT_FALSE(list.canLoadMore());
  EXPECT_EQ(list.lastChange, 5) << "only the first page sets the watch position";
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-c", "s-b", "s-a"}));
}

TEST(SessionList, PageAnsweringAnotherRequestOnlyAddsRows) {
  SessionList list = loaded({info("s-c", 300)}, 5, "300:s-c");
  list.pendingPageId = "p-2";
  applyListPage(list, ListPage{"old-request", {info("s-b", 200)}, 6, std::nullopt});
  EXPECT_EQ(list.pendingPageId, "p-2");
  EXPECT_EQ(list.nextCursor, std::optional<std::string>("300:s-c"));
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-c", "s-b"}));
}

TEST(SessionList, FailedPageMayBeAskedAgain) {
  SessionList list = loaded({info("s-c", 300)}, 5, "300:s-c");
  list.pendingPageId = "p-2";
  listPageFailed(list, "other");
  EXPECT_FALSE(list.canLoadMore());
  listPageFailed(list, "p-2");
  EXPECT_TRUE(list.canLoadMore());
}

TEST(SessionList, CreatedGoesOnTopRetitledAndUpdatedReplaceTheRow) {
  SessionList list = loaded({info("s-b", 200), info("s-a", 100)}, 10);
  EXPECT_TRUE(applyListChange(list, change(11, ListChangeKind::Created, info("s-new", 500))).applied);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-new", "s-b", "s-a"}));
  EXPECT_TRUE(applyListChange(list, change(12, ListChangeKind::Retitled, info("s-a", 100, "Trip plans"))).applied);
  EXPECT_EQ(list.find("s-a")->title, "Trip plans");
  EXPECT_TRUE(applyListChange(list, change(13, ListChangeKind::Updated, info("s-a", 600, "Trip plans"))).applied);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-a", "s-new", "s-b"}));
  EXPECT_EQ(list.lastChange, 13);
}

TEST(SessionList, ArchivedRowsStayWithTheirFlag) {
  SessionList list = loaded({info("s-b", 200), info("s-a", 100)}, 10);
  applyListChange(list, change(11, ListChangeKind::Archived, info("s-b", 200, "", true)));
  ASSERT_NE(list.find("s-b"), nullptr);
  EXPECT_TRUE(list.find("s-b")->archived);
  applyListChange(list, change(12, ListChangeKind::Unarchived, info("s-b", 200, "", false)));
  EXPECT_FALSE(list.find("s-b")->archived);
}

TEST(SessionList, DeletedRemovesTheRowAndSaysWhere) {
  SessionList list = loaded({info("s-c", 300), info("s-b", 200), info("s-a", 100)}, 10);
  const ListStep step = applyListChange(list, deleted(11, "s-b"));
  EXPECT_TRUE(step.applied);
  EXPECT_EQ(step.removedId, "s-b");
  EXPECT_EQ(step.removedIndex, 1u);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-c", "s-a"}));
  EXPECT_TRUE(list.wasDeleted("s-b"));
  EXPECT_EQ(sessionAfterRemoval(list, step.removedIndex), "s-a");
}

TEST(SessionList, DeletedChatNeverComesBackWithALatePage) {
  SessionList list = loaded({info("s-c", 300)}, 10, "300:s-c");
  applyListChange(list, deleted(12, "s-b"));
  list.pendingPageId = "p-2";
  // The page was read at change 11, before the deletion.
  applyListPage(list, ListPage{"p-2", {info("s-b", 200), info("s-a", 100)}, 11, std::nullopt});
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-c", "s-a"}));
}

TEST(SessionList, DuplicateAndOutOfOrderChangesEndInTheSameList) {
  const std::vector<ListChange> feed = {
      change(11, ListChangeKind::Created, info("s-x", 400, "first")),
      change(12, ListChangeKind::Retitled, info("s-x", 400, "second")),
      change(13, ListChangeKind::Updated, info("s-a", 500)),
      deleted(14, "s-b"),
  };
  SessionList inOrder = loaded({info("s-b", 200), info("s-a", 100)}, 10);
  for (const ListChange& c : feed) applyListChange(inOrder, c);

  SessionList shuffled = loaded({info("s-b", 200), info("s-a", 100)}, 10);
  for (int i : {3, 1, 0, 2, 1, 3, 0}) applyListChange(shuffled, feed[static_cast<std::size_t>(i)]);

  EXPECT_EQ(ids(shuffled), ids(inOrder));
  EXPECT_EQ(shuffled.find("s-x")->title, "second") << "the older retitle must not win";
  EXPECT_EQ(shuffled.lastChange, 14);
  EXPECT_FALSE(applyListChange(shuffled, feed[1]).applied);
}

TEST(SessionList, PageOlderThanAChangeKeepsTheChange) {
  SessionList list = loaded({info("s-c", 300)}, 10, "300:s-c");
  applyListChange(list, change(15, ListChangeKind::Retitled, info("s-c", 300, "renamed")));
  list.pendingPageId = "p-2";
  applyListPage(list, ListPage{"p-2", {info("s-c", 300, "old title"), info("s-a", 100)}, 12,
                               std::nullopt});
  EXPECT_EQ(list.find("s-c")->title, "renamed");
  ASSERT_NE(list.find("s-a"), nullptr);
}

TEST(SessionList, ChangeAboutARowNotLoadedYetWaitsForItsPage) {
  SessionList list = loaded({info("s-c", 300), info("s-b", 200)}, 10, "200:s-b");
  applyListChange(list, change(11, ListChangeKind::Archived, info("s-old", 50, "", true)));
  EXPECT_EQ(list.find("s-old"), nullptr) << "older than every loaded row";
  applyListChange(list, change(12, ListChangeKind::Updated, info("s-old", 900)));
  EXPECT_EQ(ids(list).front(), "s-old") << "an update makes it the newest: it shows at once";
}

TEST(SessionList, FirstPageBehindTheFeedKeepsTheFeedPosition) {
  SessionList list;
  applyListChange(list, change(20, ListChangeKind::Created, info("s-a", 100)));
  list.pendingPageId = "p-1";
  applyListPage(list, ListPage{"p-1", {info("s-a", 100)}, 18, std::nullopt});
  EXPECT_EQ(list.lastChange, 20);
}

TEST(SessionList, BadChangesAreIgnored) {
  SessionList list = loaded({info("s-a", 100)}, 10);
  EXPECT_FALSE(applyListChange(list, change(0, ListChangeKind::Created, info("s-b", 1))).applied);
  EXPECT_FALSE(applyListChange(list, change(12, ListChangeKind::Created, proto::SessionInfo{})).applied);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s-a"}));
}

TEST(SessionList, SessionAfterRemovalSkipsArchivedAndFallsBack) {
  SessionList list = loaded({info("s-d", 400), info("s-c", 300, "", true), info("s-a", 100)}, 1);
  EXPECT_EQ(sessionAfterRemoval(list, 1), "s-a");  // s-c is archived
  EXPECT_EQ(sessionAfterRemoval(list, 3), "s-a");  // removed at the end: the one before
  SessionList archivedOnly = loaded({info("s-c", 300, "", true)}, 1);
  EXPECT_EQ(sessionAfterRemoval(archivedOnly, 0), "");
  EXPECT_EQ(sessionAfterRemoval(SessionList{}, 0), "");
}

}  // namespace
}  // namespace chat::core
