// Text the embedded fonts cannot draw, drawn by the browser. The atlas holds Latin, Greek and
// Cyrillic (fonts.h); a piece of text with anything else (CJK, emoji, Arabic, Hebrew,
// Devanagari, Thai, combining marks) is drawn as one run by the browser's own text engine into
// a texture (web/library_text.js), so it gets the browser's fonts, shaping, bidi order of
// mixed runs and colour emoji; the view then draws that texture region where the text goes.
//
// The engine is an interface so that the views stay free of browser code and native builds
// (tests) simply have none: without an engine text is drawn by ImGui as before.
#pragma once

#include <cstdint>
#include <string_view>

#include <imgui.h>

#include "ui/raster_budget.h"
#include "ui/text_layout.h"

namespace chat::ui {

struct RunImage {
  ImTextureID texture = 0;
  ImVec2 uv0, uv1;
  float width = 0;    // display units (CSS px) of the image
  float height = 0;
  float top = 0;      // image top relative to the line's top
};

enum class RunResult {
  Cached,      // drawn before: `out` is its region
  Rasterized,  // drawn now (the costly case): `out` is its region
  Deferred,    // not drawn before, and drawing new runs was not allowed: nothing in `out`
  Failed,      // cannot be drawn (no GL context, too large)
};

class TextRunEngine {
 public:
  virtual ~TextRunEngine() = default;
  // Width of `text` drawn in the sans (mono: the monospace) stack at `size` CSS px.
  virtual float measure(std::string_view text, bool mono, float size) = 0;
  // The texture region holding `text` drawn in `color` (colour emoji keep their colours),
  // laid out right to left as a paragraph when `rtl`. A run not drawn before is drawn only when
  // `mayRasterize` (the frame's RasterBudget allows it), else Deferred.
  virtual RunResult run(std::string_view text, bool mono, float size, ImU32 color, bool rtl, bool mayRasterize,
                        RunImage* out) = 0;
};

// The browser's engine (src/web/browser_text.cpp) registers itself at start; null: none.
void setTextRunEngine(TextRunEngine* engine);
TextRunEngine* textRunEngine();

// The per-frame budget for new runs (raster_budget.h): its clock (the browser sets
// performance.now(); natively a steady clock) and limits. beginTextRunFrame() starts a frame;
// textRunsDeferred() says whether runs were left out of it, so the view asks for another frame.
RasterBudget& textRunBudget();
void beginTextRunFrame();
bool textRunsDeferred();

// The app's two fonts, so their metrics can ask the engine for widths of what they lack.
// `emPerPixelHeight`: ImGui sizes a font by its line height (ascent - descent = the size in
// pixels) while the browser sizes it by its em: the browser draws and measures at
// size * emPerPixelHeight, so its runs match the atlas's text (fonts.h, kDejaVuEmPerPixelHeight).
void registerFonts(const ImFont* sans, const ImFont* mono, float emPerPixelHeight = 1.0f);
// The browser (CSS px) size of text drawn at ImGui size `size`.
float browserTextSize(float size);
const ClusterWidths* clusterWidthsFor(const ImFont* font);

// True when text[b, e) holds a code point `font` has no glyph for, or one that needs shaping.
bool needsBrowserText(const ImFont* font, std::string_view text);

// Like ImDrawList::AddText, except that text needing the browser is drawn as browser runs.
// `rtl`: the text is (part of) a right-to-left paragraph.
void drawText(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text,
              bool rtl = false);

// Counters for the debug API (e2e): runs the browser drew, and code points ImGui had to draw
// with its fallback glyph (none when the engine is present); new runs rasterized, runs left
// for a later frame by the budget, and the most new runs one frame rasterized.
struct GlyphFallbackStats {
  uint64_t browserRuns = 0;
  uint64_t missingGlyphsDrawn = 0;
  uint64_t rasterizedRuns = 0;
  uint64_t deferredRuns = 0;
  int mostRasterizedInAFrame = 0;
};
const GlyphFallbackStats& glyphFallbackStats();

}  // namespace chat::ui
