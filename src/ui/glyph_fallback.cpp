#include "ui/glyph_fallback.h"

#include <algorithm>
#include <chrono>

#include "ui/grapheme.h"

namespace chat::ui {

namespace {

TextRunEngine* gEngine = nullptr;
GlyphFallbackStats gStats;

double steadyMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

RasterBudget gBudget(steadyMs);

// Widths of what a font lacks, from the engine, at the size the font is drawn at.
class EngineWidths : public ClusterWidths {
 public:
  void set(const ImFont* font, bool mono) {
    font_ = font;
    mono_ = mono;
  }
  const ImFont* font() const { return font_; }
  float width(std::string_view cluster) const override {
    const float size = font_->FontSize * font_->Scale * ImGui::GetIO().FontGlobalScale;
    return gEngine ? gEngine->measure(cluster, mono_, browserTextSize(size)) : font_->FallbackAdvanceX;
  }

 private:
  const ImFont* font_ = nullptr;
  bool mono_ = false;
};

EngineWidths gSans, gMono;
float gEmPerPixelHeight = 1.0f;

bool fontHas(const ImFont* font, uint32_t cp) {
  if (cp > 0xFFFF) return false;  // the atlas has 16-bit code points
  return font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
}

}  // namespace

void setTextRunEngine(TextRunEngine* engine) { gEngine = engine; }
TextRunEngine* textRunEngine() { return gEngine; }

RasterBudget& textRunBudget() { return gBudget; }
void beginTextRunFrame() { gBudget.beginFrame(); }
bool textRunsDeferred() { return gBudget.deferredThisFrame() > 0; }

void registerFonts(const ImFont* sans, const ImFont* mono, float emPerPixelHeight) {
  gSans.set(sans, false);
  gMono.set(mono, true);
  gEmPerPixelHeight = emPerPixelHeight > 0 ? emPerPixelHeight : 1.0f;
}

float browserTextSize(float size) { return size * gEmPerPixelHeight; }

const ClusterWidths* clusterWidthsFor(const ImFont* font) {
  if (gEngine == nullptr || font == nullptr) return nullptr;
  if (font == gSans.font()) return &gSans;
  if (font == gMono.font()) return &gMono;
  return nullptr;
}

bool needsBrowserText(const ImFont* font, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // ASCII: always in the atlas
      ++i;
      continue;
    }
    uint32_t cp = 0;
    i += decodeUtf8(text, i, &cp);
    if (needsShaping(cp) || !fontHas(font, cp)) return true;
  }
  return false;
}

void drawText(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text,
              bool rtl) {
  if (text.empty()) return;
  if (!needsBrowserText(font, text)) {
    dl->AddText(font, size, pos, color, text.data(), text.data() + text.size());
    return;
  }
  RunImage img;
  const bool mono = font == gMono.font();
  if (gEngine != nullptr) {
    const double started = gBudget.now();
    switch (gEngine->run(text, mono, browserTextSize(size), color, rtl, gBudget.mayRasterize(), &img)) {
      case RunResult::Rasterized:
        gBudget.rasterized(started);
        ++gStats.rasterizedRuns;
        gStats.mostRasterizedInAFrame = std::max(gStats.mostRasterizedInAFrame, gBudget.rasterizedThisFrame());
        [[fallthrough]];
      case RunResult::Cached:
        ++gStats.browserRuns;
        dl->AddImage(img.texture, ImVec2(pos.x, pos.y + img.top),
                     ImVec2(pos.x + img.width, pos.y + img.top + img.height), img.uv0, img.uv1, IM_COL32_WHITE);
        return;
      case RunResult::Deferred:  // drawn on a later frame (the view asks for one); its room is kept
        gBudget.deferred();
        ++gStats.deferredRuns;
        return;
      case RunResult::Failed: break;  // ImGui's glyphs below, as without an engine
    }
  }
  std::size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    i += decodeUtf8(text, i, &cp);
    if (!fontHas(font, cp) && !isExtendingCodePoint(cp)) ++gStats.missingGlyphsDrawn;
  }
  dl->AddText(font, size, pos, color, text.data(), text.data() + text.size());
}

const GlyphFallbackStats& glyphFallbackStats() { return gStats; }

}  // namespace chat::ui
