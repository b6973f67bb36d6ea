#include "ui/card_layout.h"

#include <algorithm>

namespace chat::ui {

namespace {

constexpr float kRowGap = 6.0f;
constexpr float kListIndent = 18.0f;   // per nesting level, and room for the marker
constexpr float kQuoteIndent = 12.0f;  // the bar and the space after it
constexpr float kHeadingGapAbove = 4.0f;

// Synthetic bold: the text again one pixel to the right (no bold font in the atlas).
void addTextMaybeBold(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color,
                      const char* begin, const char* end, bool bold) {
  dl->AddText(font, size, pos, color, begin, end);
  if (bold) dl->AddText(font, size, ImVec2(pos.x + 1.0f, pos.y), color, begin, end);
}

// One wrapped line of a prose row, in pieces of one style each.
void drawStyledLine(ImDrawList* dl, const Row& row, const WrappedLine& line, ImVec2 pos,
                    const ViewContext& ctx, ImU32 color, float inset) {
  const char* base = row.text.data();
  const FontMetrics& m = ctx.sansMetrics;
  uint32_t at = line.begin;
  float x = pos.x;
  while (at < line.end) {
    // The style at `at` and where it changes next.
    bool bold = row.bold, code = false;
    uint32_t next = line.end;
    for (const StyleSpan& s : row.spans) {
      if (s.begin <= at && at < s.end) {
        (s.style == StyleSpan::Style::Bold ? bold : code) = true;
        next = std::min(next, s.end);
      } else if (s.begin > at) {
        next = std::min(next, s.begin);
      }
    }
    const std::string_view piece(base + at, next - at);
    const float w = textWidth(piece, m);
    if (code) {
      const ImU32 tint = (color & 0x00FFFFFFu) | (0x22u << 24);  // the text colour, faint
      dl->AddRectFilled(ImVec2(x - 2.0f, pos.y + 1.0f), ImVec2(x + w + 2.0f, pos.y + m.lineHeight - 1.0f),
                        tint, 3.0f);
    }
    addTextMaybeBold(dl, ctx.sans, ctx.sansSize, ImVec2(x, pos.y + inset), color, piece.data(),
                     piece.data() + piece.size(), bold);
    x += w;
    at = next;
  }
}

float codeHeaderHeight(const ViewContext& ctx) { return ctx.sansMetrics.lineHeight + 6.0f; }

float buttonHeight(const ViewContext& ctx) {
  return ctx.sansSize + 2.0f * ImGui::GetStyle().FramePadding.y;
}

bool styledButton(const char* label, ImU32 bg, ImU32 bgHover, ImU32 text, ImVec2 size) {
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
  for (const auto& l : row.lines) used_ = std::max(used_, l.width);
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
      row.indent = kQuoteIndent;
      row.color = &Palette::textMuted;
      break;
    case ProseBlock::Kind::Paragraph: break;
  }
  row.indent = std::min(row.indent, inner_ * 0.5f);  // a very narrow card still shows text
  placeText(row, m, std::max(1.0f, inner_ - row.indent), earlier);
}

void CardBuilder::placeText(Row& row, const FontMetrics& m, float width, Row* earlier) {
  const bool reuse = earlier != nullptr && earlier->kind == row.kind && earlier->indent == row.indent &&
                     earlier->mono == row.mono && !earlier->lines.empty() &&
                     earlier->lines.back().begin <= row.text.size() &&
                     row.text.compare(0, earlier->lines.back().begin, earlier->text, 0,
                                      earlier->lines.back().begin) == 0;
  if (reuse) {
    row.lines = std::move(earlier->lines);
    wrapTextFrom(row.text, width, m, row.lines);
  } else {
    row.lines = wrapText(row.text, width, m);
  }
  row.y = y_;
  if (row.kind == RowKind::Code) {
    row.h = codeHeaderHeight(ctx_) + 2 * kCodePad + static_cast<float>(row.lines.size()) * m.lineHeight;
    used_ = inner_;  // code panels take the card's full width
  } else {
    const float extra = row.indent + (row.bold ? 1.0f : 0.0f);
    row.widestKept = 0;
    for (std::size_t i = 0; i + 1 < row.lines.size(); ++i) {
      row.widestKept = std::max(row.widestKept, extra + row.lines[i].width);
    }
    for (const auto& l : row.lines) used_ = std::max(used_, extra + l.width);
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
  const float extra = row.indent + (row.bold ? 1.0f : 0.0f);
  std::size_t from = 0;
  if (row.lines.empty()) {
    row.lines = wrapText(row.text, std::max(1.0f, inner_ - row.indent), m);
    row.widestKept = 0;
  } else {
    from = row.lines.size() - 1;
    wrapTextFrom(row.text, std::max(1.0f, inner_ - row.indent), m, row.lines);
  }
  for (std::size_t i = from; i + 1 < row.lines.size(); ++i) {
    row.widestKept = std::max(row.widestKept, extra + row.lines[i].width);
  }
  used_ = std::max(used_, std::max(row.widestKept, extra + row.lines.back().width));
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
    const float w = textWidth(label, ctx_.sansMetrics) + 2 * padX;
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
  if (row.quote) {
    dl->AddRectFilled(ImVec2(origin.x, y + 2.0f), ImVec2(origin.x + 3.0f, y + row.h - 2.0f),
                      (ctx.pal().textMuted & 0x00FFFFFFu) | (0x99u << 24), 1.5f);
  }
  // Only the lines inside the clip rect are visited: a tall message partly on screen (a long
  // reply streaming) costs what shows, not its length.
  const float top = y;
  std::size_t first = 0;
  if (m.lineHeight > 0 && clip.y > top + m.lineHeight) {
    first = std::min(row.lines.size(), static_cast<std::size_t>((clip.y - top) / m.lineHeight) - 1);
  }
  for (std::size_t i = first; i < row.lines.size(); ++i) {
    const WrappedLine& line = row.lines[i];
    y = top + static_cast<float>(i) * m.lineHeight;
    if (y > clip.w) break;
    if (y + m.lineHeight < clip.y || line.end <= line.begin) continue;
    if (styled) {
      drawStyledLine(dl, row, line, ImVec2(origin.x + row.indent, y), ctx, color, inset);
    } else {
      dl->AddText(font, size, ImVec2(origin.x + row.indent, y + inset), color, base + line.begin,
                  base + line.end);
    }
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
  const float btnW = textWidth("Copy", ctx.sansMetrics) + 12.0f;
  ImGui::SetCursorScreenPos(ImVec2(b.x - btnW - 4.0f, a.y + (headerH - ctx.sansSize) * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6.0f, 0.0f));
  const bool copy = styledButton("Copy", IM_COL32(255, 255, 255, 20), IM_COL32(255, 255, 255, 50),
                                 IM_COL32(230, 230, 235, 255), ImVec2(btnW, ctx.sansSize));
  ImGui::PopStyleVar();
  ctx.recordItem("copy-code:" + id);
  ImGui::PopID();
  if (copy) ctx.emit(UiIntent::Kind::Copy, {}, row.text);
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
  return styledButton(label, p.accent, p.accentHover, p.textOnAccent, size);
}

bool neutralButton(const char* label, const ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  return styledButton(label, p.sidebar, p.sidebarSelected, p.text, size);
}

bool dangerButton(const char* label, const ViewContext& ctx, ImVec2 size) {
  const Palette& p = ctx.pal();
  return styledButton(label, p.pillRedBg, p.red, p.text, size);
}

bool smallNeutralButton(const char* label, const ViewContext& ctx) {
  const Palette& p = ctx.pal();
  ImGui::PushStyleColor(ImGuiCol_Button, p.sidebar);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.sidebarSelected);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.sidebarSelected);
  ImGui::PushStyleColor(ImGuiCol_Text, p.text);
  const bool clicked = ImGui::SmallButton(label);
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
  dl->AddText(font, size, pos, color, shown.data(), shown.data() + shown.size());
}

}  // namespace chat::ui
