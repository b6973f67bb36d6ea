// The Markdown an agent's prose uses most, read into blocks the message list can lay out:
// headings, bullet and numbered items (nested by indentation), task items, block quotes (nested),
// horizontal rules, tables and paragraphs, each with its inline markers (`code`, ``code``,
// **bold**, __bold__, *italic*, _italic_, ~~strike~~, [links](url), bare URLs, backslash
// escapes) taken out of the text and kept as style spans over it. Fenced code blocks are split
// off before (markdown_blocks.h).
//
// Pure functions, no ImGui: the text a block draws is exactly `text`, so wrapping it with the
// existing text layout (one font, same widths) stays right, and styles only change colours and
// backgrounds (code spans are measured in the monospace font). Anything that does not parse as
// a marker stays literal: an unclosed **, *, ~~ or ` (a reply still streaming), intraword * and
// _ (2*3*4, snake_case), a "#" without a space after it, a link whose ")" has not arrived.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chat::ui {

struct StyleSpan {
  enum class Style { Bold, Code, Italic, Strike, Link };
  Style style;
  uint32_t begin = 0;  // byte range in the block's text, [begin, end)
  uint32_t end = 0;
  uint32_t link = 0;   // Link: index into InlineText::links
};

struct InlineText {
  std::string text;                // the markers taken out
  std::vector<StyleSpan> spans;    // in order of their starts; spans nest (bold code, a bold link)
  std::vector<std::string> links;  // link targets as written (see isOpenableUrl)
};

// `code` / ``code`` spans (literal inside), **bold** / __bold__, *italic* / _italic_,
// ~~strike~~, [text](url), <url>, bare http(s):// and mailto: URLs, \x escapes of ASCII
// punctuation.
InlineText parseInline(std::string_view source);

// Only http:, https: and mailto: links are ever opened (never javascript:, data:, file:...).
bool isOpenableUrl(std::string_view url);

struct ProseBlock {
  enum class Kind { Paragraph, Heading, Bullet, Numbered, Quote, Rule, Table };
  Kind kind = Kind::Paragraph;
  // Heading: 1..6; Bullet / Numbered: nesting depth 0..3; Quote: depth - 1 (">>" is 1)
  int level = 0;
  std::string marker;  // Bullet: "•", task items "☐" / "☑"; Numbered: "3." as written
  InlineText body;     // Table: the cells laid out in aligned monospace columns
};

// Blocks in order. Lines of one paragraph or quote keep their '\n'; a blank line ends a block;
// an indented line right after an item continues that item.
std::vector<ProseBlock> parseProse(std::string_view prose);

// A bullet or numbered item line ("- x", "2. x", after its indentation).
bool isListItemLine(std::string_view line);

// Characters no inline or block syntax gives a meaning to (ASCII letters, digits, the space and
// , . ; ! ? ' " % & = $): appended after a plain character to a line already long enough to
// be what it is, outside a URL, they become the block's text as they are.
inline bool isPlainTextChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
         c == ',' || c == '.' || c == ';' || c == '!' || c == '?' || c == '\'' || c == '"' ||
         c == '%' || c == '&' || c == '=' || c == '$';
}

}  // namespace chat::ui
