// Giving memory back to the OS after a burst of connections. glibc keeps freed heap memory in
// its arenas (and raises its mmap threshold after a large free, so later bodies land in the
// heap too): without a trim, RSS stays at the burst's peak for good. The gateway samples its
// open connections now and then; when they have fallen well below the peak seen since the
// last trim, it trims once.
#pragma once

#include <cstddef>

namespace chat::gateway {

class TrimPolicy {
 public:
  // A trim is due when at least `minDrop` connections and half of the peak are gone.
  explicit TrimPolicy(int minDrop = 64) : minDrop_(minDrop) {}
  // One sample of the open connections; true when a trim is due now (then the peak restarts).
  bool sample(int open);

 private:
  int minDrop_;
  int peak_ = 0;
};

// Fixes glibc's mmap threshold (so large buffers go back to the OS on free) and its trim
// threshold; call once at start.
void configureAllocator();
// Returns free heap memory to the OS (malloc_trim).
void trimMemory();

}  // namespace chat::gateway
