#include "gateway/memory_trim.h"

#include <malloc.h>

#include <algorithm>

namespace chat::gateway {

bool TrimPolicy::sample(int open) {
  peak_ = std::max(peak_, open);
  if (peak_ - open >= minDrop_ && open <= peak_ / 2) {
    peak_ = open;
    return true;
  }
  return false;
}

void configureAllocator() {
  // 128 KiB: glibc's default, but fixed (the dynamic threshold climbs after the first large
  // free, after which request bodies stay in the heap).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}

void trimMemory() { malloc_trim(0); }

}  // namespace chat::gateway
