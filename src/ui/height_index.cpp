#include "ui/height_index.h"

#include <algorithm>

namespace chat::ui {

void HeightIndex::clear() {
  heights_.clear();
  prefix_.assign(1, 0.0);
  dirtyFrom_ = 0;
}

void HeightIndex::resize(std::size_t n, float heightOfNew) {
  const std::size_t old = heights_.size();
  heights_.resize(n, heightOfNew);
  dirtyFrom_ = std::min(dirtyFrom_, std::min(old, n));
}

void HeightIndex::set(std::size_t i, float height) {
  if (i >= heights_.size() || heights_[i] == height) return;
  heights_[i] = height;
  dirtyFrom_ = std::min(dirtyFrom_, i);
}

void HeightIndex::refresh() {
  if (prefix_.size() == heights_.size() + 1 && dirtyFrom_ >= heights_.size()) return;
  prefix_.resize(heights_.size() + 1);
  prefix_[0] = 0.0;
  for (std::size_t k = dirtyFrom_; k < heights_.size(); ++k) prefix_[k + 1] = prefix_[k] + heights_[k];
  dirtyFrom_ = heights_.size();
}

double HeightIndex::top(std::size_t i) {
  refresh();
  return prefix_[std::min(i, heights_.size())];
}

std::size_t HeightIndex::entryAt(double y) {
  refresh();
  if (heights_.empty() || y <= 0) return 0;
  // First prefix strictly greater than y, minus one, is the entry whose span holds y.
  auto it = std::upper_bound(prefix_.begin(), prefix_.end(), y);
  std::size_t idx = static_cast<std::size_t>(it - prefix_.begin());
  idx = idx == 0 ? 0 : idx - 1;
  return std::min(idx, heights_.size() - 1);
}

}  // namespace chat::ui
