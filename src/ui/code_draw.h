// Drawing of highlighted code: the colours of the token kinds on the (always dark) code panel,
// and one wrapped line drawn in pieces of one colour each. The tokens come from
// code_highlight.h, computed when the card is laid out; a streaming block reuses the tokens of
// the text it had (highlightCached), so a delta re-tokenizes only its last line.
#pragma once

#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/code_highlight.h"
#include "ui/text_layout.h"

namespace chat::ui {

ImU32 tokenColor(TokenKind kind);

// Tokens of `text` from a few incremental highlighters kept between frames (the blocks being
// streamed or re-laid out), so re-highlighting a grown block costs only its new lines.
std::vector<CodeToken> highlightCached(CodeLang lang, std::string_view text);

// Draws text[line.begin, line.end) at pos in `font`, tokens coloured, the rest in `plain`.
void drawHighlightedLine(ImDrawList* dl, ImFont* font, float size, const FontMetrics& m,
                         std::string_view text, const std::vector<CodeToken>& tokens,
                         const WrappedLine& line, ImVec2 pos, ImU32 plain);

}  // namespace chat::ui
