// The Markdown parser of agents' replies (src/ui/markdown_*): any text, including replies cut
// anywhere while they stream. No crash, no sanitizer report, and every style span stays
// inside the text it styles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ui/markdown_blocks.h"
#include "ui/markdown_prose.h"

using namespace chat::ui;

namespace {
void checkInline(const InlineText& t) {
  for (const auto& span : t.spans)
    if (span.begin > span.end || span.end > t.text.size()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& block : splitBlocks(text)) (void)block;
  for (const auto& block : parseProse(text)) checkInline(block.body);
  checkInline(parseInline(text));
  // A reply still streaming: every prefix is parsed as it grows (a few cut points).
  if (size > 0) {
    std::size_t cut = data[0] % size;
    for (const auto& block : parseProse(text.substr(0, cut))) checkInline(block.body);
  }
  return 0;
}
