// What every view of one frame shares: theme, fonts and their metrics, the clock, and where
// intents, animation requests and test-visible widget rects go.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/chat_view.h"
#include "ui/text_layout.h"
#include "ui/theme.h"

namespace chat::ui {

// Touch targets on a coarse pointer (a finger): at least 44 x 44 CSS px (WCAG 2.5.5, Apple HIG).
constexpr float kTouchTarget = 44.0f;

struct ViewContext {
  const Palette* palette = nullptr;
  ImFont* sans = nullptr;
  ImFont* mono = nullptr;
  float sansSize = 15.0f;  // drawn sizes, display units
  float monoSize = 14.0f;
  FontMetrics sansMetrics;
  FontMetrics monoMetrics;
  int64_t nowMs = 0;
  uint32_t fontGeneration = 0;  // bumped when fonts are rebuilt: every cached layout is stale
  std::vector<UiIntent>* intents = nullptr;
  ViewDebug* debug = nullptr;
  bool animating = false;  // some view needs another frame at once (a smooth movement)
  // The earliest wall-clock time (ms) at which something drawn changes by itself: a countdown's
  // next second, a caret's next blink. 0: nothing is due. Views call redrawAt() instead of
  // asking for a frame per vsync, so a page showing a countdown draws once a second.
  int64_t redrawAtMs = 0;
  // Nothing reaches this page (socket and API down): a streaming reply cannot grow, so its
  // caret stands still (no frame loop) and it offers no Stop until the gateway is back.
  bool streamStalled = false;
  std::string themeChoice = "auto";  // the theme switch's setting (auto follows the system)
  // The smallest button or row a finger can hit (kTouchTarget on a coarse pointer, else 0).
  float minTarget = 0;
  float target(float h) const { return h < minTarget ? minTarget : h; }
  void redrawAt(int64_t t) {
    if (t <= nowMs) t = nowMs + 1;
    if (redrawAtMs == 0 || t < redrawAtMs) redrawAtMs = t;
  }

  const Palette& pal() const { return *palette; }
  void emit(UiIntent::Kind kind, std::string target = {}, std::string text = {}) {
    if (intents) intents->push_back(UiIntent{kind, std::move(target), std::move(text)});
  }
  // Records the last ImGui item's rect under `name`, for tests and for the app's diagnostics.
  void recordItem(const std::string& name) {
    if (!debug) return;
    const ImVec2 a = ImGui::GetItemRectMin();
    const ImVec2 b = ImGui::GetItemRectMax();
    debug->widgets[name] = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
  }
};

}  // namespace chat::ui
