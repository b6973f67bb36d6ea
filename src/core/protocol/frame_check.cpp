#include "core/protocol/frame_check.h"

#include <cstdint>
#include <exception>
#include <string>

namespace chat::proto::detail {

bool nestingWithin(std::string_view s, int maxDepth) {
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  for (const char ch : s) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        inString = false;
      }
      continue;
    }
    switch (ch) {
      case '"':
        inString = true;
        break;
      case '{':
      case '[':
        if (++depth > maxDepth) return false;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;  // unbalanced garbage is the parser's problem, not ours
        break;
      default:
        break;
    }
  }
  return true;
}

std::optional<DecodeError> parseFrame(std::string_view frame, std::size_t maxBytes,
                                      nlohmann::json* out) {
  if (frame.size() > maxBytes) {
    return DecodeError{code::kTooLarge, "",
                       "frame is " + std::to_string(frame.size()) + " bytes, the limit is " +
                           std::to_string(maxBytes)};
  }
  if (!isValidUtf8(frame)) {
    return DecodeError{code::kBadRequest, "", "frame is not valid UTF-8"};
  }
  if (!nestingWithin(frame, kMaxNestingDepth)) {
    return DecodeError{code::kBadRequest, "",
                       "frame nests deeper than " + std::to_string(kMaxNestingDepth) + " levels"};
  }
  try {
    // allow_exceptions=false: syntax errors (and numbers like 1e400 that overflow a double)
    // come back as a discarded value instead of an exception.
    nlohmann::json j = nlohmann::json::parse(frame.begin(), frame.end(), nullptr, false);
    if (j.is_discarded()) {
      return DecodeError{code::kBadRequest, "", "frame is not valid JSON"};
    }
    *out = std::move(j);
  } catch (const std::exception&) {  // e.g. std::bad_alloc: still an answer, never a crash
    return DecodeError{code::kBadRequest, "", "frame could not be parsed"};
  }
  return std::nullopt;
}

}  // namespace chat::proto::detail
