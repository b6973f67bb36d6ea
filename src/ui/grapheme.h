// Grapheme clusters and text direction, the parts of Unicode text segmentation (UAX #29) and
// bidi (UAX #9) the message list needs, as pure functions over UTF-8:
// - a cluster is what a reader sees as one character: a base with its combining marks
//   (é as e + U+0301, Devanagari and Thai vowel signs, Arabic harakat), an emoji with its skin
//   tone or variation selector, a ZWJ sequence (👨‍👩‍👧), a flag (two regional indicators), a tag
//   sequence. Wrapping, the caret and selection never split one.
// - the direction of a paragraph is that of its first strong character (rule P2): a paragraph
//   starting in Arabic or Hebrew is laid out right to left. The order of mixed runs inside a
//   line is left to the browser, which draws the line as one run (glyph_fallback.h).
// The tables cover the scripts people write in chats with the common marks; unknown code
// points count as ordinary characters, so nothing is lost, at worst split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chat::ui {

// Joins the preceding character (nonspacing / spacing marks, variation selectors, emoji
// modifiers, ZWJ, tags).
bool isExtendingCodePoint(uint32_t cp);

// End (byte offset) of the cluster starting at byte `i` of `text`; i < text.size().
std::size_t nextClusterEnd(std::string_view text, std::size_t i);

// Number of clusters in `text`.
std::size_t clusterCount(std::string_view text);

// Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, and their presentation
// forms); strong left-to-right letters (Latin, CJK, Indic, ... anything alphabetic that is not
// RTL).
bool isStrongRtl(uint32_t cp);
bool isStrongLtr(uint32_t cp);

enum class TextDirection { Ltr, Rtl };

// Direction of a paragraph from its first strong character; none: left to right.
TextDirection paragraphDirection(std::string_view text);

// True when a line needs the browser's text engine to be drawn right: right-to-left letters,
// scripts that are shaped (Arabic, Indic, Thai...), combining marks, or code points above
// U+FFFF (emoji), which the 16-bit atlas cannot hold.
bool needsShaping(uint32_t cp);

// CJK text is set on the ideographic em box: every Han ideograph (and every kana, every Hangul
// syllable, every fullwidth form) has one advance in a given CJK font. For a cluster that is one
// such code point, the class's representative ("中", "あ", "한", "Ａ"), whose measured width
// stands for the whole class; else null. The browser then measures one ideograph per font
// size instead of each new one (a screen of new CJK text: hundreds of measures in one frame).
const char* emBoxRepresentative(std::string_view cluster);

}  // namespace chat::ui
