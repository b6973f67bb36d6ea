#include "web/browser_text.h"

#include <string>
#include <string_view>
#include <unordered_map>

#include "ui/glyph_fallback.h"
#include "ui/grapheme.h"
#include "ui/links.h"
#include "ui/text_layer.h"

#include <cstdio>

#include <emscripten/emscripten.h>

extern "C" {
// web/library_text.js. Strings are UTF-8 (pointer, length).
double chattext_measure(const char* text, int len, int mono, double size);
// Fills out[0..7]: texture id, u0, v0, u1, v1, width, height, top (CSS px). Returns 1: drawn
// before, 2: drawn now, 3: new and `mayDraw` was 0 (nothing drawn), 0: cannot be drawn.
int chattext_run(const char* text, int len, int mono, double size, unsigned rgba, int rtl, int mayDraw, float* out);
// Opens an http(s)/mailto URL in a new tab with noopener,noreferrer (checked again in JS).
void chattext_open_link(const char* url);
void chattext_set_pointer(int pointer);
// The selectable text layer: a JSON array of lines [key, x, y, w, h, size, mono, rtl, text].
void chattext_layer_replace(const char* json);
void chattext_layer_shift(double dx, double dy);
}

namespace chat::web {

namespace {

class BrowserText : public ui::TextRunEngine {
 public:
  float measure(std::string_view text, bool mono, float size) override {
    // Layouts ask for the same clusters again and again (every message with a 😀): a map
    // here saves the string copy into JS and the browser's measure. An ideograph, kana, Hangul
    // syllable or fullwidth form is measured as its class (grapheme.h): one em-box advance.
    if (const char* rep = ui::emBoxRepresentative(text)) text = rep;
    std::string key;
    key.reserve(text.size() + 8);
    key.append(text.data(), text.size());
    key.push_back(mono ? 'm' : 's');
    key.append(std::to_string(static_cast<int>(size * 16)));
    auto it = widths_.find(key);
    if (it != widths_.end()) return it->second;
    if (widths_.size() > 50000) widths_.clear();
    const auto w = static_cast<float>(chattext_measure(text.data(), static_cast<int>(text.size()), mono, size));
    widths_.emplace(std::move(key), w);
    return w;
  }

  ui::RunResult run(std::string_view text, bool mono, float size, ImU32 color, bool rtl, bool mayRasterize,
                    ui::RunImage* out) override {
    float r[8] = {};
    const int got = chattext_run(text.data(), static_cast<int>(text.size()), mono, size, color, rtl,
                                 mayRasterize ? 1 : 0, r);
    if (got == 3) return ui::RunResult::Deferred;
    if (got != 1 && got != 2) return ui::RunResult::Failed;
    out->texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(r[0]));
    out->uv0 = ImVec2(r[1], r[2]);
    out->uv1 = ImVec2(r[3], r[4]);
    out->width = r[5];
    out->height = r[6];
    out->top = r[7];
    return got == 2 ? ui::RunResult::Rasterized : ui::RunResult::Cached;
  }

 private:
  std::unordered_map<std::string, float> widths_;
};

class BrowserLinks : public ui::LinkHost {
 public:
  void open(const std::string& url) override { chattext_open_link(url.c_str()); }
  void setPointer(bool pointer) override { chattext_set_pointer(pointer ? 1 : 0); }
};

// JSON by hand: the layer is rebuilt on every change of what is visible, and this is the only
// JSON it needs (strings escaped for JSON.parse).
void appendJsonString(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

class BrowserTextLayer : public ui::TextLayerHost {
 public:
  void replace(const std::vector<ui::LayerLine>& lines) override {
    std::string json = "[";
    char num[160];
    for (const ui::LayerLine& l : lines) {
      if (json.size() > 1) json += ',';
      std::snprintf(num, sizeof num, "[\"%016llx\",%.2f,%.2f,%.2f,%.2f,%.2f,%d,%d,",
                    static_cast<unsigned long long>(l.key), l.x, l.y, l.w, l.h, l.size, l.mono ? 1 : 0,
                    l.rtl ? 1 : 0);
      json += num;
      appendJsonString(json, l.text);
      json += ']';
    }
    json += ']';
    chattext_layer_replace(json.c_str());
  }
  void shift(float dx, float dy) override { chattext_layer_shift(dx, dy); }
};

BrowserTextLayer* gLayer = nullptr;

}  // namespace

void installBrowserText() {
  static BrowserText engine;
  static BrowserLinks links;
  static BrowserTextLayer layer;
  ui::setTextRunEngine(&engine);
  ui::textRunBudget().setClock([] { return emscripten_get_now(); });  // performance.now()
  ui::setLinkHost(&links);
  ui::setTextLayerHost(&layer);
  gLayer = &layer;
}

}  // namespace chat::web

// For the browser benchmark (tests/bench/browser_bench.mjs), called from the page as
// Module._chattext_bench_set(layer, budgetMs): the text layer on (1) or off (0: no DOM copy at
// all, the frame as before the text layer existed), and the per-frame raster budget in ms (<= 0:
// none, every new run drawn in the frame that first needs it). Not used by the app itself.
extern "C" EMSCRIPTEN_KEEPALIVE void chattext_bench_set(int layer, double budgetMs) {
  using chat::ui::RasterBudget;
  if (layer) {
    if (chat::web::gLayer) chat::ui::setTextLayerHost(chat::web::gLayer);
  } else {
    if (chat::web::gLayer) chat::web::gLayer->replace({});  // the DOM copy goes away
    chat::ui::setTextLayerHost(nullptr);
  }
  RasterBudget::Limits limits;
  if (budgetMs <= 0) {
    limits.maxMs = 1e12;
    limits.maxRuns = 1 << 30;
  } else {
    limits.maxMs = budgetMs;
  }
  chat::ui::textRunBudget().setLimits(limits);
}
