// One message of the transcript as a bubble: user (right, accent), assistant (left), system
// notices (centred, muted) and errors (set apart in red). Fenced code blocks become monospace
// panels with a Copy button; the streaming reply ends in a blinking caret; the line under a
// bubble says "sending…", "failed", "stopped", or the reply's model, tokens and cost.
#pragma once

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

// Draws at the entry's top-left corner `origin`. `id` is unique per entry (widget ids, rects).
void drawMessage(const MessageModel& m, const CardLayout& layout, ImVec2 origin, float listWidth,
                 ViewContext& ctx, const std::string& id);

// The note under a message (exposed for tests): "" when there is none.
std::string messageNote(const MessageModel& m);

}  // namespace chat::ui
