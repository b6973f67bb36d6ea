#include "app/graphics.h"

#include <cfloat>

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"

namespace chat::app {
namespace {

// GLFW reports backing-store pixels; ImGui works in CSS pixels.
float g_mouseScaleX = 1, g_mouseScaleY = 1;
bool g_mouseInside = false;

void onCursorEnter(GLFWwindow* w, int entered) {
  g_mouseInside = entered != 0;
  ImGui_ImplGlfw_CursorEnterCallback(w, entered);
}

void onCursorPos(GLFWwindow* w, double x, double y) {
  // Touch input moves the cursor without a mouseenter: count it as inside.
  if (!g_mouseInside) onCursorEnter(w, 1);
  ImGui_ImplGlfw_CursorPosCallback(w, x / g_mouseScaleX, y / g_mouseScaleY);
}

}  // namespace

bool Graphics::init(ui::ChatView& view, const char* fontDir) {
  fontDir_ = fontDir;
  refreshSize();
  if (!glfwInit()) return false;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  backing_ = web::backingStoreSize(cssW_, cssH_, dpr_);
  window_ = glfwCreateWindow(backing_.width, backing_.height, "Chat", nullptr, nullptr);
  if (!window_) return false;
  glfwMakeContextCurrent(window_);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini in the browser
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  if (!ImGui_ImplGlfw_InitForOpenGL(window_, true)) return false;
  // Chained after ImGui's own install: replace the two mouse-position callbacks with scaling ones.
  glfwSetCursorPosCallback(window_, onCursorPos);
  glfwSetCursorEnterCallback(window_, onCursorEnter);
  if (!ImGui_ImplOpenGL3_Init("#version 300 es")) return false;

  view.loadFonts(fontDir_, dpr_);  // the GL texture is made by the first NewFrame
  fontRatio_ = dpr_;
  sizeDirty_ = false;
  return true;
}

bool Graphics::refreshSize() {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  float dpr = web::sanitizePixelRatio(emscripten_get_device_pixel_ratio());
  if (!(w > 0)) w = 1;
  if (!(h > 0)) h = 1;
  bool changed = w != cssW_ || h != cssH_ || web::pixelRatioChanged(dpr, dpr_);
  if (changed) {
    cssW_ = w;
    cssH_ = h;
    dpr_ = dpr;
    sizeDirty_ = true;
  }
  return changed;
}

void Graphics::applySize(ui::ChatView& view) {
  if (!sizeDirty_ || !window_) return;
  sizeDirty_ = false;
  web::PixelSize b = web::backingStoreSize(cssW_, cssH_, dpr_);
  if (b != backing_) {
    backing_ = b;
    // Emscripten's glfwSetWindowSize asks for fullscreen when the size equals the screen's (a
    // window as large as the screen at DPR 1; Playwright's default): with a key press as the
    // user gesture the page went fullscreen on #app and Tab lost its way. Then the canvas is
    // sized directly (GLFW reads canvas.width for the mouse; ImGui's sizes are set in beginFrame).
    const bool screenSized = EM_ASM_INT({ return $0 == screen.width && $1 == screen.height ? 1 : 0; },
                                        b.width, b.height) != 0;
    if (screenSized) {
      emscripten_set_canvas_element_size("#canvas", b.width, b.height);
    } else {
      glfwSetWindowSize(window_, b.width, b.height);  // sets canvas.width/height
    }
  }
  if (web::pixelRatioChanged(dpr_, fontRatio_)) {
    view.loadFonts(fontDir_, dpr_);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    fontRatio_ = dpr_;
  }
}

void Graphics::beginFrame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // GLFW set DisplaySize to the backing store; ImGui works in CSS pixels.
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(cssW_), static_cast<float>(cssH_));
  g_mouseScaleX = static_cast<float>(backing_.width / cssW_);
  g_mouseScaleY = static_cast<float>(backing_.height / cssH_);
  io.DisplayFramebufferScale = ImVec2(g_mouseScaleX, g_mouseScaleY);
  // The backend's "mouse outside" fallback reads an unscaled GLFW position: keep it outside.
  if (!g_mouseInside) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  ImGui::NewFrame();
}

void Graphics::endFrame(float r, float g, float b) {
  ImGui::Render();
  glViewport(0, 0, backing_.width, backing_.height);
  glClearColor(r, g, b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Graphics::touchScroll(double dyCss) {
  // ImGui scrolls about five lines (~75 px) per wheel step: follow the finger.
  if (dyCss == dyCss && dyCss != 0) ImGui::GetIO().AddMouseWheelEvent(0.0f, static_cast<float>(dyCss / 75.0));
}

}  // namespace chat::app
