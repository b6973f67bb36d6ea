// The server-sent-event parser against the shapes real OpenAI-compatible servers send.
#include <gtest/gtest.h>

#include "gateway/sse_parser.h"

namespace chat::gateway {
namespace {

std::vector<std::string> parseAll(const std::vector<std::string>& reads) {
  SseParser p;
  std::vector<std::string> out;
  for (const auto& r : reads) p.feed(r, out);
  return out;
}

TEST(SseParser, DataWithAndWithoutSpace) {
  EXPECT_EQ(parseAll({"data: {\"a\":1}\n\ndata:{\"b\":2}\n\n"}),
            (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

TEST(SseParser, OnlyOneLeadingSpaceIsStripped) {
  EXPECT_EQ(parseAll({"data:  x\n\n"}), (std::vector<std::string>{" x"}));
}

TEST(SseParser, CrlfLfAndCrLineEnds) {
  EXPECT_EQ(parseAll({"data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n"}),
            (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(SseParser, CommentsAndKeepAlivesAreSkipped) {
  EXPECT_EQ(parseAll({": keep-alive\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n:\n\n"}),
            (std::vector<std::string>{"x"}));
}

TEST(SseParser, OtherFieldsAreIgnoredAndEventsWithoutDataNotReported) {
  EXPECT_EQ(parseAll({"event: ping\nid: 4\nretry: 100\n\nevent: message\ndata: y\n\n"}),
            (std::vector<std::string>{"y"}));
}

TEST(SseParser, MultiLineDataIsJoinedWithNewlines) {
  EXPECT_EQ(parseAll({"data: one\ndata: two\n\n"}), (std::vector<std::string>{"one\ntwo"}));
}

TEST(SseParser, EventsSplitAcrossReadsAnywhere) {
  const std::string stream =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n: ka\r\n\r\ndata: [DONE]\r\n\r\n";
  const auto whole = parseAll({stream});
  ASSERT_EQ(whole.size(), 2u);
  // Every split point, including between the CR and LF of a line end.
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    EXPECT_EQ(parseAll({stream.substr(0, cut), stream.substr(cut)}), whole) << "cut at " << cut;
  }
  // One byte per read.
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  EXPECT_EQ(parseAll(bytes), whole);
}

TEST(SseParser, UnfinishedEventIsNotReportedUntilItsBlankLine) {
  SseParser p;
  std::vector<std::string> out;
  p.feed("data: partial", out);
  EXPECT_TRUE(out.empty());
  EXPECT_GT(p.pendingBytes(), 0u);
  p.feed("\n", out);
  EXPECT_TRUE(out.empty());
  p.feed("\n", out);
  EXPECT_EQ(out, (std::vector<std::string>{"partial"}));
}

TEST(SseParser, DoneMarkerIsPassedThroughAsData) {
  EXPECT_EQ(parseAll({"data: [DONE]\n\n"}), (std::vector<std::string>{"[DONE]"}));
}

}  // namespace
}  // namespace chat::gateway
