// Word wrapping for the message list: where each visual line of a text starts and ends at a
// given width. Pure functions over UTF-8 and a table of glyph advances (no ImGui here), so the
// rules are unit tested with a fixed-width font and reused with the real ImGui fonts.
//
// Rules: '\n' always ends a line; lines break after a run of spaces (the spaces hang at the end
// and are not part of the line); a token wider than the line (a URL, a hash) breaks between two
// code points; a line never splits a UTF-8 sequence; every line holds at least one code point,
// so wrapping always terminates, even at width 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace chat::ui {

// Horizontal advance of each code point at the size text is drawn at.
struct FontMetrics {
  const float* advances = nullptr;  // indexed by code point, `count` entries
  std::size_t count = 0;
  float fallbackAdvance = 8.0f;     // code points outside the table (drawn as the fallback glyph)
  float scale = 1.0f;               // table units -> drawn pixels
  float lineHeight = 16.0f;         // vertical step between two lines, drawn pixels

  float advance(uint32_t codePoint) const {
    if (codePoint == '\r') return 0.0f;  // ImGui draws nothing for CR
    const float a = codePoint < count ? advances[codePoint] : fallbackAdvance;
    return a * scale;
  }
};

// Decodes one code point at text[i]; returns its byte length (>= 1 even for invalid bytes,
// which decode as U+FFFD, so callers always make progress and never read past the end).
std::size_t decodeUtf8(std::string_view text, std::size_t i, uint32_t* codePoint);

// Start of the code point containing byte i (steps back over continuation bytes).
std::size_t utf8Boundary(std::string_view text, std::size_t i);

struct WrappedLine {
  uint32_t begin = 0;  // byte offsets into the wrapped text, [begin, end)
  uint32_t end = 0;
  float width = 0;     // drawn width of [begin, end)
};

// Lines of `text` at `maxWidth`. An empty text is one empty line.
std::vector<WrappedLine> wrapText(std::string_view text, float maxWidth, const FontMetrics& font);

// Wrapping a text that grew: `lines` are the lines of an earlier text that `text` repeats up
// to the start of their last line (a line ends only where later text cannot move it, so only
// the last one can change). Drops that last line and wraps on from its start: the cost is the
// last line plus what was added, not the whole text.
void wrapTextFrom(std::string_view text, float maxWidth, const FontMetrics& font,
                  std::vector<WrappedLine>& lines);

// Width of a single (unwrapped) run of text.
float textWidth(std::string_view text, const FontMetrics& font);

// The longest prefix of `text` that fits `maxWidth` once "…" is appended; the whole text if it
// fits as it is.
std::string_view fitWithEllipsis(std::string_view text, float maxWidth, const FontMetrics& font,
                                 bool* truncated);

}  // namespace chat::ui
