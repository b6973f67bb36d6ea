// The SSE parser of upstream agent streams (src/gateway/sse_parser.h): any bytes, split at
// any points. No crash, no sanitizer report, and the events are the same whether the bytes
// come in one read or in many (the first byte picks the split points).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/sse_parser.h"

using chat::gateway::SseParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const unsigned step = 1 + data[0] % 7;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  SseParser whole;
  std::vector<std::string> once;
  whole.feed(bytes, once);

  SseParser pieces;
  std::vector<std::string> many;
  for (std::size_t i = 0; i < bytes.size(); i += step) pieces.feed(bytes.substr(i, step), many);

  if (once != many) std::abort();
  if (whole.pendingBytes() != pieces.pendingBytes()) std::abort();
  return 0;
}
