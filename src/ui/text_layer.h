// The selectable text layer (the PDF.js text-layer idea): every visual line of message text
// drawn this frame is also handed to the host as a positioned, transparent DOM element with the
// same text, so the browser's own selection works on it (drag, double and triple click,
// long-press, the context menu, Ctrl+C) and copies exactly the text shown (Markdown markers
// are already out of it). The host is the browser (web/library_text.js); natively none.
//
// Costs: the views add lines while drawing; at the end of the frame the list is compared with
// the last one handed over. Unchanged (idle): nothing is sent. Only moved by the same amount
// (scrolling): one shift. Otherwise the new list goes over and the host keeps the elements of
// the lines it already has (same key), so it rebuilds only what changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

namespace chat::ui {

struct LayerLine {
  uint64_t key = 0;       // stable while the line stays laid out (text, place in its card)
  float x = 0, y = 0;     // display units (CSS px), top-left of the line box
  float w = 0, h = 0;
  float size = 0;         // font size
  bool mono = false;
  bool rtl = false;
  std::string text;
};

class TextLayerHost {
 public:
  virtual ~TextLayerHost() = default;
  virtual void replace(const std::vector<LayerLine>& lines) = 0;
  virtual void shift(float dx, float dy) = 0;
};

void setTextLayerHost(TextLayerHost* host);

// A line drawn at `pos` (its box top-left) with `width` x `height`. `salt` tells apart lines
// of one card (row offset, line index).
void addLayerLine(std::string_view text, ImVec2 pos, float width, float height, float size, bool mono, bool rtl,
                  uint64_t salt);

// Hands this frame's lines to the host if they changed (see above). Once per frame.
void endTextLayerFrame();

// For tests and the debug API: lines in the last frame, and how many updates were sent.
struct TextLayerStats {
  std::size_t lines = 0;
  uint64_t replaces = 0;
  uint64_t shifts = 0;
};
const TextLayerStats& textLayerStats();

}  // namespace chat::ui
