#include "ui/links.h"

#include <cmath>

#include "ui/markdown_prose.h"

namespace chat::ui {

namespace {

LinkHost* gHost = nullptr;
bool gHovered = false;      // this frame
bool gPointerShown = false; // what the host was last told
std::string gLastOpened;
int gRefused = 0;
std::vector<DrawnLink> gDrawing, gDrawn;  // this frame's links, the last finished frame's

bool inside(ImVec2 p, ImVec2 a, ImVec2 b) { return p.x >= a.x && p.x < b.x && p.y >= a.y && p.y < b.y; }

}  // namespace

void setLinkHost(LinkHost* host) { gHost = host; }

bool trackLink(ImVec2 min, ImVec2 max, const std::string& url) {
  if (gDrawing.size() < 256) gDrawing.push_back(DrawnLink{url, min, max});
  const ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) || !inside(io.MousePos, min, max)) {
    return false;
  }
  gHovered = true;
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && inside(io.MouseClickedPos[0], min, max)) {
    const ImVec2 d(io.MousePos.x - io.MouseClickedPos[0].x, io.MousePos.y - io.MouseClickedPos[0].y);
    if (std::sqrt(d.x * d.x + d.y * d.y) < 6.0f) {  // a click, not the end of a drag or a swipe
      if (!isOpenableUrl(url)) {
        ++gRefused;
      } else {
        gLastOpened = url;
        if (gHost) gHost->open(url);
      }
    }
  }
  return true;
}

void endLinkFrame() {
  if (gHovered != gPointerShown && gHost) gHost->setPointer(gHovered);
  gPointerShown = gHovered;
  gHovered = false;
  gDrawn.swap(gDrawing);
  gDrawing.clear();
}

const std::string& lastOpenedLink() { return gLastOpened; }
int refusedLinks() { return gRefused; }
const std::vector<DrawnLink>& linksDrawnLastFrame() { return gDrawn; }

}  // namespace chat::ui
