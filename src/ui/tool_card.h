// A tool call as a card: name, status in colour (pending grey, running blue with a spinner,
// completed green, error red), elapsed time, collapsible arguments as pretty JSON, the live
// output in monospace, and the result or the error.
#pragma once

#include <cstdint>
#include <string>

#include "core/chat/chat_state.h"
#include "ui/card_layout.h"

namespace chat::ui {

// What the view remembers about a card: the state has no timestamps, so the view notes when it
// first saw the call pending/running and when it saw it finish (-1: not seen).
struct ToolCardUi {
  bool argsOpen = false;
  int64_t startedMs = -1;
  int64_t endedMs = -1;
};

const char* toolStatusLabel(core::ToolStatus s);  // "pending", "running", "completed", "error"

CardLayout layoutTool(const core::ToolCard& card, const ToolCardUi& ui, const ViewContext& ctx,
                      float listWidth);

// Returns true when the arguments toggle was clicked.
bool drawTool(const core::ToolCard& card, const ToolCardUi& ui, const CardLayout& layout,
              ImVec2 origin, ViewContext& ctx);

// Shared by tool and approval cards: a spinner (arc rotating with the clock).
void drawSpinner(ImDrawList* dl, ImVec2 center, float radius, ImU32 color, int64_t nowMs);

}  // namespace chat::ui
