// Positions of the pieces of a prose line (styled_line.h), in particular the inline code chip:
// it must end where the next piece begins, so the word after it is not drawn under it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ui/markdown_prose.h"
#include "ui/styled_line.h"
#include "ui/text_layout.h"

namespace chat::ui {
namespace {

// Sans advances 7 px a code point, monospace 8 px: widths are easy to add up by hand.
struct Fonts {
  std::vector<float> sansTable = std::vector<float>(256, 7.0f);
  std::vector<float> monoTable = std::vector<float>(256, 8.0f);
  FontMetrics sans() const { return metrics(sansTable); }
  FontMetrics mono() const { return metrics(monoTable); }
  static FontMetrics metrics(const std::vector<float>& t) {
    FontMetrics m;
    m.advances = t.data();
    m.count = t.size();
    m.fallbackAdvance = t[0];
    m.lineHeight = 20.0f;
    return m;
  }
};

struct Laid {
  InlineText in;
  std::vector<WrappedLine> lines;
};

Laid lay(const std::string& markdown, float width) {
  Fonts f;
  Laid l;
  l.in = parseInline(markdown);
  l.lines = wrapMixedText(l.in.text, width, f.sans(), f.mono(), codeRangesOf(l.in.spans), kCodeChipPad);
  return l;
}

TEST(StyledLine, CodeChipEndsWhereTheNextWordsSpaceBegins) {
  Fonts f;
  const Laid l = lay("use `foo` now", 1000);
  ASSERT_EQ(l.in.text, "use foo now");
  ASSERT_EQ(l.lines.size(), 1u);
  const auto pieces = layoutStyledLine(l.in.text, l.in.spans, false, l.lines[0], 100.0f, f.sans(), f.mono());
  ASSERT_EQ(pieces.size(), 3u);
  const StyledPiece& before = pieces[0];
  const StyledPiece& code = pieces[1];
  const StyledPiece& after = pieces[2];
  EXPECT_EQ(l.in.text.substr(before.begin, before.end - before.begin), "use ");
  EXPECT_EQ(l.in.text.substr(code.begin, code.end - code.begin), "foo");
  EXPECT_EQ(l.in.text.substr(after.begin, after.end - after.begin), " now");
  EXPECT_FALSE(before.code);
  EXPECT_TRUE(code.code);
  EXPECT_FALSE(after.code);

  EXPECT_FLOAT_EQ(before.x, 100.0f);
  EXPECT_FLOAT_EQ(before.width, 4 * 7.0f);
  // The chip starts after "use " and its text one padding in.
  EXPECT_FLOAT_EQ(code.x, 100.0f + 28.0f);
  EXPECT_FLOAT_EQ(code.textX, code.x + kCodeChipPad);
  EXPECT_FLOAT_EQ(code.textWidth, 3 * 8.0f);
  EXPECT_FLOAT_EQ(code.width, 3 * 8.0f + 2 * kCodeChipPad);
  // The chip's right edge is where " now" starts: the space is not under the chip.
  EXPECT_FLOAT_EQ(after.x, code.x + code.width);
  EXPECT_FLOAT_EQ(after.textX, after.x);
  EXPECT_GE(after.x, code.textX + code.textWidth + kCodeChipPad);
  // The pieces fill exactly the width the wrapping gave the line.
  EXPECT_FLOAT_EQ(after.x + after.width - 100.0f, l.lines[0].width);
}

TEST(StyledLine, WrappingCountsTheChipPadding) {
  // "ab `cd` ef": 2*7 + 7 + (2*8 + 2*3) + 7 + 2*7 = 64 px wide.
  const Laid wide = lay("ab `cd` ef", 64);
  ASSERT_EQ(wide.lines.size(), 1u);
  EXPECT_FLOAT_EQ(wide.lines[0].width, 64.0f);
  // One pixel less and "ef" goes to the next line: the padding is part of the width.
  const Laid narrow = lay("ab `cd` ef", 63);
  ASSERT_EQ(narrow.lines.size(), 2u);
  EXPECT_FLOAT_EQ(narrow.lines[0].width, 14.0f + 7.0f + 22.0f);
}

TEST(StyledLine, ChipCutByALineBreakPadsOnlyTheSpansOwnEnds) {
  Fonts f;
  // A code span too long for the line breaks inside it: the first line's chip has its left
  // padding only, the second line's its right padding only.
  const Laid l = lay("`abcdefgh`", 3 + 4 * 8 + 1);
  ASSERT_EQ(l.lines.size(), 2u);
  const auto first = layoutStyledLine(l.in.text, l.in.spans, false, l.lines[0], 0, f.sans(), f.mono());
  const auto second = layoutStyledLine(l.in.text, l.in.spans, false, l.lines[1], 0, f.sans(), f.mono());
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_FLOAT_EQ(first[0].textX, kCodeChipPad);
  EXPECT_FLOAT_EQ(first[0].width, kCodeChipPad + first[0].textWidth);
  EXPECT_FLOAT_EQ(first[0].width, l.lines[0].width);
  EXPECT_FLOAT_EQ(second[0].textX, 0.0f);
  EXPECT_FLOAT_EQ(second[0].width, second[0].textWidth + kCodeChipPad);
  EXPECT_FLOAT_EQ(second[0].width, l.lines[1].width);
}

TEST(StyledLine, StylesAndLinksPerPiece) {
  Fonts f;
  const Laid l = lay("**bold** [`x`](https://a.example) ~~gone~~", 1000);
  ASSERT_EQ(l.in.text, "bold x gone");
  const auto pieces = layoutStyledLine(l.in.text, l.in.spans, false, l.lines[0], 0, f.sans(), f.mono());
  ASSERT_EQ(pieces.size(), 5u);
  EXPECT_TRUE(pieces[0].bold);
  EXPECT_EQ(pieces[0].link, -1);
  EXPECT_TRUE(pieces[2].code);
  EXPECT_EQ(pieces[2].link, 0);
  EXPECT_TRUE(pieces[4].strike);
  float x = 0;
  for (const StyledPiece& p : pieces) {
    EXPECT_FLOAT_EQ(p.x, x);
    x += p.width;
  }
  EXPECT_FLOAT_EQ(x, l.lines[0].width);
}

TEST(StyledLine, AHeadingIsBoldThroughout) {
  Fonts f;
  const Laid l = lay("plain `c`", 1000);
  for (const StyledPiece& p : layoutStyledLine(l.in.text, l.in.spans, true, l.lines[0], 0, f.sans(), f.mono())) {
    EXPECT_TRUE(p.bold);
  }
}

}  // namespace
}  // namespace chat::ui
