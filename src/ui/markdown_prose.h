// The Markdown an agent's prose uses most, read into blocks the message list can lay out:
// headings, bullet and numbered items (nested by indentation), block quotes and paragraphs,
// each with its inline markers (`code`, **bold**, backslash escapes) taken out of the text and
// kept as style spans over it. Fenced code blocks are split off before (markdown_blocks.h).
//
// Pure functions, no ImGui: the text a block draws is exactly `text`, so wrapping it with the
// existing text layout (one font, same widths) stays right, and styles only change colours and
// backgrounds. Anything that does not parse as a marker stays literal: an unclosed ** or ` (a
// reply still streaming), single * and _ (2*3*4, snake_case), a "#" without a space after it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chat::ui {

struct StyleSpan {
  enum class Style { Bold, Code };
  Style style;
  uint32_t begin = 0;  // byte range in the block's text, [begin, end)
  uint32_t end = 0;
};

struct InlineText {
  std::string text;               // the markers taken out
  std::vector<StyleSpan> spans;   // in text order; a bold span may contain code spans
};

// `code` spans (literal inside), **bold** (may contain code), \x escapes of ASCII punctuation.
InlineText parseInline(std::string_view source);

struct ProseBlock {
  enum class Kind { Paragraph, Heading, Bullet, Numbered, Quote };
  Kind kind = Kind::Paragraph;
  int level = 0;       // Heading: 1..6; Bullet / Numbered: nesting depth 0..3
  std::string marker;  // Bullet: "•"; Numbered: "3." as written ("3)" stays "3)")
  InlineText body;
};

// Blocks in order. Lines of one paragraph or quote keep their '\n'; a blank line ends a block;
// an indented line right after an item continues that item.
std::vector<ProseBlock> parseProse(std::string_view prose);

// A bullet or numbered item line ("- x", "2. x", after its indentation).
bool isListItemLine(std::string_view line);

// The characters appendInline gives a meaning to: text without them is its own inline text.
inline bool isInlineMarkerChar(char c) { return c == '`' || c == '*' || c == '\\'; }

}  // namespace chat::ui
