// Splits a message into prose and fenced code blocks (```lang ... ```), the only Markdown the
// message list renders specially. An unclosed fence runs to the end of the text, so a code
// block being streamed shows as code from its first line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chat::ui {

struct TextBlock {
  enum class Kind { Prose, Code };
  Kind kind = Kind::Prose;
  std::string lang;  // code only: the info string after the opening fence ("" if none)
  std::string text;  // prose: trimmed of blank lines around it; code: the lines between fences
  bool closed = true;  // code only: false while the closing fence has not arrived yet
};

// Blocks in order. Empty prose between blocks is dropped; an empty text gives no blocks.
std::vector<TextBlock> splitBlocks(std::string_view text);

// A fence line: up to 3 spaces of indentation, then at least three backticks; its info string
// (after the backticks, trimmed) through `info`. Inside a block, only a fence without info
// closes it.
bool isFenceLine(std::string_view line, std::string_view* info);

}  // namespace chat::ui
