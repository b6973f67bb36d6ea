// What the client-side benches (chat_ui_bench, chat_a11y_bench) share: a headless Dear ImGui
// context with the real ChatView and its real fonts (no GPU: frames are laid out and drawn into
// draw lists, never rasterised), thread CPU time, and the one-JSON-object-per-figure output
// that tests/bench/report.mjs reads ({"figure","value","unit","method"}, like chat-loadgen).
#pragma once

#include <imgui.h>
#include <time.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "ui/chat_view.h"

namespace chat::bench {

// CPU time of the calling thread, so other processes on the machine do not count.
inline double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline void printFigure(const std::string& figure, double value, const std::string& unit,
                        const std::string& method) {
  const nlohmann::json j = {{"figure", figure}, {"value", value}, {"unit", unit}, {"method", method}};
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

// One ImGui context of `width` x `height` at 60 fps with a ChatView whose DejaVu fonts are
// loaded and baked (the font atlas built, as the first real frame would).
class HeadlessUi {
 public:
  HeadlessUi(float width, float height) : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    view_.loadFonts("/usr/share/fonts/truetype/dejavu", 1.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~HeadlessUi() { ImGui::DestroyContext(context_); }
  HeadlessUi(const HeadlessUi&) = delete;
  HeadlessUi& operator=(const HeadlessUi&) = delete;

  ui::ChatView& view() { return view_; }

  // One whole frame of the view for `in`.
  void frame(const ui::FrameInput& in) {
    ImGui::NewFrame();
    view_.frame(in);
    ImGui::Render();
  }

 private:
  ImGuiContext* context_;
  ui::ChatView view_;
};

}  // namespace chat::bench
