// The Markdown subset of an agent's prose: blocks (headings, nested bullet and numbered items,
// quotes, paragraphs) and inline markers (`code`, **bold**, escapes) taken out of the text as
// style spans; whatever does not parse stays literal.
#include <gtest/gtest.h>

#include "ui/markdown_prose.h"

namespace chat::ui {
namespace {

using Kind = ProseBlock::Kind;
using Style = StyleSpan::Style;

std::string spanText(const InlineText& t, std::size_t i) {
  return t.text.substr(t.spans[i].begin, t.spans[i].end - t.spans[i].begin);
}

TEST(MarkdownInline, CodeAndBoldLoseTheirMarkersAndKeepTheirPlace) {
  const InlineText t = parseInline("run `ls -la` then **read the output** now");
  EXPECT_EQ(t.text, "run ls -la then read the output now");
  ASSERT_EQ(t.spans.size(), 2u);
  EXPECT_EQ(t.spans[0].style, Style::Code);
  EXPECT_EQ(spanText(t, 0), "ls -la");
  EXPECT_EQ(t.spans[1].style, Style::Bold);
  EXPECT_EQ(spanText(t, 1), "read the output");
}

TEST(MarkdownInline, MarkersInsideCodeAreLiteralAndCodeMayBeBold) {
  const InlineText a = parseInline("`a**b**c` and `*`");
  EXPECT_EQ(a.text, "a**b**c and *");
  ASSERT_EQ(a.spans.size(), 2u);
  EXPECT_EQ(a.spans[0].style, Style::Code);
  const InlineText b = parseInline("**use `make` here**");
  EXPECT_EQ(b.text, "use make here");
  ASSERT_EQ(b.spans.size(), 2u);
  EXPECT_EQ(b.spans[0].style, Style::Bold);
  EXPECT_EQ(spanText(b, 0), "use make here");
  EXPECT_EQ(b.spans[1].style, Style::Code);
  EXPECT_EQ(spanText(b, 1), "make");
}

TEST(MarkdownInline, WhatDoesNotCloseStaysLiteral) {
  // A reply still streaming: the closing marker has not arrived yet.
  EXPECT_EQ(parseInline("this is **important and").text, "this is **important and");
  EXPECT_EQ(parseInline("see `main.cpp").text, "see `main.cpp");
  EXPECT_EQ(parseInline("2*3*4 = 24, snake_case_name, a__b__c").text,
            "2*3*4 = 24, snake_case_name, a__b__c");
  EXPECT_EQ(parseInline("still *streaming and ~~this").text, "still *streaming and ~~this");
  EXPECT_EQ(parseInline("see [the docs](https://exa").text, "see [the docs](https://exa");
  EXPECT_EQ(parseInline("**** and ``").text, "**** and ``");
  EXPECT_TRUE(parseInline("2*3*4").spans.empty());
}

TEST(MarkdownInline, BoldMarkersHugTheirText) {
  // An opener followed by a blank, or a closer after one, is not a marker.
  EXPECT_EQ(parseInline("a ** b ** c").text, "a ** b ** c");
  EXPECT_TRUE(parseInline("a ** b ** c").spans.empty());
  const InlineText t = parseInline("**x ** y** and **z**");  // the closer after a blank is skipped
  EXPECT_EQ(t.text, "x ** y and z");
  ASSERT_EQ(t.spans.size(), 2u);
  EXPECT_EQ(spanText(t, 0), "x ** y");
  EXPECT_EQ(spanText(t, 1), "z");
  EXPECT_EQ(parseInline("**done** ").text, "done ");
  EXPECT_EQ(parseInline("** not bold**").text, "** not bold**");
}

TEST(MarkdownInline, BackslashEscapesShowTheCharacter) {
  const InlineText t = parseInline(R"(\*not bold\* and \`tick\` and C:\path)");
  EXPECT_EQ(t.text, R"(*not bold* and `tick` and C:\path)");
  EXPECT_TRUE(t.spans.empty());
}

TEST(MarkdownProse, HeadingsListsQuotesAndParagraphs) {
  const auto blocks = parseProse(
      "# Plan\n"
      "Some intro\nwith two lines.\n"
      "\n"
      "- first **point**\n"
      "  - nested\n"
      "    continued here\n"
      "* star item\n"
      "1. one\n"
      "12) twelve\n"
      "> quoted\n"
      "> more\n"
      "#hashtag is text");
  ASSERT_EQ(blocks.size(), 9u);
  EXPECT_EQ(blocks[0].kind, Kind::Heading);
  EXPECT_EQ(blocks[0].level, 1);
  EXPECT_EQ(blocks[0].body.text, "Plan");
  EXPECT_EQ(blocks[1].kind, Kind::Paragraph);
  EXPECT_EQ(blocks[1].body.text, "Some intro\nwith two lines.");
  EXPECT_EQ(blocks[2].kind, Kind::Bullet);
  EXPECT_EQ(blocks[2].marker, "\xE2\x80\xA2");
  EXPECT_EQ(blocks[2].level, 0);
  EXPECT_EQ(blocks[2].body.text, "first point");
  ASSERT_EQ(blocks[2].body.spans.size(), 1u);
  EXPECT_EQ(blocks[3].kind, Kind::Bullet);
  EXPECT_EQ(blocks[3].level, 1);
  EXPECT_EQ(blocks[3].body.text, "nested continued here");
  EXPECT_EQ(blocks[4].body.text, "star item");
  EXPECT_EQ(blocks[5].kind, Kind::Numbered);
  EXPECT_EQ(blocks[5].marker, "1.");
  EXPECT_EQ(blocks[6].marker, "12)");
  EXPECT_EQ(blocks[6].body.text, "twelve");
  EXPECT_EQ(blocks[7].kind, Kind::Quote);
  EXPECT_EQ(blocks[7].body.text, "quoted\nmore");
  EXPECT_EQ(blocks[8].kind, Kind::Paragraph);
  EXPECT_EQ(blocks[8].body.text, "#hashtag is text");
}

TEST(MarkdownProse, ThingsThatLookLikeMarkersButAreNot) {
  const auto blocks = parseProse("**bold start** of a line\n-5 degrees\n3.14 is pi\n---");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].kind, Kind::Paragraph);
  EXPECT_EQ(blocks[0].body.text, "bold start of a line\n-5 degrees\n3.14 is pi\n---");
}

std::vector<int> levelsOf(const std::string& prose) {
  std::vector<int> levels;
  for (const ProseBlock& b : parseProse(prose)) levels.push_back(b.level);
  return levels;
}

TEST(MarkdownProse, NestingFollowsTheIndentOfTheItemsAbove) {
  // Two, three or four spaces a level all nest one level at a time.
  EXPECT_EQ(levelsOf("- a\n  - b\n    - c\n  - d\n- e"), (std::vector<int>{0, 1, 2, 1, 0}));
  EXPECT_EQ(levelsOf("- a\n    - b\n        - c\n    - d\n- e"), (std::vector<int>{0, 1, 2, 1, 0}));
  EXPECT_EQ(levelsOf("1. a\n   - b\n      - c\n2. d"), (std::vector<int>{0, 1, 2, 0}));
  // One space off a sibling is still a sibling; a far indent is one level down, not three.
  EXPECT_EQ(levelsOf("- a\n - b\n- c\n          - d"), (std::vector<int>{0, 0, 0, 1}));
  // Blank lines keep the list; a paragraph ends it, so the next list starts at the top.
  EXPECT_EQ(levelsOf("- a\n\n    - b\n\ntext\n    - c"), (std::vector<int>{0, 1, 0, 0}));
}

TEST(MarkdownProse, DeepNestingIsCappedAndEmptyInputGivesNothing) {
  const auto blocks = parseProse("- a\n  - b\n    - c\n      - d\n        - e\n          - very deep");
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks[3].level, 3);
  EXPECT_EQ(blocks[4].level, 3);
  EXPECT_EQ(blocks[5].level, 3);
  EXPECT_TRUE(parseProse("").empty());
  EXPECT_TRUE(parseProse("\n \n\t\n").empty());
}

TEST(MarkdownProse, CarriageReturnsAndAStreamingTail) {
  const auto blocks = parseProse("- one\r\n- tw");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].body.text, "one");
  EXPECT_EQ(blocks[1].body.text, "tw");
}


TEST(MarkdownInline, ItalicBoldUnderscoresAndStrike) {
  const InlineText t = parseInline("*a* _b_ __c__ ~~d~~ **e *f* g**");
  EXPECT_EQ(t.text, "a b c d e f g");
  ASSERT_EQ(t.spans.size(), 6u);
  EXPECT_EQ(t.spans[0].style, Style::Italic);
  EXPECT_EQ(spanText(t, 0), "a");
  EXPECT_EQ(t.spans[1].style, Style::Italic);
  EXPECT_EQ(spanText(t, 1), "b");
  EXPECT_EQ(t.spans[2].style, Style::Bold);
  EXPECT_EQ(spanText(t, 2), "c");
  EXPECT_EQ(t.spans[3].style, Style::Strike);
  EXPECT_EQ(spanText(t, 3), "d");
  EXPECT_EQ(t.spans[4].style, Style::Bold);
  EXPECT_EQ(spanText(t, 4), "e f g");
  EXPECT_EQ(t.spans[5].style, Style::Italic);
  EXPECT_EQ(spanText(t, 5), "f");
}

TEST(MarkdownInline, DoubleBacktickCodeHoldsSingleBackticks) {
  const InlineText t = parseInline("use `` a`b `` and ```x```");
  EXPECT_EQ(t.text, "use a`b and x");
  ASSERT_EQ(t.spans.size(), 2u);
  EXPECT_EQ(spanText(t, 0), "a`b");
  EXPECT_EQ(spanText(t, 1), "x");
}

TEST(MarkdownInline, LinksAndBareUrls) {
  const InlineText t = parseInline("read [the **docs**](https://example.com/d) or https://x.org/a_(b). Mail <mailto:a@b.c>");
  EXPECT_EQ(t.text, "read the docs or https://x.org/a_(b). Mail mailto:a@b.c");
  ASSERT_EQ(t.links.size(), 3u);
  EXPECT_EQ(t.links[0], "https://example.com/d");
  EXPECT_EQ(t.links[1], "https://x.org/a_(b)");
  EXPECT_EQ(t.links[2], "mailto:a@b.c");
  ASSERT_GE(t.spans.size(), 4u);
  EXPECT_EQ(t.spans[0].style, Style::Link);
  EXPECT_EQ(spanText(t, 0), "the docs");
  EXPECT_EQ(t.spans[1].style, Style::Bold);  // inside the link
  EXPECT_EQ(spanText(t, 1), "docs");
  EXPECT_EQ(t.spans[2].style, Style::Link);
  EXPECT_EQ(spanText(t, 2), "https://x.org/a_(b)");
  // A javascript: link is still a link in the text (drawn as one) but never opened.
  const InlineText js = parseInline("[click](javascript:alert(1))");
  ASSERT_EQ(js.links.size(), 1u);
  EXPECT_FALSE(isOpenableUrl(js.links[0]));
}

TEST(MarkdownInline, OnlyHttpHttpsAndMailtoAreOpenable) {
  EXPECT_TRUE(isOpenableUrl("https://example.com"));
  EXPECT_TRUE(isOpenableUrl("HTTP://example.com"));
  EXPECT_TRUE(isOpenableUrl("mailto:a@b.c"));
  EXPECT_FALSE(isOpenableUrl("javascript:alert(1)"));
  EXPECT_FALSE(isOpenableUrl(" javascript:alert(1)"));
  EXPECT_FALSE(isOpenableUrl("data:text/html,x"));
  EXPECT_FALSE(isOpenableUrl("file:///etc/passwd"));
  EXPECT_FALSE(isOpenableUrl("https://a.b/\nx"));
  EXPECT_FALSE(isOpenableUrl(""));
}

TEST(MarkdownProse, RulesTaskItemsAndNestedQuotes) {
  const auto blocks = parseProse("- [ ] todo\n- [x] done\n\n---\n\n> outer\n>> inner\n> > also inner");
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].marker, "\xE2\x98\x90");
  EXPECT_EQ(blocks[0].body.text, "todo");
  EXPECT_EQ(blocks[1].marker, "\xE2\x98\x91");
  EXPECT_EQ(blocks[2].kind, Kind::Rule);
  EXPECT_EQ(blocks[3].kind, Kind::Quote);
  EXPECT_EQ(blocks[3].level, 0);
  EXPECT_EQ(blocks[4].kind, Kind::Quote);
  EXPECT_EQ(blocks[4].level, 1);
  EXPECT_EQ(blocks[4].body.text, "inner\nalso inner");
}

TEST(MarkdownProse, TablesBecomeAlignedColumns) {
  const auto blocks = parseProse("| Name | Qty |\n|:-----|----:|\n| apple | 3 |\n| **kiwi** | 12 |\nafter");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].kind, Kind::Table);
  EXPECT_EQ(blocks[0].body.text,
            "Name  \xE2\x94\x82 Qty\n"
            "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"
            "\xE2\x94\x80\xE2\x94\xBC\xE2\x94\x80"
            "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\n"
            "apple \xE2\x94\x82   3\n"
            "kiwi  \xE2\x94\x82  12");
  EXPECT_EQ(blocks[1].kind, Kind::Paragraph);
  // While streaming, a header row without its delimiter row yet is a paragraph.
  const auto partial = parseProse("| Name | Qty |");
  ASSERT_EQ(partial.size(), 1u);
  EXPECT_EQ(partial[0].kind, Kind::Paragraph);
}

}  // namespace
}  // namespace chat::ui
