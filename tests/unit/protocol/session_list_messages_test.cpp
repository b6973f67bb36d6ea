// The session list's messages beyond their round trips (round_trip_test.cpp): the rules the
// codec checks (page and title limits, a deleted change's short entry, the defaults of absent
// fields) and the GET /api/session-changes page the client's sidebar reads over HTTP.
#include <string>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"

namespace chat::proto {
namespace {

using nlohmann::json;

DecodeError clientError(const std::string& frame) {
  const auto d = decodeClientMessage(std::string_view(frame));
  EXPECT_FALSE(d.ok()) << frame;
  return d.ok() ? DecodeError{} : d.error();
}

DecodeError gatewayError(const std::string& frame) {
  const auto d = decodeGatewayMessage(std::string_view(frame));
  EXPECT_FALSE(d.ok()) << frame;
  return d.ok() ? DecodeError{} : d.error();
}

TEST(SessionListMessages, AbsentFieldsTakeTheContractDefaults) {
  const auto list = decodeClientMessage(std::string_view(R"({"type":"session.list","id":"l"})"));
  ASSERT_TRUE(list.ok()) << list.error().message;
  const auto& page = std::get<SessionListRequest>(list.value());
  EXPECT_EQ(page.limit, 200);
  EXPECT_FALSE(page.cursor.has_value());
  EXPECT_FALSE(page.includeArchived);

  const auto archive = decodeClientMessage(
      std::string_view(R"({"type":"session.archive","id":"a","sessionId":"s-1"})"));
  ASSERT_TRUE(archive.ok()) << archive.error().message;
  EXPECT_TRUE(std::get<SessionArchive>(archive.value()).archived);

  const auto search =
      decodeClientMessage(std::string_view(R"({"type":"session.search","id":"q","query":"x"})"));
  ASSERT_TRUE(search.ok()) << search.error().message;
  EXPECT_EQ(std::get<SessionSearchRequest>(search.value()).limit, 50);

  const auto watch = decodeClientMessage(
      std::string_view(R"({"type":"session.watch","id":"w","afterChange":null})"));
  ASSERT_TRUE(watch.ok()) << watch.error().message;
  EXPECT_EQ(std::get<SessionWatch>(watch.value()).afterChange, 0);
}

TEST(SessionListMessages, LimitsAreCheckedAtTheirBoundaries) {
  EXPECT_TRUE(decodeClientMessage(
                  std::string_view(R"({"type":"session.list","id":"l","limit":500})"))
                  .ok());
  DecodeError e = clientError(R"({"type":"session.list","id":"l","limit":501})");
  EXPECT_EQ(e.code, code::kBadRequest);
  EXPECT_EQ(e.field, "limit");
  e = clientError(R"({"type":"session.list","id":"l","limit":0})");
  EXPECT_EQ(e.field, "limit");
  e = clientError(R"({"type":"session.search","id":"q","query":"x","limit":1.5})");
  EXPECT_EQ(e.field, "limit");
  e = clientError(R"({"type":"session.watch","id":"w","afterChange":9007199254740992})");
  EXPECT_EQ(e.field, "afterChange");

  const std::string title(rule::kMaxTitleBytes, 't');
  EXPECT_TRUE(decodeClientMessage(std::string_view(
                  R"({"type":"session.rename","id":"r","sessionId":"s-1","title":")" + title +
                  R"("})"))
                  .ok());
  e = clientError(R"({"type":"session.rename","id":"r","sessionId":"s-1","title":")" + title +
                  R"(t"})");
  EXPECT_EQ(e.code, code::kTooLarge);
  EXPECT_EQ(e.field, "title");
  e = clientError(R"({"type":"session.rename","id":"r","sessionId":"bad id!","title":"t"})");
  EXPECT_EQ(e.field, "sessionId");
  e = clientError(R"({"type":"session.search","id":"q","query":""})");
  EXPECT_EQ(e.field, "query");
  e = clientError(R"({"type":"chat.edit","id":"e","sessionId":"s-1","messageId":"m"})");
  EXPECT_EQ(e.field, "content");
}

TEST(SessionListMessages, ADeletedChangeHoldsOnlyTheIdAndOthersTheWholeEntry) {
  const auto deleted = decodeGatewayMessage(std::string_view(
      R"({"type":"session.changed","changeSeq":3,"change":"deleted","session":{"sessionId":"s-2"}})"));
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(std::get<SessionChanged>(deleted.value()).session.sessionId, "s-2");

  // Any other change without the entry's fields is malformed, naming the missing one.
  DecodeError e = gatewayError(
      R"({"type":"session.changed","changeSeq":3,"change":"updated","session":{"sessionId":"s-2"}})");
  EXPECT_EQ(e.field, "session.title");
  e = gatewayError(
      R"({"type":"session.changed","changeSeq":3,"change":"moved","session":{"sessionId":"s-2"}})");
  EXPECT_EQ(e.field, "change");
  e = gatewayError(R"({"type":"session.changed","changeSeq":0,"change":"deleted",)"
                   R"("session":{"sessionId":"s-2"}})");
  EXPECT_EQ(e.field, "changeSeq");
}

TEST(SessionListMessages, SearchResultsOfTitleMatchesCarryNoMessageFields) {
  const auto d = decodeGatewayMessage(std::string_view(
      R"({"type":"session.search","requestId":"q","query":"x","results":[)"
      R"({"sessionId":"s-1","title":"x","archived":true,"match":"title"}]})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  const SearchResult& hit = std::get<SessionSearchResult>(d.value()).results.at(0);
  EXPECT_TRUE(hit.archived);
  EXPECT_FALSE(hit.seq.has_value());
  EXPECT_FALSE(hit.messageId.has_value());
  const DecodeError e = gatewayError(
      R"({"type":"session.search","requestId":"q","query":"x","results":[)"
      R"({"sessionId":"s-1","title":"x","archived":false,"match":"message","role":"bot"}]})");
  EXPECT_EQ(e.field, "results[0].role");
}

SessionChanged change(int64_t n, const std::string& kind, const std::string& id) {
  SessionChanged c;
  c.changeSeq = n;
  c.change = kind;
  c.session.sessionId = id;
  if (kind != "deleted") {
    c.session.title = "Chat " + id;
    c.session.createdAt = 1700000000000;
    c.session.updatedAt = 1700000000000 + n;
    c.session.lastSeq = n;
  }
  return c;
}

TEST(SessionChangesPage, EncodesAndDecodesBackEqual) {
  SessionChangesPage page;
  page.changes = {change(4, "created", "s-1"), change(7, "deleted", "s-2")};
  page.lastChange = 7;
  page.more = true;
  const std::string body = encodeSessionChangesPage(page);
  EXPECT_EQ(json::parse(body).at("changes").at(1),
            json::parse(R"({"type":"session.changed","changeSeq":7,"change":"deleted",)"
                        R"("session":{"sessionId":"s-2"}})"));
  const auto decoded = decodeSessionChangesPage(body);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value().changes, page.changes);
  EXPECT_EQ(decoded.value().lastChange, 7);
  EXPECT_TRUE(decoded.value().more);

  const auto empty = decodeSessionChangesPage(R"({"changes":[],"lastChange":12})");
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty.value().changes.empty());
  EXPECT_EQ(empty.value().lastChange, 12);
  EXPECT_FALSE(empty.value().more);
}

TEST(SessionChangesPage, ABadPageIsAnErrorNamingWhere) {
  auto d = decodeSessionChangesPage(R"({"changes":[{"type":"ack","requestId":"x"}],"lastChange":1})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "changes[0].type");
  d = decodeSessionChangesPage(
      R"({"changes":[{"type":"session.changed","changeSeq":1,"change":"created"}],"lastChange":1})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "changes[0].session");
  d = decodeSessionChangesPage(R"({"changes":{},"lastChange":1})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "changes");
  d = decodeSessionChangesPage("[1,2");
  EXPECT_FALSE(d.ok());
  d = decodeSessionChangesPage(R"({"changes":[],"lastChange":-1})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "lastChange");
}

}  // namespace
}  // namespace chat::proto
