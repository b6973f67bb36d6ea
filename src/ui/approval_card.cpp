#include "ui/approval_card.h"

#include <algorithm>

#include "ui/a11y_report.h"
#include "ui/format.h"

namespace chat::ui {

namespace {

using core::ApprovalStatus;

constexpr float kCardPad = 12.0f;
constexpr float kCardRounding = 8.0f;
constexpr std::size_t kMaxArgsBytes = 8 * 1024;

enum CustomRow { kHeader = 1 };

const std::vector<std::string>& buttonLabels() {
  static const std::vector<std::string> labels{"Approve", "Deny", "Approve for session"};
  return labels;
}

bool isPendingForUser(const core::ApprovalCard& card) {
  return card.status == ApprovalStatus::Pending && !card.responseSent;
}

// The three buttons' twins: one key each (page/composer_keys.h) while one of them has the focus.
void reportApprovalButtons(const core::ApprovalCard& card, const Row& row, ImVec2 content) {
  static const char* const ids[] = {"approve:", "deny:", "approve-session:"};
  static const UiIntent::Kind kinds[] = {UiIntent::Kind::Approve, UiIntent::Kind::Deny, UiIntent::Kind::ApproveSession};
  static const char* const keys[] = {"A", "D", "S"};
  const std::string tool = card.toolName.empty() ? "tool" : card.toolName;
  for (std::size_t i = 0; i < 3 && i < row.labels.size(); ++i) {
    A11yControl c;
    c.id = ids[i] + card.toolCallId;
    c.name = i == 0 ? "Approve " + tool : i == 1 ? "Deny " + tool : "Approve " + tool + " for session";
    c.shortcut = keys[i];
    c.intent = UiIntent{kinds[i], card.toolCallId, {}};
    c.rect = Rect{content.x + row.itemPos[i].x, content.y + row.y + row.itemPos[i].y, row.itemSize[i].x,
                  row.itemSize[i].y};
    if (!ImGui::IsRectVisible(ImVec2(c.rect.x, c.rect.y), ImVec2(c.rect.x + c.rect.w, c.rect.y + c.rect.h))) continue;
    reportControl(std::move(c));
  }
}

}  // namespace

std::string approveControlId(const std::string& toolCallId) { return "approve:" + toolCallId; }

std::string approvalOutcome(const core::ApprovalCard& card) {
  switch (card.status) {
    case ApprovalStatus::Approved: return card.sessionApprove ? "Approved for session" : "Approved";
    case ApprovalStatus::Denied: return "Denied";
    case ApprovalStatus::Pending:
      return card.responseSent ? "Waiting for the gateway\xE2\x80\xA6" : "";
  }
  return "";
}

CardLayout layoutApproval(const core::ApprovalCard& card, const ViewContext& ctx, float listWidth) {
  const float width = std::max(140.0f, listWidth * 0.88f);
  CardBuilder b(ctx, width - 2 * kCardPad);
  b.addCustom(kHeader, ctx.sansMetrics.lineHeight + 4.0f);
  if (!(card.args.is_null() || (card.args.is_object() && card.args.empty()))) {
    b.addCode(displayJson(card.args, kMaxArgsBytes), "arguments");
  }
  if (isPendingForUser(card)) {
    b.addButtons(buttonLabels());
  } else {
    ImU32 Palette::*color = card.status == ApprovalStatus::Approved ? &Palette::green
                                  : card.status == ApprovalStatus::Denied ? &Palette::red
                                                                          : &Palette::textMuted;
    b.addText(approvalOutcome(card), color);
  }
  return b.finish(kCardPad, kCardPad, width);
}

void drawApproval(const core::ApprovalCard& card, const CardLayout& layout, ImVec2 origin,
                  ViewContext& ctx) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(origin.x + layout.x, origin.y);
  const ImVec2 b(a.x + layout.width, a.y + layout.height);
  const bool pending = card.status == ApprovalStatus::Pending;
  dl->AddRectFilled(a, b, p.cardBackground, kCardRounding);
  dl->AddRect(a, b, pending ? p.amber : p.cardBorder, kCardRounding, 0, pending ? 2.0f : 1.0f);
  const ImVec2 content(a.x + layout.padX, a.y + layout.padY);
  const float innerW = layout.width - 2 * layout.padX;
  int index = 0;
  for (const Row& row : layout.rows) {
    const ImVec2 rowPos(content.x, content.y + row.y);
    if (row.kind == RowKind::Custom && row.tag == kHeader) {
      // Risk badge on the right, "Approve <tool>?" on the left.
      std::string risk = card.risk.empty() ? "" : card.risk + " risk";
      float badgeW = 0;
      if (!risk.empty()) {
        const ImU32 fg = card.risk == "high" ? p.red : card.risk == "medium" ? p.amber : p.green;
        const ImU32 bg = card.risk == "high"     ? p.pillRedBg
                         : card.risk == "medium" ? p.pillAmberBg
                                                 : p.pillGreenBg;
        badgeW = textWidth(risk, ctx.sansMetrics) * 0.9f + 16.0f;
        const ImVec2 ba(rowPos.x + innerW - badgeW, rowPos.y);
        const ImVec2 bb(ba.x + badgeW, rowPos.y + row.h);
        dl->AddRectFilled(ba, bb, bg, row.h * 0.5f);
        dl->AddText(ctx.sans, ctx.sansSize * 0.9f,
                    ImVec2(ba.x + 8.0f, ba.y + (row.h - ctx.sansSize * 0.9f) * 0.5f), fg, risk.c_str());
      }
      const std::string title = "Approve tool: " + (card.toolName.empty() ? "tool" : card.toolName);
      drawEllipsized(dl, ctx.sans, ctx.sansSize, ctx.sansMetrics,
                     ImVec2(rowPos.x, rowPos.y + (row.h - ctx.sansSize) * 0.5f), p.text, title,
                     std::max(10.0f, innerW - badgeW - 8.0f));
    } else if (row.kind == RowKind::Code) {
      drawCodeRow(row, content, innerW, ctx, "approval:" + card.toolCallId + ":" + std::to_string(index));
    } else if (row.kind == RowKind::Buttons) {
      const int clicked = drawButtonsRow(row, content, ctx, "approval:" + card.toolCallId,
                                         [](int i) { return i == 1 ? 2 : i == 2 ? 1 : 0; });
      reportApprovalButtons(card, row, content);
      if (clicked == 0) ctx.emit(UiIntent::Kind::Approve, card.toolCallId);
      if (clicked == 1) ctx.emit(UiIntent::Kind::Deny, card.toolCallId);
      if (clicked == 2) ctx.emit(UiIntent::Kind::ApproveSession, card.toolCallId);
    } else if (row.kind == RowKind::Text) {
      drawTextRow(row, content, ctx);
    }
    ++index;
  }
}

}  // namespace chat::ui
