// decodeEventsPage reads a page's skeleton in place and decodes each event from its own text,
// leaving every other page (and every error) to the general DOM path. These tests pin that the
// answer is the one the contract gives: the reference below decodes a page the plain way (the
// whole page parsed into a DOM, each event decoded from it), and the two must agree on seed
// pages and on thousands of deterministic mutations of them. The skeleton reader's own subset
// (what it takes, what it leaves to the general path) is pinned case by case.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/page_skeleton.h"
#include "protocol/frame_mutations.h"

namespace chat::proto {
namespace {

// The plain way: parse the whole page, then decode each event from the DOM.
std::optional<EventsPage> referenceDecode(std::string_view body) {
  nlohmann::json j;
  if (detail::parseFrame(body, 16 * 1024 * 1024, &j)) return std::nullopt;
  if (!j.is_object()) return std::nullopt;
  const auto events = j.find("events");
  const auto lastSeq = j.find("lastSeq");
  if (events == j.end() || !events->is_array() || lastSeq == j.end()) return std::nullopt;
  if (!lastSeq->is_number_integer()) return std::nullopt;
  if (lastSeq->is_number_unsigned()) {
    if (lastSeq->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  } else if (lastSeq->get<int64_t>() < 0) {
    return std::nullopt;
  }
  EventsPage page;
  page.lastSeq = lastSeq->get<int64_t>();
  for (const nlohmann::json& e : *events) {
    auto decoded = decodeGatewayMessage(e);
    if (!decoded) return std::nullopt;
    page.events.push_back(std::move(decoded.value()));
  }
  return page;
}

// Both give the same answer for `body`; true when that answer is a page.
bool expectSameAnswer(const std::string& body) {
  const Decoded<EventsPage> got = decodeEventsPage(body);
  const std::optional<EventsPage> ref = referenceDecode(body);
  EXPECT_EQ(got.ok(), ref.has_value()) << printable(body);
  if (got.ok() && ref) {
    EXPECT_EQ(got.value().lastSeq, ref->lastSeq) << printable(body);
    EXPECT_EQ(got.value().events.size(), ref->events.size()) << printable(body);
    for (std::size_t i = 0; i < got.value().events.size() && i < ref->events.size(); ++i) {
      EXPECT_EQ(toJson(got.value().events[i]), toJson(ref->events[i])) << printable(body);
    }
  }
  return ref.has_value();
}

const std::string kDelta =
    R"({"delta":"hi","requestId":"c-1","seq":3,"sessionId":"s-1","type":"chat.stream.delta"})";
const std::string kStart =
    R"({"model":"demo","requestId":"c-1","seq":2,"sessionId":"s-1","type":"chat.stream.start"})";
const std::string kEnd =
    R"({"cost":{"inputCost":0.1,"outputCost":0.2,"totalCost":0.3},"requestId":"c-1","seq":4,)"
    R"("sessionId":"s-1","stopReason":"end","type":"chat.stream.end",)"
    R"("usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}})";
const std::string kToolCall =
    R"({"args":{"command":"ls [-la] {x}","n":[1,[2,{"deep":"\"}]"}]]},"requestId":"c-1",)"
    R"("seq":5,"sessionId":"s-1","toolCallId":"t-1","toolName":"shell","type":"tool.call"})";
const std::string kEscaped =
    R"({"delta":"a\"b\\c\/d \u00e9\ud83d\ude00 ]}","requestId":"c-1","seq":6,"sessionId":"s-1",)"
    R"("type":"chat.stream.delta"})";

const std::vector<std::string>& seedPages() {
  static const std::vector<std::string> pages = {
      R"({"events":[)" + kStart + "," + kDelta + "," + kEnd + R"(],"lastSeq":4})",
      R"({"lastSeq":6,"events":[)" + kToolCall + "," + kEscaped + "]}",
      R"({"events":[],"lastSeq":0})",
      " \n{ \"events\" : [ " + kDelta + " ,\n\t" + kToolCall + " ] , \"lastSeq\" : 6 }\r\n",
      R"({"events":[)" + kDelta + R"(],"lastSeq":999999999999999999})",
      R"({"events":[)" + kDelta + R"(],"lastSeq":9223372036854775807})",  // 19 digits: general
      R"({"events":[)" + kDelta + R"(],"lastSeq":3,"more":{"x":[1]}})",   // extra member: general
      R"({"events":[)" + kDelta + R"(],"events":[],"lastSeq":3})",        // repeated key: general
      R"({"ev\u0065nts":[)" + kDelta + R"(],"lastSeq":3})",               // escaped key: general
      R"({"events":[)" + kDelta + "," + kDelta + R"(],"lastSeq":3})",
      R"({"events":[7],"lastSeq":1})",
  };
  return pages;
}

TEST(EventsPageFastPath, SeedPagesDecodeAsThePlainWayDoes) {
  int decoded = 0;
  for (const std::string& page : seedPages()) decoded += expectSameAnswer(page);
  EXPECT_GE(decoded, 9);
}

TEST(EventsPageFastPath, MutatedPagesGetThePlainWaysAnswer) {
  std::mt19937 rng(4242);
  int decoded = 0;
  int rejected = 0;
  for (int round = 0; round < 2000; ++round) {
    for (const std::string& seed : seedPages()) {
      if (expectSameAnswer(mutate(seed, rng))) {
        ++decoded;
      } else {
        ++rejected;
      }
      if (HasFailure()) return;  // one readable failure, not thousands
    }
  }
  // Both outcomes are exercised in bulk, so the agreement is not vacuous.
  EXPECT_GT(decoded, 300);
  EXPECT_GT(rejected, 300);
}

TEST(EventsPageFastPath, NestingIsCountedFromThePageRoot) {
  // An event nesting 62 levels sits at depth 64 in the page: accepted. One more level is too
  // deep for the page, although the event alone would be within a frame's limit.
  const auto eventWithArgsDepth = [](int depth) {
    std::string args;  // the event object is level 1
    for (int level = 2; level < depth; ++level) args += R"({"a":)";
    args += "{}" + std::string(static_cast<std::size_t>(depth - 2), '}');
    return R"({"args":)" + args +
           R"(,"requestId":"c-1","seq":5,"sessionId":"s-1","toolCallId":"t-1","toolName":"x","type":"tool.call"})";
  };
  const std::string within = R"({"events":[)" + eventWithArgsDepth(62) + R"(],"lastSeq":5})";
  const std::string beyond = R"({"events":[)" + eventWithArgsDepth(63) + R"(],"lastSeq":5})";
  ASSERT_TRUE(decodeGatewayMessage(std::string_view(eventWithArgsDepth(63))).ok());
  EXPECT_TRUE(expectSameAnswer(within));
  EXPECT_FALSE(expectSameAnswer(beyond));
  EXPECT_FALSE(decodeEventsPage(beyond).ok());
}

TEST(EventsPageFastPath, AnEventLargerThanOneFrameStillDecodes) {
  std::string args = "{";
  for (int i = 0; args.size() <= kMaxFrameBytes; ++i) {
    args += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"" + std::string(1000, 'x') + "\"";
  }
  args += "}";
  const std::string big = R"({"args":)" + args +
                          R"(,"requestId":"c-1","seq":5,"sessionId":"s-1","toolCallId":"t-1","toolName":"x","type":"tool.call"})";
  EXPECT_TRUE(expectSameAnswer(R"({"events":[)" + big + "," + kDelta + R"(],"lastSeq":3})"));
}

// ---- the skeleton reader's subset ----

std::vector<std::string> skeletonOf(const std::string& page, bool* ok) {
  detail::PageSkeleton s;
  *ok = detail::readPageSkeleton(page, 62, &s);
  return {s.events.begin(), s.events.end()};
}

TEST(PageSkeleton, SlicesEachEventAndReadsLastSeq) {
  const std::string page =
      " {\"lastSeq\" :\t12 ,\n\"events\":[ " + kToolCall + " , " + kEscaped + "," + kEnd + "]} ";
  detail::PageSkeleton s;
  ASSERT_TRUE(detail::readPageSkeleton(page, 62, &s));
  EXPECT_EQ(s.lastSeq, 12);
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.events[0], kToolCall);  // brackets and quotes inside strings do not end it
  EXPECT_EQ(s.events[1], kEscaped);
  EXPECT_EQ(s.events[2], kEnd);
}

TEST(PageSkeleton, LeavesEverythingOutsideItsSubsetToTheGeneralPath) {
  for (const std::string& page : {
           std::string(R"({"events":[],"lastSeq":-1})"),
           std::string(R"({"events":[],"lastSeq":01})"),
           std::string(R"({"events":[],"lastSeq":1.0})"),
           std::string(R"({"events":[],"lastSeq":1e3})"),
           std::string(R"({"events":[],"lastSeq":1000000000000000000})"),  // 19 digits
           std::string(R"({"events":[],"lastSeq":"1"})"),
           std::string(R"({"events":[]})"),
           std::string(R"({"lastSeq":1})"),
           std::string(R"({"events":[],"lastSeq":1,"x":0})"),
           std::string(R"({"events":[],"events":[],"lastSeq":1})"),
           std::string(R"({"even\u0074s":[],"lastSeq":1})"),
           std::string(R"({"events":[1],"lastSeq":1})"),
           std::string(R"({"events":[[]],"lastSeq":1})"),
           std::string(R"({"events":{},"lastSeq":1})"),
           std::string(R"({"events":[{}],"lastSeq":1} x)"),
           std::string(R"({"events":[{},],"lastSeq":1})"),
           std::string(R"({"events":[{}{}],"lastSeq":1})"),
           std::string(R"({"events":[{"a":"}],"lastSeq":1})"),  // unterminated string
           std::string(R"({"events":[{"a":1],"lastSeq":1})"),
           std::string(R"([{"events":[],"lastSeq":1}])"),
           std::string(""),
       }) {
    bool ok = true;
    skeletonOf(page, &ok);
    EXPECT_FALSE(ok) << page;
  }
}

TEST(PageSkeleton, StopsAtTheDepthLimit) {
  bool ok = false;
  skeletonOf(R"({"events":[{"a":[[{}]]}],"lastSeq":1})", &ok);
  EXPECT_TRUE(ok);
  detail::PageSkeleton s;
  EXPECT_FALSE(detail::readPageSkeleton(R"({"events":[{"a":[[{}]]}],"lastSeq":1})", 3, &s));
  EXPECT_TRUE(detail::readPageSkeleton(R"({"events":[{"a":[[{}]]}],"lastSeq":1})", 4, &s));
}

}  // namespace
}  // namespace chat::proto
