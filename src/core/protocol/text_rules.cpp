#include "core/protocol/text_rules.h"

#include <cstdint>
#include <cstring>

#include "core/protocol/field_rules.h"

namespace chat::proto {

bool isValidUtf8(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p != end) {
    // Most text is ASCII: eight bytes at a time while none has its high bit set.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (word & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p == end) break;
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const std::size_t n = utf8SequenceLength(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

bool isValidSessionId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdChars) return false;
  for (const char c : id) {
    if (!isSessionIdChar(c)) return false;
  }
  return true;
}

}  // namespace chat::proto
