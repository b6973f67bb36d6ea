// The browser's text engine behind ui::TextRunEngine (glyph_fallback.h): widths and drawn runs
// come from web/library_text.js (Canvas2D into a WebGL texture the ImGui backend samples).
#pragma once

namespace chat::web {

// Registers the engine and the link host (links.h: opening links, the pointer cursor) with the
// views. Call once at start.
void installBrowserText();

}  // namespace chat::web
