#include "ui/text_layout.h"

#include <algorithm>

#include "ui/grapheme.h"

namespace chat::ui {

namespace {

constexpr uint32_t kReplacement = 0xFFFD;

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool isBreakSpace(uint32_t cp) { return cp == ' ' || cp == '\t'; }

}  // namespace

float FontMetrics::clusterWidth(std::string_view cluster) const {
  uint32_t cp = 0;
  std::size_t i = decodeUtf8(cluster, 0, &cp);
  if (i == cluster.size() && !needsShaping(cp) && (hasGlyph(cp) || fallback == nullptr)) return advance(cp);
  bool simple = !needsShaping(cp) && hasGlyph(cp);
  float w = isExtendingCodePoint(cp) ? 0.0f : advance(cp);
  while (i < cluster.size()) {
    i += decodeUtf8(cluster, i, &cp);
    if (needsShaping(cp) || !hasGlyph(cp)) simple = false;
    if (!isExtendingCodePoint(cp)) w += advance(cp);
  }
  if (!simple && fallback != nullptr) return fallback->width(cluster);
  return w;
}

std::size_t decodeUtf8(std::string_view text, std::size_t i, uint32_t* codePoint) {
  const std::size_t n = text.size();
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  uint32_t cp = 0;
  if (b0 < 0x80) {
    *codePoint = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    *codePoint = kReplacement;  // a stray continuation byte or an invalid lead byte
    return 1;
  }
  if (i + len > n) {
    *codePoint = kReplacement;
    return 1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (!isContinuation(b)) {
      *codePoint = kReplacement;
      return 1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *codePoint = cp;
  return len;
}

std::size_t utf8Boundary(std::string_view text, std::size_t i) {
  if (i >= text.size()) return text.size();
  std::size_t back = 0;
  // At most 3 continuation bytes belong to one sequence; more means invalid text, where any
  // byte is a boundary.
  while (i > 0 && back < 3 && isContinuation(static_cast<unsigned char>(text[i]))) {
    --i;
    ++back;
  }
  return i;
}

namespace {

// The wrapping rules, with the metrics of each byte offset from `fontAt` (one font, or the
// monospace font inside code spans) and `extraAt(i, len)`: room added to the cluster at
// [i, i + len) (the padding of an inline code chip at the ends of its span).
// `lines`: empty, or the lines of an earlier text that `text` repeats up to the start of their
// last line, which is wrapped again from its start (wrapTextFrom).
template <typename FontAt, typename ExtraAt>
void wrapWithFrom(std::string_view text, float maxWidth, FontAt&& fontAt, ExtraAt&& extraAt,
                  std::vector<WrappedLine>& lines) {
  std::size_t from = 0;
  if (!lines.empty()) {
    from = std::min<std::size_t>(lines.back().begin, text.size());
    lines.pop_back();
  }
  const std::size_t n = text.size();
  std::size_t begin = from;  // start of the current line
  float width = 0;         // width of [begin, i)
  bool breakValid = false; // a run of spaces after some content exists on this line
  std::size_t breakEnd = 0;   // content before the last space run ends here
  float breakWidth = 0;       // width of [begin, breakEnd)
  std::size_t resume = 0;     // first byte after that space run
  float resumeWidth = 0;      // width of [begin, resume)
  bool inSpaces = false;

  auto emit = [&](std::size_t end, float w) {
    lines.push_back(WrappedLine{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), w});
  };

  std::size_t i = from;
  while (i < n) {
    uint32_t cp = 0;
    decodeUtf8(text, i, &cp);
    const std::size_t len = cp == '\n' ? 1 : nextClusterEnd(text, i) - i;
    if (cp == '\n') {
      emit(i, width);
      begin = i + 1;
      width = 0;
      breakValid = false;
      inSpaces = false;
      i += len;
      continue;
    }
    const FontMetrics& font = fontAt(i);
    const float a = (len == 1 ? font.advance(cp) : font.clusterWidth(text.substr(i, len))) + extraAt(i, len);
    if (isBreakSpace(cp)) {
      if (!inSpaces && i > begin) {
        breakValid = true;
        breakEnd = i;
        breakWidth = width;
      }
      inSpaces = true;
      width += a;  // spaces hang past the edge instead of wrapping
      i += len;
      resume = i;
      resumeWidth = width;
      continue;
    }
    inSpaces = false;
    while (width + a > maxWidth && i > begin) {
      if (breakValid) {
        emit(breakEnd, breakWidth);
        begin = resume;
        width -= resumeWidth;
        breakValid = false;
      } else {
        emit(i, width);  // a token longer than the line: break inside it, between code points
        begin = i;
        width = 0;
      }
    }
    width += a;
    i += len;
  }
  emit(n, width);
}

float noExtra(std::size_t, std::size_t) { return 0.0f; }

}  // namespace

std::vector<WrappedLine> wrapText(std::string_view text, float maxWidth, const FontMetrics& font) {
  std::vector<WrappedLine> lines;
  wrapTextFrom(text, maxWidth, font, lines);
  return lines;
}

void wrapTextFrom(std::string_view text, float maxWidth, const FontMetrics& font,
                  std::vector<WrappedLine>& lines) {
  wrapWithFrom(text, maxWidth, [&](std::size_t) -> const FontMetrics& { return font; }, noExtra, lines);
}

std::vector<WrappedLine> wrapMixedText(std::string_view text, float maxWidth, const FontMetrics& font,
                                       const FontMetrics& mono, const std::vector<ByteRange>& monoRanges,
                                       float monoPad) {
  std::vector<WrappedLine> lines;
  wrapMixedTextFrom(text, maxWidth, font, mono, monoRanges, lines, monoPad);
  return lines;
}

void wrapMixedTextFrom(std::string_view text, float maxWidth, const FontMetrics& font,
                       const FontMetrics& mono, const std::vector<ByteRange>& monoRanges,
                       std::vector<WrappedLine>& lines, float monoPad) {
  std::size_t k = 0;  // offsets only grow: the range at or after the last offset asked
  auto rangeAt = [&](std::size_t at) -> const ByteRange* {
    while (k < monoRanges.size() && monoRanges[k].end <= at) ++k;
    return k < monoRanges.size() && monoRanges[k].begin <= at ? &monoRanges[k] : nullptr;
  };
  wrapWithFrom(text, maxWidth, [&](std::size_t at) -> const FontMetrics& { return rangeAt(at) ? mono : font; },
               [&](std::size_t at, std::size_t len) {
                 const ByteRange* r = rangeAt(at);
                 if (r == nullptr || monoPad == 0.0f) return 0.0f;
                 return (at == r->begin ? monoPad : 0.0f) + (at + len >= r->end ? monoPad : 0.0f);
               },
               lines);
}

float textWidth(std::string_view text, const FontMetrics& font) {
  float w = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80 &&
        (i + 1 >= text.size() || static_cast<unsigned char>(text[i + 1]) < 0x80)) {
      w += font.advance(static_cast<unsigned char>(text[i]));  // ASCII, nothing joins it
      ++i;
      continue;
    }
    const std::size_t end = nextClusterEnd(text, i);
    w += font.clusterWidth(text.substr(i, end - i));
    i = end;
  }
  return w;
}

std::string_view fitWithEllipsis(std::string_view text, float maxWidth, const FontMetrics& font,
                                 bool* truncated) {
  if (truncated) *truncated = false;
  if (textWidth(text, font) <= maxWidth) return text;
  if (truncated) *truncated = true;
  const float budget = maxWidth - font.advance(0x2026);
  float w = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = nextClusterEnd(text, i) - i;
    const float a = font.clusterWidth(text.substr(i, len));
    if (w + a > budget) break;
    w += a;
    i += len;
  }
  return text.substr(0, i);
}

}  // namespace chat::ui
