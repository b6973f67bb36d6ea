#include "ui/card_layout.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/code_draw.h"
#include "ui/glyph_fallback.h"
#include "ui/grapheme.h"
#include "ui/links.h"
#include "ui/styled_line.h"
#include "ui/text_layer.h"

namespace chat::ui {

namespace {

constexpr float kRowGap = 6.0f;
constexpr float kListIndent = 18.0f;   // per nesting level, and room for the marker
constexpr float kQuoteIndent = 12.0f;  // the bar and the space after it
constexpr float kHeadingGapAbove = 4.0f;

// Synthetic bold: the text again one pixel to the right (no bold font in the atlas).
void addTextMaybeBold(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color,
                      const char* begin, const char* end, bool bold, bool rtl = false) {
  const std::string_view text(begin, static_cast<std::size_t>(end - begin));
  drawText(dl, font, size, pos, color, text, rtl);
  if (bold) drawText(dl, font, size, ImVec2(pos.x + 1.0f, pos.y), color, text, rtl);
}

// Where a line of a row starts: right-aligned in a right-to-left paragraph.
float lineX(const Row& row, const WrappedLine& line, float originX) {
  const float x = originX + row.indent;
  return row.rtl ? x + std::max(0.0f, row.wrapWidth - line.width) : x;
}

// Synthetic italic: the vertices just added lean right by a fifth of their height above the
// baseline (no italic font in the atlas; browser runs lean the same way).
void shear(ImDrawList* dl, int firstVertex, float baseline) {
  for (int v = firstVertex; v < dl->VtxBuffer.Size; ++v) {
    ImDrawVert& vert = dl->VtxBuffer[v];
    vert.pos.x += (baseline - vert.pos.y) * 0.2f;
  }
}

// One wrapped line of a prose row, in pieces of one style each (styled_line.h).
void drawStyledLine(ImDrawList* dl, const Row& row, const WrappedLine& line, ImVec2 pos,
                    const ViewContext& ctx, ImU32 color, float inset) {
  const FontMetrics& m = ctx.sansMetrics;
  const std::string_view text(row.text);
  for (const StyledPiece& p : layoutStyledLine(text, row.spans, row.bold, line, pos.x, m, ctx.monoMetrics)) {
    const std::string_view piece = text.substr(p.begin, p.end - p.begin);
    ImU32 pieceColor = color;
    bool underline = false;
    if (p.link >= 0 && static_cast<std::size_t>(p.link) < row.links.size()) {
      pieceColor = ctx.pal().accent;
      underline = trackLink(ImVec2(p.x, pos.y), ImVec2(p.x + p.width, pos.y + m.lineHeight),
                            row.links[static_cast<std::size_t>(p.link)]);
    }
    if (p.code) {
      const ImU32 tint = (color & 0x00FFFFFFu) | (0x22u << 24);  // the text colour, faint
      dl->AddRectFilled(ImVec2(p.x, pos.y + 1.0f), ImVec2(p.x + p.width, pos.y + m.lineHeight - 1.0f), tint, 3.0f);
    }
    const int firstVertex = dl->VtxBuffer.Size;
    ImFont* font = p.code ? ctx.mono : ctx.sans;
    const float size = p.code ? ctx.monoSize : ctx.sansSize;
    const float pieceInset = p.code ? (m.lineHeight - ctx.monoSize) * 0.5f : inset;
    addTextMaybeBold(dl, font, size, ImVec2(p.textX, pos.y + pieceInset), pieceColor, piece.data(),
                     piece.data() + piece.size(), p.bold, row.rtl);
    if (p.italic) shear(dl, firstVertex, pos.y + inset + size * 0.8f);
    const float baseline = pos.y + inset + size * 0.93f;
    const float x0 = p.textX, x1 = p.textX + p.textWidth;
    if (underline) dl->AddLine(ImVec2(x0, baseline + 1.5f), ImVec2(x1, baseline + 1.5f), pieceColor, 1.0f);
    if (p.strike) {
      const float mid = pos.y + inset + size * 0.58f;
      dl->AddLine(ImVec2(x0, mid), ImVec2(x1, mid), pieceColor, 1.0f);
    }
  }
}

// The code panel's header holds its Copy button: a finger's height on a coarse pointer.
float codeHeaderHeight(const ViewContext& ctx) { return ctx.target(ctx.sansMetrics.lineHeight + 6.0f); }

float buttonHeight(const ViewContext& ctx) {
  return ctx.target(ctx.sansSize + 2.0f * ImGui::GetStyle().FramePadding.y);
}

// Every button is at least `minTarget` tall (and wide, when its width is given): 0 for a mouse,
// kTouchTarget for a finger.
bool styledButton(const char* label, ImU32 bg, ImU32 bgHover, ImU32 text, ImVec2 size, float minTarget = 0) {
  if (minTarget > 0) {
    if (size.y < minTarget) size.y = minTarget;
    if (size.x > 0 && size.x < minTarget) size.x = minTarget;
  }
  ImGui::PushStyleColor(ImGuiCol_Button, bg);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, bgHover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, bgHover);
  ImGui::PushStyleColor(ImGuiCol_Text, text);
  const bool clicked = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return clicked;
}

}  // namespace

void CardBuilder::addText(const std::string& text, ImU32 Palette::*color, bool mono) {
  const FontMetrics& m = mono ? ctx_.monoMetrics : ctx_.sansMetrics;
  Row row;
  row.kind = RowKind::Text;
  row.color = color;
  row.mono = mono;
  row.text = text;
  row.lines = wrapText(row.text, inner_, m);
  row.rtl = paragraphDirection(row.text) == TextDirection::Rtl;
  row.wrapWidth = inner_;
  for (const auto& l : row.lines) used_ = std::max(used_, row.rtl ? inner_ : l.width);
  row.y = y_;
  row.h = static_cast<float>(row.lines.size()) * m.lineHeight;
  y_ += row.h + kRowGap;
  layout_.rows.push_back(std::move(row));
}

void CardBuilder::addProse(const ProseBlock& block, ImU32 Palette::*color, Row* earlier) {
  const FontMetrics& m = ctx_.sansMetrics;
  Row row;
  row.kind = RowKind::Text;
  row.color = color;
  row.text = block.body.text;
  row.spans = block.body.spans;
  switch (block.kind) {
    case ProseBlock::Kind::Heading:
      row.bold = true;
      if (!layout_.rows.empty()) y_ += kHeadingGapAbove;
      break;
    case ProseBlock::Kind::Bullet:
    case ProseBlock::Kind::Numbered:
      row.marker = block.marker;
      row.indent = kListIndent * static_cast<float>(block.level) +
                   std::max(kListIndent, textWidth(block.marker, m) + 6.0f);
      break;
    case ProseBlock::Kind::Quote:
      row.quote = true;
      row.quoteDepth = block.level + 1;
      row.indent = kQuoteIndent * static_cast<float>(block.level + 1);
      row.color = &Palette::textMuted;
      break;
    case ProseBlock::Kind::Table:
      addText(block.body.text, color, true);  // aligned monospace columns, wrapped if too wide
      return;
    case ProseBlock::Kind::Rule:
      row.rule = true;
      row.text.clear();
      break;
    case ProseBlock::Kind::Paragraph: break;
  }
  row.links = block.body.links;
  row.indent = std::min(row.indent, inner_ * 0.5f);  // a very narrow card still shows text
  placeText(row, m, std::max(1.0f, inner_ - row.indent), earlier);
}

void CardBuilder::placeText(Row& row, const FontMetrics& m, float width, Row* earlier) {
  const std::vector<ByteRange> monoRanges = codeRangesOf(row.spans);
  const bool reuse = earlier != nullptr && earlier->kind == row.kind && earlier->indent == row.indent &&
                     earlier->mono == row.mono && !earlier->lines.empty() &&
                     earlier->lines.back().begin <= row.text.size() &&
                     row.text.compare(0, earlier->lines.back().begin, earlier->text, 0,
                                      earlier->lines.back().begin) == 0;
  if (reuse) {
    row.lines = std::move(earlier->lines);
    wrapMixedTextFrom(row.text, width, m, ctx_.monoMetrics, monoRanges, row.lines, kCodeChipPad);
  } else {
    row.lines = wrapMixedText(row.text, width, m, ctx_.monoMetrics, monoRanges, kCodeChipPad);
  }
  row.y = y_;
  if (row.kind == RowKind::Code) {
    row.h = codeHeaderHeight(ctx_) + 2 * kCodePad + static_cast<float>(row.lines.size()) * m.lineHeight;
    used_ = inner_;  // code panels take the card's full width
  } else {
    row.rtl = paragraphDirection(row.text) == TextDirection::Rtl;
    row.wrapWidth = width;
    row.widestKept = 0;
    for (std::size_t i = 0; i + 1 < row.lines.size(); ++i) {
      row.widestKept = std::max(row.widestKept, row.rtl ? inner_ : row.indent + row.lines[i].width + (row.bold ? 1.0f : 0.0f));
    }
    for (const auto& l : row.lines) {
      used_ = std::max(used_, row.rtl ? inner_ : row.indent + l.width + (row.bold ? 1.0f : 0.0f));
    }
    row.h = static_cast<float>(row.lines.size()) * m.lineHeight;
  }
  y_ += row.h + kRowGap;
  layout_.rows.push_back(std::move(row));
}

void CardBuilder::addGrownText(Row row, std::string_view appended) {
  const FontMetrics& m = row.mono ? ctx_.monoMetrics : ctx_.sansMetrics;
  row.text.append(appended.data(), appended.size());
  // Only text was appended: every line but the last still stands (no prefix check needed), and
  // so does the widest of them (Row::widestKept): the cost is the new lines, not the row.
  const std::vector<ByteRange> monoRanges = codeRangesOf(row.spans);
  const float width = std::max(1.0f, inner_ - row.indent);
  std::size_t from = 0;
  if (row.lines.empty()) {
    row.lines = wrapMixedText(row.text, width, m, ctx_.monoMetrics, monoRanges, kCodeChipPad);
    row.widestKept = 0;
  } else {
    from = row.lines.size() - 1;
    wrapMixedTextFrom(row.text, width, m, ctx_.monoMetrics, monoRanges, row.lines, kCodeChipPad);
  }
  for (std::size_t i = from; i + 1 < row.lines.size(); ++i) {
    row.widestKept = std::max(row.widestKept, row.rtl ? inner_ : row.indent + row.lines[i].width + (row.bold ? 1.0f : 0.0f));
  }
  const float last = row.rtl ? inner_ : row.indent + row.lines.back().width + (row.bold ? 1.0f : 0.0f);
  used_ = std::max(used_, std::max(row.widestKept, last));
  y_ = row.y;  // where it stood, with the gap a heading keeps above it
  row.h = static_cast<float>(row.lines.size()) * m.lineHeight;
  y_ += row.h + kRowGap;
  layout_.rows.push_back(std::move(row));
}

void CardBuilder::resume(CardLayout earlier, const Mark& at) {
  layout_ = std::move(earlier);
  if (layout_.rows.size() > at.rows) layout_.rows.resize(at.rows);
  layout_.note.clear();
  y_ = at.y;
  used_ = at.used;
}

void CardBuilder::addCode(const std::string& text, const std::string& lang, Row* earlier) {
  Row row;
  row.kind = RowKind::Code;
  row.mono = true;
  row.color = &Palette::codeText;
  row.text = text;
  row.lang = lang;
  row.tokens = highlightCached(codeLangOf(lang), row.text);
  placeText(row, ctx_.monoMetrics, std::max(1.0f, inner_ - 2 * kCodePad), earlier);
}

void CardBuilder::addCustom(int tag, float height, float width) {
  Row row;
  row.kind = RowKind::Custom;
  row.tag = tag;
  row.y = y_;
  row.h = height;
  used_ = std::max(used_, width < 0 ? inner_ : std::min(width, inner_));
  y_ += row.h + kRowGap;
  layout_.rows.push_back(std::move(row));
}

void CardBuilder::addButtons(const std::vector<std::string>& labels) {
  Row row;
  row.kind = RowKind::Buttons;
  row.labels = labels;
  const float h = buttonHeight(ctx_);
  const float padX = ImGui::GetStyle().FramePadding.x;
  float x = 0, y = 0, widest = 0;
  for (const auto& label : labels) {
    const float w = ctx_.target(textWidth(label, ctx_.sansMetrics) + 2 * padX);
    if (x > 0 && x + w > inner_) {  // flow onto the next line when the card is narrow
      x = 0;
      y += h + kRowGap;
    }
    row.itemPos.push_back(ImVec2(x, y));
    row.itemSize.push_back(ImVec2(w, h));
    x += w + 8.0f;
    widest = std::max(widest, x - 8.0f);
  }
  used_ = std::max(used_, std::min(widest, inner_));
  row.y = y_;
  row.h = labels.empty() ? 0 : y + h;
  y_ += row.h + kRowGap;
  layout_.rows.push_back(std::move(row));
}

CardLayout CardBuilder::finish(float padX, float padY, float cardWidth) {
  const float content = layout_.rows.empty() ? 0 : y_ - kRowGap;
  layout_.padX = padX;
  layout_.padY = padY;
  layout_.width = cardWidth > 0 ? cardWidth : used_ + 2 * padX;
  layout_.height = content + 2 * padY;
  layout_.entryHeight = layout_.height + kEntrySpacing;
  if (!layout_.note.empty()) layout_.entryHeight += ctx_.sansMetrics.lineHeight;
  return std::move(layout_);
}

void drawTextRow(const Row& row, ImVec2 origin, const ViewContext& ctx, ImU32 colorOverride) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* font = row.mono ? ctx.mono : ctx.sans;
  const float size = row.mono ? ctx.monoSize : ctx.sansSize;
  const FontMetrics& m = row.mono ? ctx.monoMetrics : ctx.sansMetrics;
  const ImU32 color = colorOverride != 0 ? colorOverride : ctx.pal().*(row.color);
  const float inset = (m.lineHeight - size) * 0.5f;
  const ImVec4 clip = dl->_ClipRectStack.back();
  float y = origin.y + row.y;
  const char* base = row.text.data();
  const bool styled = !row.mono && (row.bold || !row.spans.empty());
  if (!row.marker.empty() && !row.lines.empty()) {
    const float w = textWidth(row.marker, m);
    addTextMaybeBold(dl, font, size, ImVec2(origin.x + row.indent - w - 6.0f, y + inset), color,
                     row.marker.data(), row.marker.data() + row.marker.size(), false);
  }
  if (row.quote) {  // one bar per level of nesting
    for (int q = 0; q < row.quoteDepth; ++q) {
      const float bx = origin.x + kQuoteIndent * static_cast<float>(q);
      dl->AddRectFilled(ImVec2(bx, y + 2.0f), ImVec2(bx + 3.0f, y + row.h - 2.0f),
                        (ctx.pal().textMuted & 0x00FFFFFFu) | (0x99u << 24), 1.5f);
    }
  }
  if (row.rule) {
    const float mid = y + m.lineHeight * 0.5f;
    dl->AddLine(ImVec2(origin.x, mid), ImVec2(origin.x + row.wrapWidth, mid),
                (ctx.pal().textMuted & 0x00FFFFFFu) | (0x66u << 24), 1.0f);
  }
  // Only the lines inside the clip rect are visited: a tall message partly on screen (a long
  // reply streaming) costs what shows, not its length.
  std::size_t first = 0;
  if (m.lineHeight > 0 && clip.y > y + m.lineHeight) {
    first = std::min(row.lines.size(), static_cast<std::size_t>((clip.y - y) / m.lineHeight) - 1);
    y += static_cast<float>(first) * m.lineHeight;
  }
  for (std::size_t lineIndex = first; lineIndex < row.lines.size() && y <= clip.w; ++lineIndex) {
    const WrappedLine& line = row.lines[lineIndex];
    // The selectable copy of the line (text_layer.h), for lines wholly inside the clip rect.
    if (y >= clip.y && y + m.lineHeight <= clip.w && line.end > line.begin) {
      const uint64_t salt = (static_cast<uint64_t>(row.y * 4.0f) << 24) ^ (static_cast<uint64_t>(lineIndex) << 4) ^
                            static_cast<uint64_t>(row.indent);
      addLayerLine(std::string_view(base + line.begin, line.end - line.begin),
                   ImVec2(lineX(row, line, origin.x), y), line.width, m.lineHeight, browserTextSize(size), row.mono, row.rtl,
                   salt);
    }
    if (styled) {
      if (y + m.lineHeight >= clip.y && y <= clip.w && line.end > line.begin) {
        drawStyledLine(dl, row, line, ImVec2(lineX(row, line, origin.x), y), ctx, color, inset);
      }
      y += m.lineHeight;
      continue;
    }
    // Skip lines outside the clip rect: a tall message partly on screen draws only what shows.
    if (!row.tokens.empty() && y + m.lineHeight >= clip.y && y <= clip.w && line.end > line.begin) {
      drawHighlightedLine(dl, font, size, m, row.text, row.tokens, line,
                          ImVec2(origin.x + row.indent, y + inset), color);
    } else if (y + m.lineHeight >= clip.y && y <= clip.w && line.end > line.begin) {
      drawText(dl, font, size, ImVec2(lineX(row, line, origin.x), y + inset), color,
               std::string_view(base + line.begin, line.end - line.begin), row.rtl);
    }
    y += m.lineHeight;
  }
}

void drawCodeRow(const Row& row, ImVec2 origin, float width, ViewContext& ctx,
                 const std::string& id) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& p = ctx.pal();
  const ImVec2 a(origin.x, origin.y + row.y);
  const ImVec2 b(origin.x + width, a.y + row.h);
  const float headerH = codeHeaderHeight(ctx);
  dl->AddRectFilled(a, b, p.codeBackground, 6.0f);
  dl->AddRectFilled(a, ImVec2(b.x, a.y + headerH), p.codeHeader, 6.0f, ImDrawFlags_RoundCornersTop);
  const std::string label = row.lang.empty() ? "code" : row.lang;
  drawEllipsized(dl, ctx.sans, ctx.sansSize * 0.9f, ctx.sansMetrics,
                 ImVec2(a.x + kCodePad, a.y + (headerH - ctx.sansSize * 0.9f) * 0.5f),
                 IM_COL32(200, 200, 210, 255), label, width * 0.6f);
  ImGui::PushID(id.c_str());
  const float btnW = ctx.target(textWidth("Copy", ctx.sansMetrics) + 12.0f);
  const float btnH = ctx.target(ctx.sansSize);
  ImGui::SetCursorScreenPos(ImVec2(b.x - btnW - 4.0f, a.y + (headerH - btnH) * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6.0f, 0.0f));
  const bool copy = styledButton("Copy", IM_COL32(255, 255, 255, 20), IM_COL32(255, 255, 255, 50),
                                 IM_COL32(230, 230, 235, 255), ImVec2(btnW, btnH));
  ImGui::PopStyleVar();
  ctx.recordItem("copy-code:" + id);
  ImGui::PopID();
  // Its twin copies on the next frame, like the click (an intent would copy the text each frame).
  if (copy || reportItem("copy-code:" + id, A11yRole::Button, "Copy " + label)) ctx.emit(UiIntent::Kind::Copy, {}, row.text);
  Row body = row;  // the lines, shifted under the header and inside the panel padding
  body.y = 0;
  drawTextRow(body, ImVec2(a.x + kCodePad, a.y + headerH + kCodePad), ctx, p.codeText);
}

int drawButtonsRow(const Row& row, ImVec2 origin, ViewContext& ctx, const std::string& id,
                   const std::function<int(int)>& styleOf) {
  int clicked = -1;
  ImGui::PushID(id.c_str());
  for (std::size_t i = 0; i < row.labels.size(); ++i) {
    ImGui::SetCursorScreenPos(ImVec2(origin.x + row.itemPos[i].x, origin.y + row.y + row.itemPos[i].y));
    const int style = styleOf ? styleOf(static_cast<int>(i)) : 0;
    bool hit = false;
    if (style == 0) {
      hit = accentButton(row.labels[i].c_str(), ctx, row.itemSize[i]);
    } else if (style == 2) {
      hit = dangerButton(row.labels[i].c_str(), ctx, row.itemSize[i]);
    } else {
      hit = neutralButton(row.labels[i].c_str(), ctx, row.itemSize[i]);
    }
    ctx.recordItem(id + ":" + row.labels[i]);
    if (hit) clicked = static_cast<int>(i);
  }
  ImGui::PopID();
  return clicked;
}

bool accentButton(const char* label, const ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  return styledButton(label, p.accent, p.accentHover, p.textOnAccent, size, ctx.minTarget);
}

bool neutralButton(const char* label, const ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  return styledButton(label, p.sidebar, p.sidebarSelected, p.text, size, ctx.minTarget);
}

bool dangerButton(const char* label, const ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  return styledButton(label, p.pillRedBg, p.red, p.text, size, ctx.minTarget);
}

bool smallNeutralButton(const char* label, const ViewContext& ctx) {
  const Palette& p = ctx.pal();
  ImGui::PushStyleColor(ImGuiCol_Button, p.sidebar);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.sidebarSelected);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.sidebarSelected);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text);
  // A finger gets a full-size target; a mouse the small one.
  bool clicked = false;
  if (ctx.minTarget > 0) {
    const float natural = ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
    clicked = ImGui::Button(label, ImVec2(std::max(natural, ctx.minTarget), ctx.minTarget));
  } else {
    clicked = ImGui::SmallButton(label);
  }
  ImGui::PopStyleColor(4);
  return clicked;
}

void drawEllipsized(ImDrawList* dl, ImFont* font, float size, const FontMetrics& m, ImVec2 pos,
                    ImU32 color, const std::string& text, float maxWidth) {
  FontMetrics scaled = m;
  scaled.scale = size / font->FontSize;
  bool cut = false;
  const std::string_view fit = fitWithEllipsis(text, maxWidth, scaled, &cut);
  std::string shown(fit);
  if (cut) shown += "\xE2\x80\xA6";  // …
  drawText(dl, font, size, pos, color, shown);
}

}  // namespace chat::ui
