#include "ui/styled_line.h"

#include <algorithm>

namespace chat::ui {

std::vector<ByteRange> codeRangesOf(const std::vector<StyleSpan>& spans) {
  std::vector<ByteRange> ranges;
  for (const StyleSpan& sp : spans) {
    if (sp.style == StyleSpan::Style::Code && (ranges.empty() || sp.begin >= ranges.back().end)) {
      ranges.push_back({sp.begin, sp.end});
    }
  }
  return ranges;
}

std::vector<StyledPiece> layoutStyledLine(std::string_view text, const std::vector<StyleSpan>& spans, bool bold,
                                          const WrappedLine& line, float x0, const FontMetrics& sans,
                                          const FontMetrics& mono) {
  std::vector<StyledPiece> pieces;
  const uint32_t end = std::min<uint32_t>(line.end, static_cast<uint32_t>(text.size()));
  uint32_t at = line.begin;
  float x = x0;
  while (at < end) {
    // The style at `at` and where it changes next.
    StyledPiece p;
    p.begin = at;
    p.bold = bold;
    uint32_t next = end;
    uint32_t codeBegin = 0, codeEnd = 0;
    for (const StyleSpan& s : spans) {
      if (s.begin <= at && at < s.end) {
        switch (s.style) {
          case StyleSpan::Style::Bold: p.bold = true; break;
          case StyleSpan::Style::Code:
            p.code = true;
            codeBegin = s.begin;
            codeEnd = s.end;
            break;
          case StyleSpan::Style::Italic: p.italic = true; break;
          case StyleSpan::Style::Strike: p.strike = true; break;
          case StyleSpan::Style::Link: p.link = static_cast<int>(s.link); break;
        }
        next = std::min(next, s.end);
      } else if (s.begin > at) {
        next = std::min(next, s.begin);
      }
    }
    p.end = next;
    p.textWidth = textWidth(text.substr(at, next - at), p.code ? mono : sans);
    // The chip's padding only where the span itself starts or ends (not where a line break
    // cuts it): the same room the wrapping counted.
    const float padLeft = p.code && p.begin == codeBegin ? kCodeChipPad : 0.0f;
    const float padRight = p.code && p.end >= codeEnd ? kCodeChipPad : 0.0f;
    p.x = x;
    p.textX = x + padLeft;
    p.width = padLeft + p.textWidth + padRight;
    x += p.width;
    pieces.push_back(p);
    at = next;
  }
  return pieces;
}

}  // namespace chat::ui
