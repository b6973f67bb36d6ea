#include "ui/fonts.h"

#include <cmath>
#include <cstdio>

#include "ui/glyph_fallback.h"

namespace chat::ui {

namespace {

// Latin with extensions, general punctuation (dashes, quotes, "…"), currency, arrows, box
// drawing (Markdown tables, tool output), geometric shapes, ballot boxes (task items), the check
// marks (✓ ✗) and the replacement character: what the interface itself draws and most chat
// text. Everything else (Greek, Cyrillic, CJK, emoji, Arabic, Hebrew, Indic, Thai, other
// dingbats) is drawn by the browser (glyph_fallback.h): Greek and Cyrillic left the embedded
// subsets to bring a first visit under 400 KiB (-42 KiB brotli). The web build embeds subsets
// holding exactly these ranges (src/web/CMakeLists.txt: keep the two lists equal).
const ImWchar kSansRanges[] = {
    0x0020, 0x024F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2190, 0x21FF, 0x2500, 0x257F,
    0x25A0, 0x25FF, 0x2610, 0x2612, 0x2713, 0x2718, 0xFFFD, 0xFFFD, 0,
};
const ImWchar kMonoRanges[] = {
    0x0020, 0x024F, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2500, 0x259F, 0xFFFD, 0xFFFD, 0,
};

bool readable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::fclose(f);
  return true;
}

ImFont* addFont(ImFontAtlas* atlas, const std::string& path, float sizePx, const ImWchar* ranges,
                float ratio) {
  ImFontConfig cfg;
  // At ratio >= 1.5 the glyphs already have enough pixels; horizontal oversampling would only
  // double the atlas.
  cfg.OversampleH = ratio >= 1.5f ? 1 : 2;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = false;
  if (readable(path)) {
    ImFont* f = atlas->AddFontFromFileTTF(path.c_str(), sizePx, &cfg, ranges);
    if (f != nullptr) return f;
  }
  ImFontConfig fallback;
  fallback.SizePixels = std::round(13.0f * ratio);
  return atlas->AddFontDefault(&fallback);
}

}  // namespace

FontSet loadFontSet(const std::string& dir, float pixelRatio) {
  if (!(pixelRatio > 0.25f) || !std::isfinite(pixelRatio)) pixelRatio = 1.0f;
  if (pixelRatio > 4.0f) pixelRatio = 4.0f;
  ImGuiIO& io = ImGui::GetIO();
  ImFontAtlas* atlas = io.Fonts;
  atlas->Clear();
  std::string base = dir;
  if (!base.empty() && base.back() != '/') base.push_back('/');
  FontSet set;
  set.pixelRatio = pixelRatio;
  set.fromFiles = readable(base + "DejaVuSans.ttf") && readable(base + "DejaVuSansMono.ttf");
  set.sans = addFont(atlas, base + "DejaVuSans.ttf", kSansPx * pixelRatio, kSansRanges, pixelRatio);
  set.mono = addFont(atlas, base + "DejaVuSansMono.ttf", kMonoPx * pixelRatio, kMonoRanges, pixelRatio);
  io.FontDefault = set.sans;
  io.FontGlobalScale = 1.0f / pixelRatio;
  atlas->Build();
  registerFonts(set.sans, set.mono, set.fromFiles ? kDejaVuEmPerPixelHeight : 1.0f);
  return set;
}

float drawSizeOf(const ImFont* font) {
  return font->FontSize * font->Scale * ImGui::GetIO().FontGlobalScale;
}

FontMetrics metricsOf(const ImFont* font, float lineSpacing) {
  FontMetrics m;
  m.advances = font->IndexAdvanceX.Data;
  m.count = static_cast<std::size_t>(font->IndexAdvanceX.Size);
  m.fallbackAdvance = font->FallbackAdvanceX;
  const float size = drawSizeOf(font);
  m.scale = size / font->FontSize;
  m.lineHeight = std::round(size * lineSpacing);
  static_assert(sizeof(ImWchar) == sizeof(uint16_t), "the glyph table is read as 16-bit indices");
  m.glyphIndex = reinterpret_cast<const uint16_t*>(font->IndexLookup.Data);
  m.glyphCount = static_cast<std::size_t>(font->IndexLookup.Size);
  m.fallback = clusterWidthsFor(font);
  return m;
}

}  // namespace chat::ui
