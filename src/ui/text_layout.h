// Word wrapping for the message list: where each visual line of a text starts and ends at a
// given width. Pure functions over UTF-8 and a table of glyph advances (no ImGui here), so the
// rules are unit tested with a fixed-width font and reused with the real ImGui fonts.
//
// Rules: a grapheme cluster (grapheme.h) is never split; '\n' always ends a line; lines break after a run of spaces (the spaces hang at the end
// and are not part of the line); a token wider than the line (a URL, a hash) breaks between two
// code points; a line never splits a UTF-8 sequence; every line holds at least one code point,
// so wrapping always terminates, even at width 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace chat::ui {

// Widths of grapheme clusters the font cannot draw itself (CJK, emoji, shaped scripts), as the
// browser's text engine draws them (glyph_fallback.h). Absent natively: such clusters then
// count one fallback advance per code point that is not a mark.
class ClusterWidths {
 public:
  virtual ~ClusterWidths() = default;
  // Width in drawn pixels of `cluster` at the metrics' size.
  virtual float width(std::string_view cluster) const = 0;
};

// Horizontal advance of each code point at the size text is drawn at.
struct FontMetrics {
  const float* advances = nullptr;  // indexed by code point, `count` entries
  std::size_t count = 0;
  float fallbackAdvance = 8.0f;     // code points outside the table (drawn as the fallback glyph)
  float scale = 1.0f;               // table units -> drawn pixels
  float lineHeight = 16.0f;         // vertical step between two lines, drawn pixels
  // Which code points the font has a glyph for (0xFFFF: none), `glyphCount` entries; null:
  // every code point in `advances` is drawable.
  const uint16_t* glyphIndex = nullptr;
  std::size_t glyphCount = 0;
  const ClusterWidths* fallback = nullptr;

  bool hasGlyph(uint32_t codePoint) const {
    if (glyphIndex == nullptr) return codePoint < count;
    return codePoint < glyphCount && glyphIndex[codePoint] != 0xFFFF;
  }
  // Width of one grapheme cluster (grapheme.h): the font's advances when it can draw it as
  // is, the browser's measure when it contains what the font lacks or what needs shaping.
  float clusterWidth(std::string_view cluster) const;

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

struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// The same, with `mono` metrics inside `monoRanges` (inline code spans; sorted, disjoint).
// `monoPad`: room each range keeps before its first and after its last code point (the inline
// code chip's padding, styled_line.h), counted in the widths so the chip never overlaps the
// text around it.
std::vector<WrappedLine> wrapMixedText(std::string_view text, float maxWidth, const FontMetrics& font,
                                       const FontMetrics& mono, const std::vector<ByteRange>& monoRanges,
                                       float monoPad = 0.0f);
// wrapMixedText for a text that grew, as wrapTextFrom.
void wrapMixedTextFrom(std::string_view text, float maxWidth, const FontMetrics& font,
                       const FontMetrics& mono, const std::vector<ByteRange>& monoRanges,
                       std::vector<WrappedLine>& lines, float monoPad = 0.0f);

// Width of a single (unwrapped) run of text.
float textWidth(std::string_view text, const FontMetrics& font);

// The longest prefix of `text` that fits `maxWidth` once "…" is appended; the whole text if it
// fits as it is.
std::string_view fitWithEllipsis(std::string_view text, float maxWidth, const FontMetrics& font,
                                 bool* truncated);

}  // namespace chat::ui
