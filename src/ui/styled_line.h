// Where the pieces of one wrapped line of Markdown prose go: the line cut where its style
// changes (markdown_prose.h spans), each piece with its box and the place of its text. Pure (no
// ImGui), so the positions are unit tested; card_layout.cpp draws them.
//
// Inline code sits on a chip: the chip is the piece's box, its text kCodeChipPad in from each
// end of the span, and the wrapping counted that padding (wrapMixedText's monoPad), so the chip
// ends where the next piece begins and never covers the space after it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ui/markdown_prose.h"
#include "ui/text_layout.h"

namespace chat::ui {

constexpr float kCodeChipPad = 3.0f;

struct StyledPiece {
  uint32_t begin = 0;  // byte range in the row's text, [begin, end)
  uint32_t end = 0;
  bool bold = false, code = false, italic = false, strike = false;
  int link = -1;       // index into the row's links, or -1
  float x = 0;         // left edge of the piece's box (a code piece: its chip)
  float width = 0;     // the box: the text, plus the chip's padding at the ends of a code span
  float textX = 0;     // where the text is drawn
  float textWidth = 0;
};

// The pieces of `line` of `text`, laid out from x = `x0`. `bold`: the whole row is bold (a
// heading). The widths add up to the line's wrapped width.
std::vector<StyledPiece> layoutStyledLine(std::string_view text, const std::vector<StyleSpan>& spans, bool bold,
                                          const WrappedLine& line, float x0, const FontMetrics& sans,
                                          const FontMetrics& mono);

// The inline code spans of a row (sorted, disjoint): measured in the monospace font.
std::vector<ByteRange> codeRangesOf(const std::vector<StyleSpan>& spans);

}  // namespace chat::ui
