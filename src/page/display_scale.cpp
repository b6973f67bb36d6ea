#include "page/display_scale.h"

#include <algorithm>
#include <cmath>

namespace chat::web {

float sanitizePixelRatio(double dpr) {
  if (!std::isfinite(dpr) || dpr <= 0) return 1.0f;
  return static_cast<float>(std::clamp(dpr, 0.5, 4.0));
}

PixelSize backingStoreSize(double cssWidth, double cssHeight, float dpr) {
  auto px = [&](double css) {
    if (!std::isfinite(css) || css <= 0) return 1;
    double v = std::round(css * sanitizePixelRatio(dpr));
    return static_cast<int>(std::clamp(v, 1.0, 16384.0));
  };
  return {px(cssWidth), px(cssHeight)};
}

bool pixelRatioChanged(float a, float b) { return std::fabs(a - b) > 0.01f; }

CssRect displayRectToCss(float x, float y, float w, float h, float displayWidth, double cssWidth) {
  double scale = (displayWidth > 0 && std::isfinite(cssWidth) && cssWidth > 0) ? cssWidth / displayWidth : 1.0;
  return {x * scale, y * scale, std::max(0.0, w * scale), std::max(0.0, h * scale)};
}

}  // namespace chat::web
