// A fast, strict parser for the common shape of a frame: ONE JSON object whose members are all
// scalars (strings, non-negative integers, true, false, null). Private to the protocol module.
//
// Why: almost every frame on the hot path (chat.stream.delta, tool.output, chat.message,
// chat.send, ack ...) has that shape, and building an nlohmann DOM for it (a std::map node per
// member, a heap string per long value, a second pass for UTF-8 and one for nesting) costs
// several times what reading it in place does.
//
// The parser accepts only a SUBSET of what the general path (frame_check + nlohmann) accepts,
// with the same meaning: RFC 8259 syntax, RFC 3629 UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF), no raw control characters in strings, \u escapes with paired surrogates, the
// last of repeated keys wins (as in nlohmann's DOM). Anything else, including every error, makes
// parse() return false and the caller takes the general path, which produces the contract's
// error codes and messages. So the fast path never has to report an error itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chat::proto::detail {

class FlatObject {
 public:
  enum class Kind : unsigned char { kString, kInteger, kTrue, kFalse, kNull };

  struct Member {
    std::string_view key;   // decoded (escapes resolved)
    Kind kind;
    std::string_view text;  // kString: the decoded value, valid UTF-8
    int64_t integer;        // kInteger: 0 .. 10^18 - 1 (larger or negative ones are not flat)
  };

  // More members than this is unusual enough to leave to the general path.
  static constexpr std::size_t kMaxMembers = 24;

  FlatObject() = default;
  FlatObject(const FlatObject&) = delete;  // members point into scratch_
  FlatObject& operator=(const FlatObject&) = delete;

  // True when `frame` is a flat object as described above. The members' views point into
  // `frame` (or into this object for escaped strings): both must outlive the lookups.
  bool parse(std::string_view frame);

  // The member named `name` (the last one when the key repeats), or nullptr.
  const Member* find(std::string_view name) const {
    for (std::size_t i = count_; i-- > 0;) {
      if (members_[i].key == name) return &members_[i];
    }
    return nullptr;
  }

 private:
  bool readString(const char*& p, const char* end, std::string_view* out);
  bool readEscaped(const char* start, const char*& p, const char* end, std::string_view* out);

  Member members_[kMaxMembers];
  std::size_t count_ = 0;
  std::size_t frameSize_ = 0;
  // Decoded escaped strings. Reserved to the frame's size on first use: decoding never grows a
  // string, so appends never reallocate and the views handed out stay valid.
  std::string scratch_;
};

}  // namespace chat::proto::detail
