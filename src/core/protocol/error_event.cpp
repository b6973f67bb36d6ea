// Turning a decode failure into the `error` frame that answers it, plus clipUtf8 used when
// quoting bad input back.
#include "core/protocol/codec.h"
#include "core/protocol/decode_dispatch.h"
#include "core/protocol/frame_check.h"

namespace chat::proto {

namespace detail {

std::string clipUtf8(const std::string& s, std::size_t maxBytes) {
  if (s.size() <= maxBytes) return s;
  std::size_t end = maxBytes;
  // Step back over continuation bytes so the cut never splits a character.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end) + "...";
}

}  // namespace detail

ErrorEvent toErrorEvent(const DecodeError& e, std::optional<std::string> requestId) {
  ErrorEvent out;
  // Only an id the contract allows is echoed, so the error frame itself always decodes.
  if (requestId && !requestId->empty() && requestId->size() <= kMaxIdChars &&
      isValidUtf8(*requestId)) {
    out.requestId = std::move(requestId);
  }
  out.code = e.code.empty() ? code::kBadRequest : e.code;
  out.message = e.message.empty() ? (e.field.empty() ? std::string("bad request")
                                                     : e.field + ": invalid")
                                  : detail::clipUtf8(e.message, 1024);
  return out;
}

}  // namespace chat::proto
