// Connection-level messages: ack, auth, pong, lists, session.resumed, errors.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

proto::SessionInfo info(const std::string& id, const std::string& title, int64_t lastSeq = 0,
                        bool archived = false) {
  proto::SessionInfo i;
  i.sessionId = id;
  i.title = title;
  i.createdAt = 1;
  i.updatedAt = 2;
  i.lastSeq = lastSeq;
  i.archived = archived;
  return i;
}

TEST(ChatReducerConnection, AckMarksSendingMessageSent) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.send("c-1", "hello");
  EXPECT_EQ(d.feed(proto::Ack{"c-1"}), Outcome::Applied);
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
}

TEST(ChatReducerConnection, AckOfUnknownIdIsIgnored) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  EXPECT_EQ(d.feed(proto::Ack{"c-cancel-7"}), Outcome::Ignored);
  EXPECT_TRUE(d.session("s-a").messages.empty());
}

TEST(ChatReducerConnection, AckFindsMessageInANonCurrentSession) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.send("c-1", "in a");
  d.state.currentSessionId = "s-b";
  EXPECT_EQ(d.feed(proto::Ack{"c-1"}), Outcome::Applied);
  EXPECT_EQ(d.session("s-a").messages[0].status, MessageStatus::Sent);
}

TEST(ChatReducerConnection, AuthOkAndPongAreIgnored) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  EXPECT_EQ(d.feed(proto::AuthOk{"client-1", 15000, 1}), Outcome::Ignored);
  EXPECT_EQ(d.feed(proto::Pong{"c-ping"}), Outcome::Ignored);
  EXPECT_TRUE(d.session("s-a").messages.empty());
  EXPECT_EQ(d.errorText(), "");
}

TEST(ChatReducerConnection, AuthFailedSetsLastError) {
  Driver d;
  d.feed(proto::AuthFailed{"unauthorized", "bad token"});
  EXPECT_EQ(d.errorText(), "unauthorized: bad token");
  EXPECT_TRUE(d.state.sessions.empty());
}

TEST(ChatReducerConnection, SessionListPageJoinsTheListAndTitlesKnownSessions) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.state.sessionList.pendingPageId = "c-1";
  proto::SessionList page;
  page.requestId = "c-1";
  page.sessions = {info("s-a", "Trip plans", 4), info("s-b", "Other")};
  page.lastChange = 7;
  EXPECT_EQ(d.feed(page), Outcome::Applied);
  ASSERT_EQ(d.state.sessionList.size(), 2u);
  EXPECT_EQ(d.state.sessionList.rows[1].sessionId, "s-b");
  EXPECT_EQ(d.state.sessionList.lastChange, 7);
  EXPECT_TRUE(d.state.sessionList.complete());
  EXPECT_EQ(d.session("s-a").title, "Trip plans");
  EXPECT_EQ(d.state.sessions.count("s-b"), 0u);  // listing does not open sessions
}

TEST(ChatReducerConnection, SessionChangedKeepsTheListAndTheHeaderTitleCurrent) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  proto::SessionChanged changed;
  changed.changeSeq = 3;
  changed.change = "retitled";
  changed.session = info("s-a", "Renamed elsewhere", 4);
  EXPECT_EQ(d.feed(changed), Outcome::Applied);
  EXPECT_EQ(d.session("s-a").title, "Renamed elsewhere");
  EXPECT_EQ(d.feed(changed), Outcome::Ignored) << "the same change twice";
}

TEST(ChatReducerConnection, DeletingTheCurrentSessionAsksToMoveOn) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.state.currentSessionId = "s-a";
  d.state.sessionList.rows = {info("s-a", "A"), info("s-b", "B")};
  proto::SessionChanged gone;
  gone.changeSeq = 5;
  gone.change = "deleted";
  gone.session.sessionId = "s-a";
  d.feed(gone);
  ASSERT_EQ(d.lastEffects.size(), 1u);
  const auto* e = std::get_if<CurrentSessionDeleted>(&d.lastEffects[0]);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->sessionId, "s-a");
  EXPECT_EQ(e->next, "s-b");
}

TEST(ChatReducerConnection, OnlyTheAnswerToTheLatestSearchIsKept) {
  Driver d;
  d.state.sessionSearch.pendingId = "c-2";
  proto::SessionSearchResult old;
  old.requestId = "c-1";
  old.query = "ligh";
  EXPECT_EQ(d.feed(old), Outcome::Ignored);
  proto::SessionSearchResult latest;
  latest.requestId = "c-2";
  latest.query = "lighthouse";
  latest.results.resize(1);
  latest.results[0].sessionId = "s-a";
  latest.results[0].match = "title";
  EXPECT_EQ(d.feed(latest), Outcome::Applied);
  EXPECT_EQ(d.state.sessionSearch.query, "lighthouse");
  EXPECT_EQ(d.state.sessionSearch.results.size(), 1u);
  EXPECT_TRUE(d.state.sessionSearch.pendingId.empty());
}

TEST(ChatReducerConnection, ARefusedPageOrSearchFreesItsSlot) {
  Driver d;
  d.state.sessionList.pendingPageId = "c-1";
  d.state.sessionSearch.pendingId = "c-2";
  proto::ErrorEvent refused;
  refused.requestId = "c-1";
  refused.code = "bad_request";
  refused.message = "cursor: not one this gateway made";
  d.feed(refused);
  EXPECT_TRUE(d.state.sessionList.canLoadMore());
  refused.requestId = "c-2";
  d.feed(refused);
  EXPECT_TRUE(d.state.sessionSearch.pendingId.empty());
  EXPECT_NE(d.state.sessionSearch.error, "");
}

TEST(ChatReducerConnection, ThreadListChangesNothing) {
  Driver d;
  EXPECT_EQ(d.feed(proto::ThreadList{"c-1", {info("s-a", "A"), info("s-old", "Old", 9, true)}}),
            Outcome::Ignored);
  EXPECT_TRUE(d.state.sessionList.empty());
}

TEST(ChatReducerConnection, SessionResumedCreatesTheSessionWithoutTranscriptChange) {
  Driver d;
  EXPECT_EQ(d.feed(proto::SessionResumed{"s-a", 7}), Outcome::Applied);
  ASSERT_EQ(d.state.sessions.count("s-a"), 1u);
  EXPECT_EQ(d.session("s-a").lastSeq, 0);  // the events themselves bring the seqs
  EXPECT_TRUE(d.session("s-a").timeline.empty());
  EXPECT_EQ(d.state.currentSessionId, "s-a");
  EXPECT_EQ(d.feed(proto::SessionResumed{"s-a", 7}), Outcome::Ignored);
}

TEST(ChatReducerConnection, ConnectionErrorSetsLastError) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  proto::ErrorEvent e;
  e.code = "rate_limited";
  e.message = "slow down";
  EXPECT_EQ(d.feed(e), Outcome::Applied);
  EXPECT_EQ(d.errorText(), "rate_limited: slow down");
  EXPECT_TRUE(d.session("s-a").messages.empty());
}

TEST(ChatReducerConnection, ConnectionErrorForASendMarksItFailed) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.send("c-1", "hello");
  proto::ErrorEvent e;
  e.requestId = "c-1";
  e.code = "too_large";
  e.message = "content too large";
  d.feed(e);
  const Message& m = d.session("s-a").messages[0];
  EXPECT_EQ(m.status, MessageStatus::Failed);
  EXPECT_EQ(m.error, "too_large: content too large");
  EXPECT_EQ(d.session("s-a").messages.size(), 1u);
}

TEST(ChatReducerConnection, ErrorWithSessionIdButNoSeqIsConnectionLevel) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  proto::ErrorEvent e;
  e.code = "not_found";
  e.message = "no such session";
  e.sessionId = "s-a";
  d.feed(e);
  EXPECT_EQ(d.errorText(), "not_found: no such session");
  EXPECT_TRUE(d.session("s-a").messages.empty());
  EXPECT_EQ(d.session("s-a").lastSeq, 0);
}

}  // namespace
}  // namespace chat::core
