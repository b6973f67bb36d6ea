// The WebGL2 canvas, GLFW (Emscripten's), and Dear ImGui's GLFW + OpenGL3 backends.
//
// High-DPI: the canvas backing store is its CSS size times devicePixelRatio; ImGui works in CSS
// pixels (DisplaySize) with DisplayFramebufferScale = the ratio, and the fonts are rasterised
// at the ratio (ChatView::loadFonts). Emscripten 3.1.6's GLFW knows nothing of the ratio: its
// window size is the backing store and its mouse positions are backing-store pixels, so the
// cursor callback scales them back to CSS pixels.
#pragma once

#include <string>

#include "ui/chat_view.h"
#include "page/display_scale.h"

struct GLFWwindow;

namespace chat::app {

class Graphics {
 public:
  // Creates the window, GL context and ImGui; false when WebGL2 is not available.
  bool init(ui::ChatView& view, const char* fontDir);

  // Re-reads the canvas' CSS size and the pixel ratio; true if either changed.
  bool refreshSize();
  // Applies a changed size before the next frame: resizes the backing store, rebuilds fonts
  // when the ratio changed.
  void applySize(ui::ChatView& view);

  void beginFrame();
  void endFrame(float clearR, float clearG, float clearB);

  void touchScroll(double dyCss);

  double cssWidth() const { return cssW_; }
  double cssHeight() const { return cssH_; }
  float pixelRatio() const { return dpr_; }
  web::PixelSize backing() const { return backing_; }

 private:
  GLFWwindow* window_ = nullptr;
  std::string fontDir_;
  double cssW_ = 1, cssH_ = 1;
  float dpr_ = 1;
  float fontRatio_ = 0;  // the ratio the font atlas was built for
  web::PixelSize backing_;
  bool sizeDirty_ = true;
};

}  // namespace chat::app
