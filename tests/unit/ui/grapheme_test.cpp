#include "ui/grapheme.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ui/text_layout.h"

namespace chat::ui {
namespace {

std::vector<std::string> clusters(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = nextClusterEnd(text, i);
    out.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

using V = std::vector<std::string>;

TEST(Grapheme, CombiningMarksJoinTheirBase) {
  EXPECT_EQ(clusters("e\xCC\x81x"), (V{"e\xCC\x81", "x"}));                  // e + U+0301
  EXPECT_EQ(clusters("\xE0\xA4\x95\xE0\xA4\xBF"), (V{"\xE0\xA4\x95\xE0\xA4\xBF"}));  // कि
  EXPECT_EQ(clusters("\xE0\xB8\x81\xE0\xB8\xB5"), (V{"\xE0\xB8\x81\xE0\xB8\xB5"}));  // กี
  EXPECT_EQ(clusters("\xD8\xA8\xD9\x8E"), (V{"\xD8\xA8\xD9\x8E"}));            // بَ
}

TEST(Grapheme, EmojiModifiersZwjSequencesAndFlags) {
  const std::string thumbTone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";  // 👍🏽
  EXPECT_EQ(clusters(thumbTone + "!"), (V{thumbTone, "!"}));
  const std::string family =
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
  EXPECT_EQ(clusters(family), (V{family}));
  const std::string fr = "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7";  // 🇫🇷
  const std::string de = "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA";  // 🇩🇪
  EXPECT_EQ(clusters(fr + de), (V{fr, de}));
  const std::string heart = "\xE2\x9D\xA4\xEF\xB8\x8F";  // ❤️ (VS16)
  EXPECT_EQ(clusters(heart), (V{heart}));
  EXPECT_EQ(clusterCount("h\xC3\xA9llo " + thumbTone), 7u);
}

TEST(Grapheme, LineEndsAreTheirOwnClustersAndInvalidBytesProgress) {
  EXPECT_EQ(clusters("a\r\nb"), (V{"a", "\r", "\n", "b"}));
  EXPECT_EQ(clusters("\xFF\x80" "a"), (V{"\xFF", "\x80", "a"}));
  EXPECT_EQ(clusters("\xE2\x80\x8D"), (V{"\xE2\x80\x8D"}));  // a lone ZWJ
}

TEST(Grapheme, ParagraphDirectionFromTheFirstStrongLetter) {
  EXPECT_EQ(paragraphDirection("hello"), TextDirection::Ltr);
  EXPECT_EQ(paragraphDirection("\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9 abc"), TextDirection::Rtl);  // العربية
  EXPECT_EQ(paragraphDirection("123 - \xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA"), TextDirection::Rtl);  // digits are weak
  EXPECT_EQ(paragraphDirection("\xF0\x9F\x98\x80 \xD7\xA2 abc"), TextDirection::Rtl);  // emoji is neutral
  EXPECT_EQ(paragraphDirection("\xE6\x97\xA5\xE6\x9C\xAC \xD7\xA2"), TextDirection::Ltr);  // CJK is LTR
  EXPECT_EQ(paragraphDirection(""), TextDirection::Ltr);
}

TEST(Grapheme, WhatNeedsTheBrowsersTextEngine) {
  EXPECT_FALSE(needsShaping('a'));
  EXPECT_FALSE(needsShaping(0xE9));      // é
  EXPECT_FALSE(needsShaping(0x65E5));    // 日: a missing glyph, but not shaped
  EXPECT_TRUE(needsShaping(0x0627));     // Arabic
  EXPECT_TRUE(needsShaping(0x05E2));     // Hebrew
  EXPECT_TRUE(needsShaping(0x0915));     // Devanagari
  EXPECT_TRUE(needsShaping(0x0E01));     // Thai
  EXPECT_TRUE(needsShaping(0x1F600));    // 😀
  EXPECT_TRUE(needsShaping(0x0301));     // a combining mark
}

// A fake browser measure: every fallback cluster is 20 px wide.
class FixedWidths : public ClusterWidths {
 public:
  float width(std::string_view) const override {
    ++calls;
    return 20.0f;
  }
  mutable int calls = 0;
};

TEST(Grapheme, WrappingNeverSplitsAClusterAndUsesTheBrowsersWidths) {
  std::vector<float> adv(0x500, 10.0f);
  std::vector<uint16_t> glyphs(0x500, 1);
  FixedWidths browser;
  FontMetrics m;
  m.advances = adv.data();
  m.count = adv.size();
  m.glyphIndex = glyphs.data();
  m.glyphCount = glyphs.size();
  m.fallback = &browser;
  const std::string thumbTone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
  EXPECT_FLOAT_EQ(textWidth(thumbTone, m), 20.0f);  // one cluster, measured once
  EXPECT_FLOAT_EQ(textWidth("e\xCC\x81", m), 20.0f);  // e + combining acute: the browser places the mark
  EXPECT_FLOAT_EQ(textWidth("abc", m), 30.0f);        // plain text never asks the browser
  const std::string text = "ab" + thumbTone + thumbTone + thumbTone;
  const auto lines = wrapText(text, 45.0f, m);  // "ab"=20, each emoji 20
  ASSERT_EQ(lines.size(), 2u);  // [ab👍🏽] [👍🏽👍🏽]
  std::vector<uint32_t> boundaries;
  for (std::size_t i = 0; i <= text.size(); i = i == text.size() ? i + 1 : nextClusterEnd(text, i)) {
    boundaries.push_back(static_cast<uint32_t>(i));
  }
  for (const auto& l : lines) {
    EXPECT_NE(std::find(boundaries.begin(), boundaries.end(), l.begin), boundaries.end());
    EXPECT_NE(std::find(boundaries.begin(), boundaries.end(), l.end), boundaries.end());
  }
  EXPECT_EQ(lines[0].end, 2u + 8u);  // "ab" + one emoji
  EXPECT_EQ(lines[1].end - lines[1].begin, 16u);
  // Without a browser (native), a missing glyph counts the font's fallback advance.
  m.fallback = nullptr;
  EXPECT_FLOAT_EQ(textWidth("\xE6\x97\xA5", m), 8.0f);  // U+65E5 beyond the table
}

TEST(Grapheme, EmBoxClassesShareOneMeasure) {
  const std::string han = "\xE4\xB8\xAD";  // 中
  EXPECT_EQ(std::string(emBoxRepresentative("\xE6\x97\xA5")), han);  // 日
  EXPECT_EQ(std::string(emBoxRepresentative("\xE3\x90\x80")), han);  // U+3400 (extension A)
  EXPECT_EQ(std::string(emBoxRepresentative("\xE3\x82\xAB")), "\xE3\x81\x82");  // カ -> あ
  EXPECT_EQ(std::string(emBoxRepresentative("\xEA\xB0\x80")), "\xED\x95\x9C");  // 가 -> 한
  EXPECT_EQ(std::string(emBoxRepresentative("\xEF\xBC\x81")), "\xEF\xBC\xA1");  // ！ -> Ａ
  // Not one em-box code point: measured as itself.
  EXPECT_EQ(emBoxRepresentative(""), nullptr);
  EXPECT_EQ(emBoxRepresentative("a"), nullptr);
  EXPECT_EQ(emBoxRepresentative("\xF0\x9F\x98\x80"), nullptr);                  // 😀
  EXPECT_EQ(emBoxRepresentative("\xE6\x97\xA5\xE6\x9C\xAC"), nullptr);        // 日本: two
  EXPECT_EQ(emBoxRepresentative("\xE3\x81\x8B\xE3\x82\x99"), nullptr);        // か + combining voiced mark
  EXPECT_EQ(emBoxRepresentative("\xD8\xB9"), nullptr);                            // ع
  EXPECT_EQ(emBoxRepresentative("\xE6"), nullptr);                                 // a cut sequence
}

}  // namespace
}  // namespace chat::ui
