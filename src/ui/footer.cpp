#include "ui/footer.h"

#include <algorithm>

#include "ui/card_layout.h"
#include "ui/format.h"

namespace chat::ui {

float footerHeight(const ViewContext& ctx) { return ctx.sansMetrics.lineHeight + 10.0f; }

namespace {

// The session's cost: "$0.0123", "cost unknown" when no reply had a price, and "$0.0123 +
// unknown" when some had none (their cost is not in the sum).
std::string costText(const core::SessionState* session) {
  if (!session || session->unpricedReplies == 0) return formatCost(session ? session->totalCost.totalCost : 0.0);
  const bool anyPriced = session->totalCost.totalCost > 0;
  return anyPriced ? formatCost(session->totalCost.totalCost) + " + unknown" : "cost unknown";
}

}  // namespace

std::string usageText(const core::SessionState* session) {
  proto::Usage u;
  if (session) u = session->totalUsage;
  return "Tokens " + formatCount(u.inputTokens) + " in \xC2\xB7 " + formatCount(u.outputTokens) +
         " out \xC2\xB7 " + formatCount(u.totalTokens) + " total \xC2\xB7 " + costText(session);
}

std::string shortUsageText(const core::SessionState* session) {
  const int64_t total = session ? session->totalUsage.totalTokens : 0;
  return formatCount(total) + " tokens \xC2\xB7 " + costText(session);
}

std::string footerError(const std::optional<core::ChatError>& error, bool signInShown) {
  if (!error || (signInShown && error->kind == core::ErrorKind::Unauthorized)) return std::string();
  return error->text();
}

void drawFooter(const core::ChatState& state, ViewContext& ctx, float width, bool signInShown) {
  const Palette& p = ctx.pal();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float h = footerHeight(ctx);
  dl->AddRectFilled(o, ImVec2(o.x + width, o.y + h), p.background);
  const float size = ctx.sansSize * 0.85f;
  const float y = o.y + (h - size) * 0.5f - 3.0f;
  std::string usage = usageText(state.current());
  if (textWidth(usage, ctx.sansMetrics) * 0.85f > width * 0.7f) usage = shortUsageText(state.current());
  const float usageW = std::min(textWidth(usage, ctx.sansMetrics) * 0.85f, width - 28.0f);
  drawEllipsized(dl, ctx.sans, size, ctx.sansMetrics, ImVec2(o.x + width - 14.0f - usageW, y),
                 p.textMuted, usage, usageW + 1.0f);
  const std::string lastError = footerError(state.error, signInShown);
  const bool error = !lastError.empty();
  const float leftW = width - usageW - 40.0f;
  if (!error && leftW < 120.0f) {  // no room for the hint: the usage matters more
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + h));
    return;
  }
  const std::string left = error ? lastError : "Enter to send \xC2\xB7 Shift+Enter for a new line";
  drawEllipsized(dl, ctx.sans, size, ctx.sansMetrics, ImVec2(o.x + 14.0f, y),
                 error ? p.red : p.textMuted, left, std::max(0.0f, leftW));
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + h));
}

}  // namespace chat::ui
