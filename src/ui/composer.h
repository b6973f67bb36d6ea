// The composer area: ImGui draws only its frame and the Send / Stop button; the text area is a
// DOM textarea the app lays over `textRect` (paste, IME and virtual keyboards work there).
// Send emits Send with the composer's text; Stop (while a reply streams) emits Cancel.
#pragma once

#include <string>

#include "ui/chat_view.h"
#include "ui/view_context.h"

namespace chat::ui {

// Height of the composer area for this text at this width: grows from 1 to 6 lines.
float composerHeight(const std::string& text, const ViewContext& ctx, float width);

// True when `text` has something besides whitespace.
bool hasSendableText(const std::string& text);

// Draws at the cursor; returns the text area's rect (display units).
Rect drawComposer(const FrameInput& in, bool streaming, ViewContext& ctx, float width, float height);

}  // namespace chat::ui
