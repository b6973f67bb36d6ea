// Deterministic mutations of JSON frames for the differential tests of the decoders' fast
// paths (flat frames, events pages): splices of the bytes that matter to a JSON / UTF-8 reader.
#pragma once

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

namespace chat::proto {

// Bytes that matter to a JSON/UTF-8 reader, to splice into frames.
inline const std::string kInteresting =
    std::string("\"\\{}[],:0123456789-+.eEtfnul \t\r\n/bx") + '\0' + "\x1f\x7f\x80\xbf\xc0\xc2"
    "\xdf\xe0\xed\xef\xf0\xf4\xf5\xff";

inline std::string mutate(std::string s, std::mt19937& rng) {
  const auto pick = [&rng](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
  };
  const int edits = 1 + static_cast<int>(pick(3));
  for (int e = 0; e < edits; ++e) {
    const char b = kInteresting[pick(kInteresting.size())];
    switch (pick(5)) {
      case 0:  // replace a byte
        if (!s.empty()) s[pick(s.size())] = b;
        break;
      case 1:  // insert a byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pick(s.size() + 1)), b);
        break;
      case 2:  // delete a byte
        if (!s.empty()) s.erase(pick(s.size()), 1);
        break;
      case 3: {  // duplicate a slice (repeats keys, values, escapes)
        if (s.size() < 2) break;
        const std::size_t from = pick(s.size());
        const std::size_t len = 1 + pick(std::min<std::size_t>(16, s.size() - from));
        s.insert(pick(s.size() + 1), s.substr(from, len));
        break;
      }
      default:  // cut the frame short
        if (!s.empty()) s.resize(pick(s.size()));
        break;
    }
  }
  return s;
}

// The frame with every byte outside printable ASCII as \xNN, for failure messages.
inline std::string printable(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out;
}

}  // namespace chat::proto
