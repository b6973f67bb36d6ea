#include "ui/theme.h"

namespace chat::ui {

namespace {

constexpr ImU32 rgb(uint32_t hex, uint8_t alpha = 255) {
  return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, alpha);
}

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

const Palette kLight{
    /*background*/ rgb(0xFFFFFF), /*sidebar*/ rgb(0xF3F4F6), /*sidebarSelected*/ rgb(0xE0E7FF),
    /*header*/ rgb(0xFFFFFF), /*border*/ rgb(0xE5E7EB),
    /*text*/ rgb(0x111827), /*textMuted*/ rgb(0x6B7280), /*textOnAccent*/ rgb(0xFFFFFF),
    /*accent*/ rgb(0x4F46E5), /*accentHover*/ rgb(0x4338CA),
    /*userBubble*/ rgb(0x4F46E5), /*userText*/ rgb(0xFFFFFF),
    /*assistantBubble*/ rgb(0xF3F4F6), /*assistantText*/ rgb(0x111827),
    /*systemText*/ rgb(0x6B7280),
    /*errorBubble*/ rgb(0xFEF2F2), /*errorText*/ rgb(0xB91C1C),
    /*codeBackground*/ rgb(0x1F2937), /*codeText*/ rgb(0xF9FAFB), /*codeHeader*/ rgb(0x111827),
    /*cardBackground*/ rgb(0xFAFAFA), /*cardBorder*/ rgb(0xD1D5DB),
    /*composerBackground*/ rgb(0xFFFFFF), /*composerBorder*/ rgb(0xD1D5DB),
    /*composerFocused*/ rgb(0x4F46E5),
    /*green*/ rgb(0x15803D), /*amber*/ rgb(0xB45309), /*red*/ rgb(0xB91C1C),
    /*blue*/ rgb(0x1D4ED8), /*grey*/ rgb(0x6B7280),
    /*pillGreenBg*/ rgb(0xDCFCE7), /*pillAmberBg*/ rgb(0xFEF3C7), /*pillRedBg*/ rgb(0xFEE2E2),
};

const Palette kDark{
    /*background*/ rgb(0x111318), /*sidebar*/ rgb(0x181B22), /*sidebarSelected*/ rgb(0x2A2F45),
    /*header*/ rgb(0x111318), /*border*/ rgb(0x2A2E37),
    /*text*/ rgb(0xE5E7EB), /*textMuted*/ rgb(0x9CA3AF), /*textOnAccent*/ rgb(0xFFFFFF),
    /*accent*/ rgb(0x6366F1), /*accentHover*/ rgb(0x818CF8),
    /*userBubble*/ rgb(0x4F46E5), /*userText*/ rgb(0xFFFFFF),
    /*assistantBubble*/ rgb(0x1F232B), /*assistantText*/ rgb(0xE5E7EB),
    /*systemText*/ rgb(0x9CA3AF),
    /*errorBubble*/ rgb(0x3B1518), /*errorText*/ rgb(0xFCA5A5),
    /*codeBackground*/ rgb(0x0B0D11), /*codeText*/ rgb(0xE5E7EB), /*codeHeader*/ rgb(0x05060A),
    /*cardBackground*/ rgb(0x181B22), /*cardBorder*/ rgb(0x343946),
    /*composerBackground*/ rgb(0x1A1D24), /*composerBorder*/ rgb(0x343946),
    /*composerFocused*/ rgb(0x818CF8),
    /*green*/ rgb(0x4ADE80), /*amber*/ rgb(0xFBBF24), /*red*/ rgb(0xF87171),
    /*blue*/ rgb(0x60A5FA), /*grey*/ rgb(0x9CA3AF),
    /*pillGreenBg*/ rgb(0x0F3A1F), /*pillAmberBg*/ rgb(0x4A2A05), /*pillRedBg*/ rgb(0x4C1414),
};

}  // namespace

const Palette& paletteFor(Theme theme) { return theme == Theme::Dark ? kDark : kLight; }

void applyTheme(Theme theme, ImGuiStyle& style) {
  const Palette& p = paletteFor(theme);
  if (theme == Theme::Dark) {
    ImGui::StyleColorsDark(&style);
  } else {
    ImGui::StyleColorsLight(&style);
  }
  style.WindowRounding = 0;
  style.ChildRounding = 0;
  style.FrameRounding = 6;
  style.PopupRounding = 6;
  style.GrabRounding = 6;
  style.ScrollbarRounding = 6;
  style.ScrollbarSize = 10;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 0;
  style.FrameBorderSize = 0;
  style.WindowPadding = ImVec2(0, 0);
  style.FramePadding = ImVec2(10, 5);
  style.ItemSpacing = ImVec2(8, 6);
  style.SelectableTextAlign = ImVec2(0, 0.5f);

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = vec(p.background);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = vec(p.cardBackground);
  c[ImGuiCol_Border] = vec(p.border);
  c[ImGuiCol_Text] = vec(p.text);
  c[ImGuiCol_TextDisabled] = vec(p.textMuted);
  c[ImGuiCol_Button] = vec(p.accent);
  c[ImGuiCol_ButtonHovered] = vec(p.accentHover);
  c[ImGuiCol_ButtonActive] = vec(p.accentHover);
  c[ImGuiCol_Header] = vec(p.sidebarSelected);
  c[ImGuiCol_HeaderHovered] = vec(p.sidebarSelected);
  c[ImGuiCol_HeaderActive] = vec(p.sidebarSelected);
  c[ImGuiCol_FrameBg] = vec(p.composerBackground);
  c[ImGuiCol_NavHighlight] = vec(p.accent);
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
}

}  // namespace chat::ui
