// Colours and ImGui style of the two themes. The palette names roles (bubble, code panel, status
// colours), so views never hard-code a colour and both themes keep readable contrast.
#pragma once

#include <imgui.h>

#include "ui/chat_view.h"

namespace chat::ui {

struct Palette {
  ImU32 background, sidebar, sidebarSelected, header, border;
  ImU32 text, textMuted, textOnAccent;
  ImU32 accent, accentHover;
  ImU32 userBubble, userText;
  ImU32 assistantBubble, assistantText;
  ImU32 systemText;
  ImU32 errorBubble, errorText;
  ImU32 codeBackground, codeText, codeHeader;
  ImU32 cardBackground, cardBorder;
  ImU32 composerBackground, composerBorder, composerFocused;
  ImU32 green, amber, red, blue, grey;
  ImU32 pillGreenBg, pillAmberBg, pillRedBg;
};

const Palette& paletteFor(Theme theme);

// Applies the theme to ImGui's style (colours, rounding, padding). Call outside a frame or
// before NewFrame; cheap.
void applyTheme(Theme theme, ImGuiStyle& style);

}  // namespace chat::ui
