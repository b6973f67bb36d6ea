#include "ui/code_draw.h"

#include <algorithm>
#include <array>

#include "ui/glyph_fallback.h"

namespace chat::ui {

ImU32 tokenColor(TokenKind kind) {
  switch (kind) {
    case TokenKind::Keyword: return IM_COL32(0xC7, 0x92, 0xEA, 0xFF);  // violet
    case TokenKind::String: return IM_COL32(0xA5, 0xD6, 0x7F, 0xFF);   // green
    case TokenKind::Comment: return IM_COL32(0x8B, 0x94, 0x9E, 0xFF);  // grey
    case TokenKind::Number: return IM_COL32(0xF7, 0x8C, 0x6C, 0xFF);   // orange
    case TokenKind::Tag: return IM_COL32(0x82, 0xAA, 0xFF, 0xFF);      // blue
  }
  return IM_COL32_WHITE;
}

std::vector<CodeToken> highlightCached(CodeLang lang, std::string_view text) {
  if (lang == CodeLang::None) return {};
  // A handful of slots: the block streaming now and the few laid out around it. The slot whose
  // text shares the longest prefix with the new one is reused; otherwise the oldest.
  struct Slot {
    IncrementalHighlight h;
    std::string text;
    uint64_t used = 0;
  };
  static std::array<Slot, 4> slots;
  static uint64_t clock = 0;
  Slot* best = &slots[0];
  std::size_t bestPrefix = 0;
  for (Slot& s : slots) {
    const std::size_t n = std::min(s.text.size(), text.size());
    const auto prefix = static_cast<std::size_t>(
        std::mismatch(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(n), s.text.begin()).first - text.begin());
    if (prefix > bestPrefix) {
      best = &s;
      bestPrefix = prefix;
    }
  }
  if (bestPrefix == 0) {
    best = &*std::min_element(slots.begin(), slots.end(),
                              [](const Slot& a, const Slot& b) { return a.used < b.used; });
  }
  best->used = ++clock;
  best->text.assign(text.data(), text.size());
  return best->h.update(lang, text);
}

void drawHighlightedLine(ImDrawList* dl, ImFont* font, float size, const FontMetrics& m,
                         std::string_view text, const std::vector<CodeToken>& tokens,
                         const WrappedLine& line, ImVec2 pos, ImU32 plain) {
  // The first token that ends after the line starts.
  auto it = std::upper_bound(tokens.begin(), tokens.end(), line.begin,
                             [](uint32_t at, const CodeToken& t) { return at < t.end; });
  uint32_t at = line.begin;
  float x = pos.x;
  while (at < line.end) {
    uint32_t next = line.end;
    ImU32 color = plain;
    if (it != tokens.end() && it->begin <= at) {
      color = tokenColor(it->kind);
      next = std::min(next, it->end);
    } else if (it != tokens.end()) {
      next = std::min(next, it->begin);
    }
    const std::string_view piece = text.substr(at, next - at);
    drawText(dl, font, size, ImVec2(x, pos.y), color, piece);
    x += textWidth(piece, m);
    at = next;
    if (it != tokens.end() && at >= it->end) ++it;
  }
}

}  // namespace chat::ui
