#include "ui/tool_card.h"

#include <algorithm>
#include <cmath>

#include "ui/a11y_report.h"
#include "ui/format.h"

namespace chat::ui {

namespace {

using core::ToolStatus;

constexpr float kCardPad = 10.0f;
constexpr float kCardRounding = 8.0f;
constexpr std::size_t kMaxArgsBytes = 8 * 1024;
constexpr std::size_t kMaxOutputBytes = 8 * 1024;
constexpr std::size_t kMaxResultBytes = 8 * 1024;
// The running spinner turns in steps of this many ms (~30 steps a second): smooth enough, and
// a third of the frames a per-vsync animation would draw.
constexpr int64_t kSpinnerStepMs = 33;

enum CustomRow { kHeader = 1, kArgsToggle = 2 };

ImU32 statusColor(ToolStatus s, const Palette& p) {
  switch (s) {
    case ToolStatus::Pending: return p.grey;
    case ToolStatus::Running: return p.blue;
    case ToolStatus::Completed: return p.green;
    case ToolStatus::Error: return p.red;
  }
  return p.grey;
}

bool hasArgs(const core::ToolCard& card) {
  return !(card.args.is_null() || (card.args.is_object() && card.args.empty()));
}

float cardWidth(float listWidth) { return std::max(120.0f, listWidth * 0.88f); }

}  // namespace

const char* toolStatusLabel(ToolStatus s) {
  switch (s) {
    case ToolStatus::Pending: return "pending";
    case ToolStatus::Running: return "running";
    case ToolStatus::Completed: return "completed";
    case ToolStatus::Error: return "error";
  }
  return "pending";
}

void drawSpinner(ImDrawList* dl, ImVec2 center, float radius, ImU32 color, int64_t nowMs) {
  const float start = static_cast<float>(nowMs % 1000) / 1000.0f * 2.0f * 3.14159265f;
  dl->PathArcTo(center, radius, start, start + 4.2f, 16);
  dl->PathStroke(color, 0, 2.0f);
}

CardLayout layoutTool(const core::ToolCard& card, const ToolCardUi& ui, const ViewContext& ctx,
                      float listWidth) {
  const float width = cardWidth(listWidth);
  CardBuilder b(ctx, width - 2 * kCardPad);
  b.addCustom(kHeader, ctx.sansMetrics.lineHeight);
  if (hasArgs(card)) {
    b.addCustom(kArgsToggle, ctx.target(ctx.sansSize + 2.0f));  // a finger-sized button on touch
    if (ui.argsOpen) b.addCode(displayJson(card.args, kMaxArgsBytes), "arguments");
  }
  if (!card.output.empty()) {
    std::string output = tailOf(card.output, kMaxOutputBytes);
    if (!output.empty() && output.back() == '\n') output.pop_back();  // no empty last line
    b.addCode(output, "output");
  }
  if (card.status == ToolStatus::Completed && !card.result.is_null()) {
    b.addCode(displayJson(card.result, kMaxResultBytes), "result");
  }
  if (card.status == ToolStatus::Error) {
    b.addText(card.error.empty() ? "The tool failed." : headOf(card.error, kMaxResultBytes),
              &Palette::red);
  }
  return b.finish(kCardPad, kCardPad, width);
}

bool drawTool(const core::ToolCard& card, const ToolCardUi& ui, const CardLayout& layout,
              ImVec2 origin, ViewContext& ctx) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(origin.x + layout.x, origin.y);
  const ImVec2 b(a.x + layout.width, a.y + layout.height);
  dl->AddRectFilled(a, b, p.cardBackground, kCardRounding);
  dl->AddRect(a, b, p.cardBorder, kCardRounding, 0, 1.0f);
  // A coloured strip on the left edge says the status at a glance.
  const ImU32 sc = statusColor(card.status, p);
  dl->AddRectFilled(a, ImVec2(a.x + 4.0f, b.y), sc, kCardRounding, ImDrawFlags_RoundCornersLeft);
  const ImVec2 content(a.x + layout.padX, a.y + layout.padY);
  const float innerW = layout.width - 2 * layout.padX;
  bool toggled = false;
  int index = 0;
  for (const Row& row : layout.rows) {
    const ImVec2 rowPos(content.x, content.y + row.y);
    if (row.kind == RowKind::Custom && row.tag == kHeader) {
      const float r = ctx.sansSize * 0.35f;
      const ImVec2 c(rowPos.x + r + 1.0f, rowPos.y + row.h * 0.5f);
      if (card.status == ToolStatus::Running) {
        drawSpinner(dl, c, r, sc, ctx.nowMs);
        ctx.redrawAt(ctx.nowMs + kSpinnerStepMs);
      } else {
        dl->AddCircleFilled(c, r * 0.8f, sc);
      }
      const float textY = rowPos.y + (row.h - ctx.sansSize) * 0.5f;
      std::string right = toolStatusLabel(card.status);
      if (ui.startedMs >= 0) {
        const int64_t end = ui.endedMs >= 0 ? ui.endedMs : ctx.nowMs;
        right += " \xC2\xB7 " + formatElapsed(end - ui.startedMs);
        if (ui.endedMs < 0) ctx.redrawAt(ctx.nowMs + elapsedChangesInMs(end - ui.startedMs));
      }
      const float rightW = textWidth(right, ctx.sansMetrics);
      dl->AddText(ctx.sans, ctx.sansSize, ImVec2(rowPos.x + innerW - rightW, textY), sc,
                  right.c_str());
      drawEllipsized(dl, ctx.mono, ctx.monoSize, ctx.monoMetrics,
                     ImVec2(rowPos.x + 2 * r + 8.0f, rowPos.y + (row.h - ctx.monoSize) * 0.5f),
                     p.text, card.toolName.empty() ? "tool" : card.toolName,
                     std::max(10.0f, innerW - rightW - 2 * r - 16.0f));
    } else if (row.kind == RowKind::Custom && row.tag == kArgsToggle) {
      ImGui::PushID(card.toolCallId.c_str());
      ImGui::SetCursorScreenPos(rowPos);
      if (smallNeutralButton(ui.argsOpen ? "Hide arguments" : "Show arguments", ctx)) toggled = true;
      ctx.recordItem("tool-args:" + card.toolCallId);
      A11yState st;
      st.expanded = ui.argsOpen ? 1 : 0;
      const std::string tool = card.toolName.empty() ? "tool" : card.toolName;
      if (reportItem("tool-args:" + card.toolCallId, A11yRole::Button, "Arguments of " + tool, std::nullopt, st)) toggled = true;
      ImGui::PopID();
    } else if (row.kind == RowKind::Code) {
      drawCodeRow(row, content, innerW, ctx, "tool:" + card.toolCallId + ":" + std::to_string(index));
    } else if (row.kind == RowKind::Text) {
      drawTextRow(row, content, ctx);
    }
    ++index;
  }
  return toggled;
}

}  // namespace chat::ui
