// Heights of the timeline's entries and their running sum, so the message list finds the first
// visible entry by binary search and positions entries of different heights without laying out
// the ones off screen. Changing one height marks the sums dirty from that entry on; they are
// brought up to date lazily, once per frame at most.
#pragma once

#include <cstddef>
#include <vector>

namespace chat::ui {

class HeightIndex {
 public:
  void clear();
  std::size_t size() const { return heights_.size(); }
  void resize(std::size_t n, float heightOfNew);
  void set(std::size_t i, float height);
  float height(std::size_t i) const { return heights_[i]; }
  double top(std::size_t i);  // sum of the heights before entry i (i may be size())
  double total() { return top(heights_.size()); }
  // The entry containing y (the last one whose top <= y); 0 when empty or y < 0.
  std::size_t entryAt(double y);

 private:
  void refresh();
  std::vector<float> heights_;
  std::vector<double> prefix_{0.0};  // prefix_[i] = sum of heights_[0..i)
  std::size_t dirtyFrom_ = 0;        // prefix_[k] valid for k <= dirtyFrom_
};

}  // namespace chat::ui
