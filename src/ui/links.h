// Links in drawn text: the views find the link under the mouse (hover: underline and a pointer
// cursor; a click that did not drag: open it) and hand the URL to the host, which opens only
// http:, https: and mailto: URLs (isOpenableUrl), in a new tab without opener or referrer. The
// host is the browser (src/web/browser_links.cpp); native builds have none.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

namespace chat::ui {

class LinkHost {
 public:
  virtual ~LinkHost() = default;
  virtual void open(const std::string& url) = 0;
  virtual void setPointer(bool pointer) = 0;  // the pointing-hand cursor over a link
};

void setLinkHost(LinkHost* host);

// Called for every link piece drawn this frame; true when the mouse is over it. Opens the link
// when it was clicked (pressed and released on it without dragging).
bool trackLink(ImVec2 min, ImVec2 max, const std::string& url);

// Once per frame after drawing: sets the cursor from whether any link was hovered.
void endLinkFrame();

// For tests and the debug API: the URL last handed to the host, how many were refused, and
// the links drawn in the last frame with their rectangles (display units).
const std::string& lastOpenedLink();
int refusedLinks();
struct DrawnLink {
  std::string url;
  ImVec2 min, max;
};
const std::vector<DrawnLink>& linksDrawnLastFrame();

}  // namespace chat::ui
