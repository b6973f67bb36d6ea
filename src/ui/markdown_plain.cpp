#include "ui/markdown_plain.h"

#include "ui/markdown_blocks.h"
#include "ui/markdown_prose.h"

namespace chat::ui {

namespace {

// Appends `text` with every run of whitespace (newlines, tabs) as one space between words.
void appendWords(std::string& out, std::string_view text) {
  bool space = !out.empty();
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

}  // namespace

std::string plainTextOf(std::string_view markdown) {
  std::string out;
  for (const TextBlock& block : splitBlocks(markdown)) {
    if (block.kind == TextBlock::Kind::Code) {
      appendWords(out, block.text);
      continue;
    }
    for (const ProseBlock& prose : parseProse(block.text)) {
      if (prose.kind == ProseBlock::Kind::Rule) continue;
      // A number ("2.") and a task's box (☐ / ☑) are content; a bullet is decoration.
      if (prose.kind == ProseBlock::Kind::Numbered ||
          (prose.kind == ProseBlock::Kind::Bullet && prose.marker != "\xE2\x80\xA2")) {
        appendWords(out, prose.marker);
      }
      appendWords(out, prose.body.text);
    }
  }
  return out;
}

}  // namespace chat::ui
