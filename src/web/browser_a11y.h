// The browser host of the accessible twin (src/ui/a11y_report.h): each frame's changes go to
// web/library_a11y.js as one JSON string, which lays DOM elements over the canvas.
#pragma once

namespace chat::web {

// Registers the host with the views. Call once at start.
void installBrowserA11y();

// Moves the keyboard focus to the twin `id`; false when it is not on the page.
bool focusA11yControl(const char* id);

}  // namespace chat::web
