#include "core/protocol/page_skeleton.h"

namespace chat::proto::detail {
namespace {

class SkeletonReader {
 public:
  SkeletonReader(std::string_view page, int maxEventDepth)
      : p_(page.data()), end_(page.data() + page.size()), maxDepth_(maxEventDepth) {}

  bool read(PageSkeleton* out) {
    bool haveEvents = false, haveLastSeq = false;
    skipWhitespace();
    if (!take('{')) return false;
    for (;;) {
      skipWhitespace();
      std::string_view key;
      if (!readPlainKey(&key)) return false;
      skipWhitespace();
      if (!take(':')) return false;
      skipWhitespace();
      if (key == "events" && !haveEvents) {
        if (!readEvents(&out->events)) return false;
        haveEvents = true;
      } else if (key == "lastSeq" && !haveLastSeq) {
        if (!readInteger(&out->lastSeq)) return false;
        haveLastSeq = true;
      } else {
        return false;  // another member, or one twice: the general path decides
      }
      skipWhitespace();
      if (take(',')) continue;
      if (!take('}')) return false;
      break;
    }
    skipWhitespace();
    return p_ == end_ && haveEvents && haveLastSeq;
  }

 private:
  void skipWhitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // A key without escapes or control characters (the page's keys are plain ASCII names).
  bool readPlainKey(std::string_view* out) {
    if (!take('"')) return false;
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    *out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  // 0 .. 10^18 - 1, no sign, fraction, exponent or leading zero: anything else is not taken
  // here (the character after the digits then fails the caller's separator check).
  bool readInteger(int64_t* out) {
    const char* start = p_;
    int64_t v = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (p_ - start == 18) return false;
      v = v * 10 + (*p_ - '0');
      ++p_;
    }
    if (p_ == start || (p_ - start > 1 && *start == '0')) return false;
    *out = v;
    return true;
  }

  bool readEvents(std::vector<std::string_view>* out) {
    if (!take('[')) return false;
    skipWhitespace();
    if (take(']')) return true;
    for (;;) {
      const char* start = p_;
      if (!skipObject()) return false;
      out->emplace_back(start, static_cast<std::size_t>(p_ - start));
      skipWhitespace();
      if (take(']')) return true;
      if (!take(',')) return false;
      skipWhitespace();
    }
  }

  // From '{' to its matching closing bracket, stepping over strings (and the escapes in them),
  // no deeper than maxDepth_. Whether what lies between is valid JSON is the event decoder's
  // to say; when it is, the depth counted here is its nesting.
  bool skipObject() {
    if (p_ == end_ || *p_ != '{') return false;
    int depth = 0;
    while (p_ != end_) {
      const char c = *p_++;
      if (c == '"') {
        if (!skipStringRest()) return false;
      } else if (c == '{' || c == '[') {
        if (++depth > maxDepth_) return false;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return true;
      }
    }
    return false;
  }

  bool skipStringRest() {
    while (p_ != end_) {
      const char c = *p_++;
      if (c == '"') return true;
      if (c == '\\') {
        if (p_ == end_) return false;
        ++p_;
      }
    }
    return false;
  }

  const char* p_;
  const char* end_;
  const int maxDepth_;
};

}  // namespace

bool readPageSkeleton(std::string_view page, int maxEventDepth, PageSkeleton* out) {
  out->events.clear();
  out->lastSeq = 0;
  return SkeletonReader(page, maxEventDepth).read(out);
}

}  // namespace chat::proto::detail
