// The "Thinking" block of a reply: the model's reasoning (chat.stream.reasoning), shown above
// the reply's text inside its bubble. Collapsed to one header line by default ("Thinking…"
// while the reasoning grows, "Thought" once the answer started); a click, or Enter / Space on
// the focused header, opens it to show the reasoning as muted text (ToggleThinking intent; the
// open state is the message's reasoningOpen, so a layout keyed by its revision follows it).
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "ui/card_layout.h"

namespace chat::ui {

// The Custom row tag of the header line (card_layout.h).
constexpr int kThinkingHeaderTag = 0x5448;

// The header's words: "Thinking…" while the reasoning streams, "Thought" after.
std::string thinkingLabel(const core::Message& m);

// Adds the block's rows at the top of a reply's card: nothing when `m` has no reasoning; the
// header line; and, when open, the reasoning as muted text. Used by every layout of a message
// (full and streaming), so both give the same rows.
void addThinkingRows(CardBuilder& b, const core::Message* m, const ViewContext& ctx);

// Draws the header row (kThinkingHeaderTag) at the card's content origin. Emits
// ToggleThinking (target = the reply's requestId) when it is clicked or activated by keyboard,
// and keeps frames coming while the reasoning streams (its dots move).
void drawThinkingHeader(const Row& row, ImVec2 origin, float innerWidth, const core::Message& m,
                        ViewContext& ctx, const std::string& id);

}  // namespace chat::ui
