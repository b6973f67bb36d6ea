// The two fonts of the UI, rasterised at the device pixel ratio and drawn at CSS size
// (FontGlobalScale = 1 / ratio), so text stays crisp on high-DPI and fractional-ratio screens.
#pragma once

#include <string>

#include <imgui.h>

#include "ui/text_layout.h"

namespace chat::ui {

constexpr float kSansPx = 15.0f;  // CSS px of ascent + descent (ImGui's size), not of the em
constexpr float kMonoPx = 14.0f;
// DejaVu Sans and Sans Mono: 2048 units per em, hhea ascent 1901, descent -483. ImGui's size
// is ascent - descent, the browser's is the em: em = 2048 / 2384 of ImGui's size (checked
// against the font files by fonts_test.cpp).
constexpr float kDejaVuEmPerPixelHeight = 2048.0f / (1901.0f + 483.0f);

struct FontSet {
  ImFont* sans = nullptr;
  ImFont* mono = nullptr;
  float pixelRatio = 1.0f;
  bool fromFiles = false;  // false: the font files were missing, ImGui's built-in font is used
};

// Clears io.Fonts and loads DejaVu Sans / Sans Mono from `dir` at the ratio, then builds the
// atlas (the caller re-uploads the texture). Must not be called between NewFrame and Render.
// Missing or unreadable files fall back to ImGui's built-in font instead of failing.
FontSet loadFontSet(const std::string& dir, float pixelRatio);

// Glyph advances of `font` at the size it is drawn (its size times FontGlobalScale).
FontMetrics metricsOf(const ImFont* font, float lineSpacing);

// The size `font` is drawn at, in display units.
float drawSizeOf(const ImFont* font);

}  // namespace chat::ui
