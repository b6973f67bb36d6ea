#include "ui/text_layer.h"

#include <cmath>
#include <unordered_map>

namespace chat::ui {

namespace {

TextLayerHost* gHost = nullptr;
std::vector<LayerLine> gFrame, gSent;
TextLayerStats gStats;

uint64_t fnv(std::string_view s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

void setTextLayerHost(TextLayerHost* host) { gHost = host; }

void addLayerLine(std::string_view text, ImVec2 pos, float width, float height, float size, bool mono, bool rtl,
                  uint64_t salt) {
  if (gHost == nullptr || text.empty()) return;
  LayerLine l;
  l.key = fnv(text, 1469598103934665603ull ^ (salt * 0x9E3779B97F4A7C15ull));
  l.x = pos.x;
  l.y = pos.y;
  l.w = width;
  l.h = height;
  l.size = size;
  l.mono = mono;
  l.rtl = rtl;
  l.text.assign(text.data(), text.size());
  gFrame.push_back(std::move(l));
}

void endTextLayerFrame() {
  // Equal lines in one frame (two identical messages) get distinct keys by occurrence.
  std::unordered_map<uint64_t, int> seen;
  for (LayerLine& l : gFrame) {
    const int n = seen[l.key]++;
    if (n > 0) l.key ^= static_cast<uint64_t>(n) * 0xBF58476D1CE4E5B9ull;
  }
  gStats.lines = gFrame.size();
  bool sameKeys = gFrame.size() == gSent.size();
  for (std::size_t i = 0; sameKeys && i < gFrame.size(); ++i) sameKeys = gFrame[i].key == gSent[i].key;
  if (sameKeys) {
    bool same = true, shifted = true;
    const float dx = gFrame.empty() ? 0 : gFrame[0].x - gSent[0].x;
    const float dy = gFrame.empty() ? 0 : gFrame[0].y - gSent[0].y;
    for (std::size_t i = 0; i < gFrame.size(); ++i) {
      const LayerLine& a = gFrame[i];
      const LayerLine& b = gSent[i];
      if (a.x != b.x || a.y != b.y || a.w != b.w) same = false;
      if (std::fabs(a.x - b.x - dx) > 0.01f || std::fabs(a.y - b.y - dy) > 0.01f || a.w != b.w) shifted = false;
    }
    if (same) {
      gFrame.clear();
      return;  // idle: nothing to do
    }
    if (shifted && gHost) {
      gHost->shift(dx, dy);
      ++gStats.shifts;
      gSent.swap(gFrame);
      gFrame.clear();
      return;
    }
  }
  if (gHost) gHost->replace(gFrame);
  ++gStats.replaces;
  gSent.swap(gFrame);
  gFrame.clear();
}

const TextLayerStats& textLayerStats() { return gStats; }

}  // namespace chat::ui
