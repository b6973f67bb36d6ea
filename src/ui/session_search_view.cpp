#include "ui/session_search_view.h"

#include <string>

#include "ui/a11y_report.h"
#include "ui/card_layout.h"

namespace chat::ui {

namespace {

void mutedLine(const Palette& p, const char* text) {
  ImGui::SetCursorPosX(6.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, p.textMuted);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

}  // namespace

bool drawSearchResults(const core::ChatState& state, const FrameInput& in, ViewContext& ctx) {
  const Palette& p = ctx.pal();
  const core::SessionSearch& search = state.sessionSearch;
  // Until the answer to what is typed now arrives, the results of the previous query stay
  // (dimmed by nothing: they are usually a superset while typing a longer word).
  if (search.query != in.searchText && search.results.empty()) {
    mutedLine(p, "Searching...");
    return false;
  }
  if (!search.error.empty()) {
    mutedLine(p, search.error.c_str());
    return false;
  }
  if (search.results.empty()) {
    mutedLine(p, search.pendingId.empty() ? "No chat matches" : "Searching...");
    return false;
  }
  bool picked = false;
  const float rowW = ImGui::GetContentRegionAvail().x;
  const float line = ctx.sansMetrics.lineHeight;
  for (std::size_t i = 0; i < search.results.size(); ++i) {
    const proto::SearchResult& r = search.results[i];
    const bool message = r.match == "message";
    const float rowH = (message ? 2 * line : line) + 12.0f;
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool current = r.sessionId == state.currentSessionId;
    const bool clicked = ImGui::Selectable("##result", false, 0, ImVec2(rowW, rowH));
    ctx.recordItem("result:" + std::to_string(i));
    const std::string title = r.title.empty() ? std::string("New chat") : r.title;
    // Its twin acts through the click's path (no intent): opening a result closes the drawer.
    if (reportItem("result:" + std::to_string(i), A11yRole::Button,
                   message ? "Open " + title + " at: " + r.snippet.value_or(std::string()) : "Open " + title) ||
        clicked) {
      ctx.emit(UiIntent::Kind::OpenSearchResult, r.sessionId, r.messageId.value_or(std::string()));
      picked = true;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(pos, ImVec2(pos.x + rowW, pos.y + rowH), true);
    drawEllipsized(dl, ctx.sans, ctx.sansSize, ctx.sansMetrics, ImVec2(pos.x + 8.0f, pos.y + 6.0f),
                   current ? p.accent : p.text, title + (r.archived ? "  (archived)" : ""), rowW - 16.0f);
    if (message) {
      const std::string who = r.role.value_or("") == "assistant" ? "Reply: " : "You: ";
      drawEllipsized(dl, ctx.sans, ctx.sansSize * 0.9f, ctx.sansMetrics,
                     ImVec2(pos.x + 8.0f, pos.y + 6.0f + line), p.textMuted,
                     who + r.snippet.value_or(std::string()), rowW - 16.0f);
    }
    dl->PopClipRect();
    ImGui::PopID();
  }
  return picked;
}

}  // namespace chat::ui
