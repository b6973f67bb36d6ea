// A laid-out card (message bubble, tool card, approval card): rows of wrapped text, code panels,
// custom one-line rows and button rows, with their positions computed once per content version
// and width. Drawing replays the layout, so the height the list reserves is the height drawn.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/code_highlight.h"
#include "ui/markdown_prose.h"
#include "ui/text_layout.h"
#include "ui/theme.h"
#include "ui/view_context.h"

namespace chat::ui {

enum class RowKind { Text, Code, Custom, Buttons };

struct Row {
  RowKind kind = RowKind::Text;
  int tag = 0;  // Custom rows: which one (the card's own enum)
  ImU32 Palette::*color = &Palette::text;
  bool mono = false;
  std::string text;
  std::string lang;                 // Code rows
  std::vector<CodeToken> tokens;    // Code rows: syntax highlighting (code_highlight.h)
  std::vector<WrappedLine> lines;   // Text and Code rows
  // Text rows of Markdown prose: the lines start `indent` in (list items, quotes), the first
  // one with `marker` ("•", "2.") hanging left of it; spans style parts of the text; a heading
  // is bold throughout; a quote has a bar at its left.
  float indent = 0;
  std::string marker;
  std::vector<StyleSpan> spans;
  bool bold = false;
  bool quote = false;
  float widestKept = 0;             // Text rows: the widest line but the last (indent included)
  int quoteDepth = 0;               // nested quotes: one bar per level
  bool rule = false;                // a horizontal rule (an empty one-line row)
  std::vector<std::string> links;   // targets of the Link spans
  // A right-to-left paragraph (grapheme.h): its lines are right-aligned in `wrapWidth` and
  // drawn by the browser in bidi order.
  bool rtl = false;
  float wrapWidth = 0;
  std::vector<std::string> labels;  // Buttons rows
  std::vector<ImVec2> itemPos;      // Buttons rows: relative to the row
  std::vector<ImVec2> itemSize;
  float y = 0;  // relative to the card's content origin
  float h = 0;
};

struct CardLayout {
  float x = 0;       // card offset from the list's left edge
  float width = 0;   // card (bubble) size
  float height = 0;
  float padX = 0, padY = 0;
  std::vector<Row> rows;
  std::string note;  // one line under the card (status, model and usage)
  ImU32 Palette::*noteColor = &Palette::textMuted;
  bool noteRight = false;
  float entryHeight = 0;  // card + note + spacing: what the list reserves
};

constexpr float kEntrySpacing = 14.0f;
constexpr float kCodePad = 8.0f;

// Builds rows top to bottom inside a card of a given inner width.
class CardBuilder {
 public:
  CardBuilder(const ViewContext& ctx, float innerWidth) : ctx_(ctx), inner_(innerWidth) {}
  float innerWidth() const { return inner_; }
  float contentWidth() const { return used_; }  // widest row so far (for shrink-to-fit)
  void addText(const std::string& text, ImU32 Palette::*color, bool mono = false);
  // A block of Markdown prose (see markdown_prose.h), wrapped inside its indent. `earlier`: this
  // row as laid out for a shorter text (a streaming reply); its wrapped lines are reused where
  // the text still repeats them (wrapTextFrom).
  void addProse(const ProseBlock& block, ImU32 Palette::*color, Row* earlier = nullptr);
  void addCode(const std::string& text, const std::string& lang, Row* earlier = nullptr);
  // `row` (a text row laid out before, in its place: every row above it is unchanged) with
  // `appended` added to its text: rewrapped from its last line on, styles unchanged.
  void addGrownText(Row row, std::string_view appended);

  // Where the builder stands: rows so far, height, widest row. resume() continues a layout
  // built earlier from such a point, keeping its rows before it (moved, not copied).
  struct Mark {
    std::size_t rows = 0;
    float y = 0;
    float used = 0;
  };
  Mark mark() const { return Mark{layout_.rows.size(), y_, used_}; }
  void resume(CardLayout earlier, const Mark& at);
  void addCustom(int tag, float height, float width = -1);
  void addButtons(const std::vector<std::string>& labels);
  void addGap(float h) { y_ += h; }
  // Finishes the card with padding, `note` below it, and the given outer width (<= 0: shrink).
  CardLayout finish(float padX, float padY, float cardWidth);
  CardLayout& pending() { return layout_; }

 private:
  // Wraps row.text (reusing `earlier`'s lines when it still applies) and places the row.
  void placeText(Row& row, const FontMetrics& m, float width, Row* earlier);

  const ViewContext& ctx_;
  float inner_;
  float y_ = 0;
  float used_ = 0;
  CardLayout layout_;
};

// Drawing, with the card's content origin (top-left inside the padding).
void drawTextRow(const Row& row, ImVec2 origin, const ViewContext& ctx, ImU32 colorOverride = 0);
// A dark monospace panel with a header (language, Copy button). Emits Copy itself.
void drawCodeRow(const Row& row, ImVec2 origin, float width, ViewContext& ctx,
                 const std::string& id);
// Returns the index of the clicked button, or -1. `styleOf(i)` picks accent (0), neutral (1)
// or danger (2) colours per button.
int drawButtonsRow(const Row& row, ImVec2 origin, ViewContext& ctx, const std::string& id,
                   const std::function<int(int)>& styleOf);

// Small buttons in the theme's styles; at least ctx.minTarget tall (a finger's size on touch).
bool accentButton(const char* label, const ViewContext& ctx, ImVec2 size = ImVec2(0, 0));
bool neutralButton(const char* label, const ViewContext& ctx, ImVec2 size = ImVec2(0, 0));
bool dangerButton(const char* label, const ViewContext& ctx, ImVec2 size = ImVec2(0, 0));
bool smallNeutralButton(const char* label, const ViewContext& ctx);

// Draws one line of `text` clipped with "…" to maxWidth.
void drawEllipsized(ImDrawList* dl, ImFont* font, float size, const FontMetrics& m, ImVec2 pos,
                    ImU32 color, const std::string& text, float maxWidth);

}  // namespace chat::ui
