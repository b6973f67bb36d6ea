#include "gateway/utf8_text.h"

namespace chat::gateway {

namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";

// Length of the valid sequence starting at s[i] (0: invalid; -1: valid so far but cut off).
int sequenceLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  int len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) len = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) len = 3;
  else if (c == 0xED) len = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) len = 3;
  else if (c == 0xF0) len = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) len = 4, hi = 0x8F;
  else return 0;
  for (int k = 1; k < len; ++k) {
    if (i + k >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return len;
}

// Appends the valid text of `s` to `out`; returns where an unfinished tail starts (s.size()
// when there is none) if `keepTail`, else replaces that tail too.
std::size_t convert(std::string_view s, std::string& out, bool keepTail) {
  std::size_t i = 0;
  while (i < s.size()) {
    int len = sequenceLength(s, i);
    if (len > 0) {
      out.append(s.data() + i, len);
      i += len;
    } else if (len < 0 && keepTail) {
      return i;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return s.size();
}

}  // namespace

std::string Utf8Stream::feed(std::string_view bytes) {
  pending_.append(bytes.data(), bytes.size());
  std::string out;
  out.reserve(pending_.size());
  std::size_t tail = convert(pending_, out, true);
  pending_.erase(0, tail);
  return out;
}

std::string Utf8Stream::finish() {
  std::string out;
  convert(pending_, out, false);
  pending_.clear();
  return out;
}

std::string toValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  convert(bytes, out, false);
  return out;
}

}  // namespace chat::gateway
