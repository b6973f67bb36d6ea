#include "core/protocol/text_rules.h"

#include "core/protocol/field_rules.h"

namespace chat::proto {

bool isValidUtf8(std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p != end) {
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
