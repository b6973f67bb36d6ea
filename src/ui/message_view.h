// One message of the transcript as a bubble: user (right, accent), assistant (left), system
// notices (centred, muted) and errors (set apart in red). Fenced code blocks become monospace
// panels with a Copy button; the streaming reply ends in a blinking caret; the line under a
// bubble says "sending…", "failed", "stopped", or the reply's model, tokens and cost.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/chat/chat_state.h"
#include "ui/card_layout.h"

namespace chat::ui {

struct MessageModel {
  const core::Message* message = nullptr;  // nullptr: the reply being streamed, no message yet
  std::string_view text;                   // content, or the streamed text so far
  bool streaming = false;
  std::string_view model;                  // streaming replies: the model named at stream start
};

CardLayout layoutMessage(const MessageModel& m, const ViewContext& ctx, float listWidth);

// layoutMessage in parts, for a layout built in steps (streaming_layout.h):
// the width inside the bubble of a message of `role` in a list `listWidth` wide,
float bubbleInnerWidth(core::Role role, float listWidth);
// the rows of `text` (Markdown for the agent's messages) added to `b` (`earlierLast`, if set,
// gives the row the last block replaces, whose wrapped lines may be reused: code or text),
void addMessageBlocks(CardBuilder& b, std::string_view text, core::Role role,
                      const std::function<Row*(bool code)>& earlierLast = nullptr);
// and the bubble finished around the rows in `b` (note, width, position).
CardLayout finishMessageLayout(const MessageModel& m, CardBuilder& b, float listWidth);

// Draws at the entry's top-left corner `origin`. `id` is unique per entry (widget ids, rects).
void drawMessage(const MessageModel& m, const CardLayout& layout, ImVec2 origin, float listWidth,
                 ViewContext& ctx, const std::string& id);

// The note under a message (exposed for tests): "" when there is none.
std::string messageNote(const MessageModel& m);

}  // namespace chat::ui
