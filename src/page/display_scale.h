// High-DPI: the canvas backing store is its CSS size times devicePixelRatio (fractional ratios
// included), Dear ImGui works in backing-store pixels, and DOM overlays (the composer textarea)
// are placed in CSS pixels.
#pragma once

namespace chat::web {

// NaN, zero or negative -> 1; clamped to [0.5, 4] (the atlas grows with the square).
float sanitizePixelRatio(double dpr);

struct PixelSize {
  int width = 1;
  int height = 1;
  bool operator==(const PixelSize& o) const { return width == o.width && height == o.height; }
  bool operator!=(const PixelSize& o) const { return !(*this == o); }
};

// round(css * dpr), at least 1x1, at most 16384 (WebGL's practical limit).
PixelSize backingStoreSize(double cssWidth, double cssHeight, float dpr);

// Ratios this close are the same (zoom steps differ by far more).
bool pixelRatioChanged(float a, float b);

struct CssRect {
  double x = 0, y = 0, w = 0, h = 0;
};

// A rectangle in Dear ImGui display coordinates -> CSS pixels relative to the canvas, given the
// display width in ImGui units and the canvas' CSS width.
CssRect displayRectToCss(float x, float y, float w, float h, float displayWidth, double cssWidth);

}  // namespace chat::web
