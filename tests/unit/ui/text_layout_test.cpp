#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ui/text_layout.h"

namespace chat::ui {
namespace {

// A fixed-width font: every code point advances 1, so widths are code point counts.
struct FixedFont {
  std::vector<float> table = std::vector<float>(256, 1.0f);
  FontMetrics metrics() const {
    FontMetrics m;
    m.advances = table.data();
    m.count = table.size();
    m.fallbackAdvance = 1.0f;
    m.lineHeight = 10.0f;
    return m;
  }
};

std::vector<std::string> wrapped(const std::string& text, float width) {
  FixedFont f;
  std::vector<std::string> out;
  for (const auto& l : wrapText(text, width, f.metrics())) out.push_back(text.substr(l.begin, l.end - l.begin));
  return out;
}

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

TEST(WrapText, BreaksAtWordBoundaries) {
  EXPECT_EQ(wrapped("hello world foo bar", 11), (std::vector<std::string>{"hello world", "foo bar"}));
  EXPECT_EQ(wrapped("the quick brown fox", 10), (std::vector<std::string>{"the quick", "brown fox"}));
}

TEST(WrapText, NewlinesAlwaysEndALine) {
  EXPECT_EQ(wrapped("a\nb\n", 80), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(wrapped("", 80), (std::vector<std::string>{""}));
  EXPECT_EQ(wrapped("  indented\nx", 80), (std::vector<std::string>{"  indented", "x"}));
}

TEST(WrapText, OverlongTokensBreakAnywhere) {
  EXPECT_EQ(wrapped("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(wrapped("see https://example.com/a/b ok", 10),
            (std::vector<std::string>{"see", "https://ex", "ample.com/", "a/b ok"}));
}

TEST(WrapText, NeverSplitsAUtf8Sequence) {
  const std::string text = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x80\x94 \xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80 \xE4\xB8\xAD\xE6\x96\x87";
  for (float width : {0.0f, 1.0f, 2.0f, 3.0f, 5.0f}) {
    FixedFont f;
    const auto lines = wrapText(text, width, f.metrics());
    std::string joined;
    for (const auto& l : lines) {
      ASSERT_LE(l.begin, l.end);
      ASSERT_LE(l.end, text.size());
      if (l.begin < text.size()) {
        EXPECT_FALSE(isContinuation(text[l.begin])) << "width " << width;
      }
      if (l.end < text.size()) {
        EXPECT_FALSE(isContinuation(text[l.end])) << "width " << width;
      }
    }
    // Every non-space code point is on some line, in order.
    for (const auto& l : lines) joined += text.substr(l.begin, l.end - l.begin);
    std::string noSpaces;
    for (char c : text) if (c != ' ') noSpaces += c;
    std::string joinedNoSpaces;
    for (char c : joined) if (c != ' ') joinedNoSpaces += c;
    EXPECT_EQ(joinedNoSpaces, noSpaces);
  }
}

TEST(WrapText, ZeroWidthStillMakesProgress) {
  const auto lines = wrapped("abc", 0);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(WrapText, InvalidUtf8NeverCrashesOrLosesBytes) {
  const std::string text = "\xFF\xFE ab\xE2\x82 \xC3";
  FixedFont f;
  const auto lines = wrapText(text, 2, f.metrics());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().end, text.size());
  uint32_t cp = 0;
  EXPECT_EQ(decodeUtf8(text, 0, &cp), 1u);
  EXPECT_EQ(cp, 0xFFFDu);
  EXPECT_EQ(decodeUtf8("\xE2\x80\x94", 0, &cp), 3u);
  EXPECT_EQ(cp, 0x2014u);
  EXPECT_EQ(decodeUtf8("\xC3", 0, &cp), 1u);  // truncated sequence at the end
}

TEST(WrapText, LineWidthsExcludeHangingSpaces) {
  FixedFont f;
  const auto lines = wrapText("aaa bbb", 5, f.metrics());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].width, 3.0f);
  EXPECT_EQ(lines[1].width, 3.0f);
}

TEST(WrapText, FitWithEllipsisCutsOnCodePoints) {
  FixedFont f;
  bool cut = false;
  EXPECT_EQ(fitWithEllipsis("short", 10, f.metrics(), &cut), "short");
  EXPECT_FALSE(cut);
  const std::string text = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // 4 x é
  EXPECT_EQ(fitWithEllipsis(text, 3, f.metrics(), &cut), "\xC3\xA9\xC3\xA9");
  EXPECT_TRUE(cut);
  EXPECT_EQ(utf8Boundary(text, 3), 2u);
}

}  // namespace
}  // namespace chat::ui
