#include "core/protocol/flat_object.h"

#include "core/protocol/text_rules.h"

#include <cstring>

namespace chat::proto::detail {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// True when any of the 8 bytes in `x` needs a closer look inside a string: a quote, a
// backslash, a control character (< 0x20) or a non-ASCII byte (UTF-8 to validate).
inline bool hasSpecialByte(uint64_t x) {
  const uint64_t quote = x ^ (kOnes * '"');
  const uint64_t backslash = x ^ (kOnes * '\\');
  const uint64_t zeroInQuote = (quote - kOnes) & ~quote;
  const uint64_t zeroInBackslash = (backslash - kOnes) & ~backslash;
  const uint64_t below20 = (x - kOnes * 0x20) & ~x;
  return ((zeroInQuote | zeroInBackslash | below20) & kHighs) != 0 || (x & kHighs) != 0;
}

inline bool isWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline void skipWhitespace(const char*& p, const char* end) {
  while (p != end && isWhitespace(*p)) ++p;
}

// The 4 hex digits at `p` (upper or lower case), or -1.
inline long readHex4(const char* p, const char* end) {
  if (end - p < 4) return -1;
  long v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    int d = 0;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    v = v * 16 + d;
  }
  return v;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A non-negative integer of at most 18 digits (so it fits int64 whatever the digits), without
// a leading zero. Fractions, exponents and signs are left to the general path: the character
// after the digits then fails the structural check of the caller.
inline bool readInteger(const char*& p, const char* end, int64_t* out) {
  const char* start = p;
  int64_t v = 0;
  while (p != end && *p >= '0' && *p <= '9') {
    if (p - start == 18) return false;
    v = v * 10 + (*p - '0');
    ++p;
  }
  if (p - start > 1 && *start == '0') return false;  // leading zero: not JSON
  *out = v;
  return true;
}

inline bool readLiteral(const char*& p, const char* end, const char* word, std::size_t n) {
  if (static_cast<std::size_t>(end - p) < n || std::memcmp(p, word, n) != 0) return false;
  p += n;
  return true;
}

}  // namespace

// `p` is just past the opening quote. Plain strings (the common case) come back as a view of
// the frame; the first backslash hands over to readEscaped.
bool FlatObject::readString(const char*& p, const char* end, std::string_view* out) {
  const char* start = p;
  for (;;) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (!hasSpecialByte(word)) {
        p += 8;
        continue;
      }
    }
    if (p == end) return false;  // unterminated
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      *out = std::string_view(start, static_cast<std::size_t>(p - start));
      ++p;
      return true;
    }
    if (c == '\\') return readEscaped(start, p, end, out);
    if (c < 0x20) return false;  // raw control characters must be escaped
    if (c >= 0x80) {
      const std::size_t n = utf8SequenceLength(p, end);
      if (n == 0) return false;
      p += n;
    } else {
      ++p;
    }
  }
}

// `start` is the string's first byte, `p` its first backslash: decodes into scratch_.
bool FlatObject::readEscaped(const char* start, const char*& p, const char* end,
                             std::string_view* out) {
  if (scratch_.capacity() < frameSize_) scratch_.reserve(frameSize_);
  const std::size_t begin = scratch_.size();
  scratch_.append(start, static_cast<std::size_t>(p - start));
  for (;;) {
    if (p == end) return false;
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      *out = std::string_view(scratch_.data() + begin, scratch_.size() - begin);
      ++p;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const std::size_t n = utf8SequenceLength(p, end);
      if (n == 0) return false;
      scratch_.append(p, n);
      p += n;
      continue;
    }
    if (c != '\\') {
      scratch_ += static_cast<char>(c);
      ++p;
      continue;
    }
    ++p;  // past the backslash
    if (p == end) return false;
    switch (*p) {
      case '"': scratch_ += '"'; break;
      case '\\': scratch_ += '\\'; break;
      case '/': scratch_ += '/'; break;
      case 'b': scratch_ += '\b'; break;
      case 'f': scratch_ += '\f'; break;
      case 'n': scratch_ += '\n'; break;
      case 'r': scratch_ += '\r'; break;
      case 't': scratch_ += '\t'; break;
      case 'u': {
        const long unit = readHex4(p + 1, end);
        if (unit < 0) return false;
        p += 4;  // now on the last hex digit
        uint32_t cp = static_cast<uint32_t>(unit);
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate with no high one
        if (cp >= 0xD800 && cp <= 0xDBFF) {              // must be followed by \u low surrogate
          if (end - p < 7 || p[1] != '\\' || p[2] != 'u') return false;
          const long low = readHex4(p + 3, end);
          if (low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
          p += 6;
        }
        appendUtf8(scratch_, cp);
        break;
      }
      default:
        return false;  // not a JSON escape
    }
    ++p;
  }
}

bool FlatObject::parse(std::string_view frame) {
  count_ = 0;
  frameSize_ = frame.size();
  scratch_.clear();
  const char* p = frame.data();
  const char* const end = p + frame.size();
  skipWhitespace(p, end);
  if (p == end || *p != '{') return false;
  ++p;
  skipWhitespace(p, end);
  if (p != end && *p == '}') {
    ++p;
  } else {
    for (;;) {
      if (count_ == kMaxMembers) return false;
      Member& m = members_[count_];
      if (p == end || *p != '"') return false;
      ++p;
      if (!readString(p, end, &m.key)) return false;
      skipWhitespace(p, end);
      if (p == end || *p != ':') return false;
      ++p;
      skipWhitespace(p, end);
      if (p == end) return false;
      switch (*p) {
        case '"':
          ++p;
          m.kind = Kind::kString;
          if (!readString(p, end, &m.text)) return false;
          break;
        case 't':
          m.kind = Kind::kTrue;
          if (!readLiteral(p, end, "true", 4)) return false;
          break;
        case 'f':
          m.kind = Kind::kFalse;
          if (!readLiteral(p, end, "false", 5)) return false;
          break;
        case 'n':
          m.kind = Kind::kNull;
          if (!readLiteral(p, end, "null", 4)) return false;
          break;
        default:
          if (*p < '0' || *p > '9') return false;  // objects, arrays, negatives, garbage
          m.kind = Kind::kInteger;
          if (!readInteger(p, end, &m.integer)) return false;
          break;
      }
      ++count_;
      skipWhitespace(p, end);
      if (p == end) return false;
      if (*p == ',') {
        ++p;
        skipWhitespace(p, end);
        continue;
      }
      if (*p != '}') return false;
      ++p;
      break;
    }
  }
  skipWhitespace(p, end);
  return p == end;
}

}  // namespace chat::proto::detail
