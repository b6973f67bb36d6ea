// A piece of Markdown as one line of plain text: what the message list would show, without
// its markers, for places that draw a single line (the session title in the header and the
// sidebar). The same parsers as the messages (markdown_blocks.h, markdown_prose.h), so a title
// reads "Fix the build" where its message shows **Fix** the `build`, and what stays literal in
// a message (an unclosed **, snake_case) stays literal here.
#pragma once

#include <string>
#include <string_view>

namespace chat::ui {

// Blocks joined by one space, line breaks and runs of whitespace as one space, trimmed; code
// blocks by their text; horizontal rules and bullets left out (item numbers and task boxes
// kept). Empty when there is nothing but markers.
std::string plainTextOf(std::string_view markdown);

}  // namespace chat::ui
