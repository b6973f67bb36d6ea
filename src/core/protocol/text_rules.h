// The contract's rules for two kinds of text, in one place for the whole project: the codec,
// the chat reducer, the connection engine, the browser adapters and the gateway all ask here.
#pragma once

#include <cstddef>
#include <string_view>

namespace chat::proto {

// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above
// U+10FFFF).
bool isValidUtf8(std::string_view s);

// Length of the well-formed UTF-8 sequence starting at `p` (whose first byte is >= 0x80 and
// which ends before `end`), or 0 when it is not one. The step isValidUtf8 is made of, for
// scanners that validate as they go.
inline std::size_t utf8SequenceLength(const char* p, const char* end) {
  // The table of RFC 3629 section 4.
  const auto c = static_cast<unsigned char>(p[0]);
  const auto at = [p](std::size_t i) { return static_cast<unsigned char>(p[i]); };
  const auto avail = static_cast<std::size_t>(end - p);
  const auto cont = [](unsigned char b) { return b >= 0x80 && b <= 0xBF; };
  if (c >= 0xC2 && c <= 0xDF) return avail >= 2 && cont(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlongs
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // no UTF-16 surrogates
    return avail >= 3 && at(1) >= lo && at(1) <= hi && cont(at(2)) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // no overlongs
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    return avail >= 4 && at(1) >= lo && at(1) <= hi && cont(at(2)) && cont(at(3)) ? 4 : 0;
  }
  return 0;  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
}

// True for a session id: 1 to 64 characters of A-Z a-z 0-9 . _ : - (ids are made by clients).
bool isValidSessionId(std::string_view id);

// True when `c` may appear in a session id.
constexpr bool isSessionIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '-';
}

}  // namespace chat::proto
