#include "ui/grapheme.h"

#include "ui/text_layout.h"

namespace chat::ui {

namespace {

struct Range {
  uint32_t lo, hi;
};

template <std::size_t N>
bool inRanges(uint32_t cp, const Range (&ranges)[N]) {
  for (const Range& r : ranges) {
    if (cp >= r.lo && cp <= r.hi) return true;
  }
  return false;
}

// Marks (general categories Mn, Mc, Me) of the common scripts, plus the emoji extenders.
const Range kExtend[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489},                                      // Latin, Cyrillic
    {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7},  // Hebrew
    {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC},  // Arabic
    {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED},
    {0x0711, 0x0711}, {0x0730, 0x074A},                                      // Syriac
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},                    // Thai
    {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECE},                    // Lao
    {0x0F71, 0x0F84}, {0x102B, 0x103E},                                      // Tibetan, Myanmar
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF},                    // combining supplements
    {0x200C, 0x200D},                                                        // ZWNJ, ZWJ
    {0x302A, 0x302F}, {0x3099, 0x309A},                                      // CJK, kana voicing
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},                                      // variation selectors
    {0x1F3FB, 0x1F3FF},                                                      // emoji skin tones
    {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},                                  // tags, VS supplement
};

// The Indic blocks (Devanagari U+0900 .. Malayalam U+0D7F) share one layout of their marks:
// signs at +01..03, nukta +3C, vowel signs and virama +3E..4D, length marks +55..57, vocalic
// vowel signs +62..63.
bool isIndicMark(uint32_t cp) {
  if (cp < 0x0900 || cp > 0x0D7F) return false;
  const uint32_t o = cp & 0x7F;
  return (o >= 0x01 && o <= 0x03) || o == 0x3C || (o >= 0x3E && o <= 0x4D) ||
         (o >= 0x55 && o <= 0x57) || (o >= 0x62 && o <= 0x63) || (cp >= 0x093A && cp <= 0x093B);
}

bool isRegionalIndicator(uint32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

const Range kRtl[] = {
    {0x0590, 0x08FF},  // Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, NKo, Samaritan, ...
    {0xFB1D, 0xFDFF},  // Hebrew and Arabic presentation forms A
    {0xFE70, 0xFEFF},  // Arabic presentation forms B
    {0x10800, 0x10FFF}, {0x1E800, 0x1EFFF},
};

// Scripts whose letters change shape or combine (Arabic joining, Indic conjuncts, Thai and
// Lao stacking, Tibetan, Myanmar, Khmer), besides marks and RTL.
const Range kShaped[] = {
    {0x0900, 0x0DFF}, {0x0E00, 0x0EFF}, {0x0F00, 0x0FFF}, {0x1000, 0x109F}, {0x1780, 0x17FF},
};

}  // namespace

bool isExtendingCodePoint(uint32_t cp) { return inRanges(cp, kExtend) || isIndicMark(cp); }

std::size_t nextClusterEnd(std::string_view text, std::size_t i) {
  uint32_t cp = 0;
  std::size_t end = i + decodeUtf8(text, i, &cp);
  if (cp == '\n' || cp == '\r') return end;  // line ends stay visible to the wrapper
  if (isRegionalIndicator(cp) && end < text.size()) {  // a flag is a pair
    uint32_t next = 0;
    const std::size_t len = decodeUtf8(text, end, &next);
    if (isRegionalIndicator(next)) end += len;
    return end;  // a third indicator starts the next flag
  }
  while (end < text.size()) {
    uint32_t next = 0;
    const std::size_t len = decodeUtf8(text, end, &next);
    if (next == 0x200D) {  // ZWJ: the character after it joins too (👨‍👩‍👧)
      end += len;
      if (end < text.size()) {
        uint32_t joined = 0;
        const std::size_t jl = decodeUtf8(text, end, &joined);
        if (joined != '\n' && joined != '\r') end += jl;
      }
      continue;
    }
    if (!isExtendingCodePoint(next)) break;
    end += len;
  }
  return end;
}

std::size_t clusterCount(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); i = nextClusterEnd(text, i)) ++n;
  return n;
}

bool isStrongRtl(uint32_t cp) { return inRanges(cp, kRtl) && !isExtendingCodePoint(cp) && !(cp >= 0x0660 && cp <= 0x0669); }

bool isStrongLtr(uint32_t cp) {
  if (isStrongRtl(cp) || isExtendingCodePoint(cp)) return false;
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
  if (cp < 0xC0) return false;  // ASCII and Latin-1 digits, punctuation, symbols: weak or neutral
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, shapes
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs are neutral
  if (cp >= 0xFE00 && cp <= 0xFE6F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF20) return false;
  return true;
}

TextDirection paragraphDirection(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    i += decodeUtf8(text, i, &cp);
    if (isStrongRtl(cp)) return TextDirection::Rtl;
    if (isStrongLtr(cp)) return TextDirection::Ltr;
  }
  return TextDirection::Ltr;
}

bool needsShaping(uint32_t cp) {
  if (cp < 0x0300) return false;
  return cp > 0xFFFF || inRanges(cp, kRtl) || inRanges(cp, kShaped) || isExtendingCodePoint(cp);
}

const char* emBoxRepresentative(std::string_view cluster) {
  if (cluster.empty()) return nullptr;
  uint32_t cp = 0;
  if (decodeUtf8(cluster, 0, &cp) != cluster.size()) return nullptr;  // one code point only
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF)) {
    return "\xE4\xB8\xAD";  // 中: CJK unified (and extension A, compatibility) ideographs
  }
  if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA)) return "\xE3\x81\x82";  // あ: kana
  if (cp >= 0xAC00 && cp <= 0xD7A3) return "\xED\x95\x9C";                                       // 한: Hangul
  if (cp >= 0xFF01 && cp <= 0xFF5E) return "\xEF\xBC\xA1";                                       // Ａ: fullwidth
  return nullptr;
}

}  // namespace chat::ui
