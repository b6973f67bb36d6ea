#include "ui/a11y_report.h"

#include <imgui.h>

namespace chat::ui {

namespace {

A11yHost* gHost = nullptr;
std::string gParent;  // A11yParent's

}  // namespace

void setA11yHost(A11yHost* host) { gHost = host; }

A11yTree& a11yTree() {
  static A11yTree* tree = new A11yTree();  // lives as long as the page
  return *tree;
}

A11yParent::A11yParent(std::string id) : previous_(std::move(gParent)) { gParent = std::move(id); }
A11yParent::~A11yParent() { gParent = std::move(previous_); }

bool reportControl(A11yControl control) {
  if (control.parent.empty() && control.id != gParent) control.parent = gParent;
  const bool viewActs = !control.intent.has_value();
  const std::string id = control.id;
  a11yTree().add(std::move(control));
  return viewActs && a11yTree().takeActivation(id);
}

bool reportItem(A11yControl c) {
  if (!ImGui::IsItemVisible()) return false;
  const ImVec2 a = ImGui::GetItemRectMin();
  const ImVec2 b = ImGui::GetItemRectMax();
  c.rect = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
  return reportControl(std::move(c));
}

bool reportItem(std::string id, A11yRole role, std::string name, std::optional<UiIntent> intent, A11yState state) {
  A11yControl c;
  c.id = std::move(id);
  c.role = role;
  c.name = std::move(name);
  c.intent = std::move(intent);
  c.state = state;
  return reportItem(std::move(c));
}

void reportArea(std::string id, A11yRole role, std::string name, const Rect& rect, std::string parent) {
  A11yControl c;
  c.id = std::move(id);
  c.role = role;
  c.name = std::move(name);
  c.rect = rect;
  c.parent = std::move(parent);
  reportControl(std::move(c));
}

void endA11yFrame(float displayWidth) {
  const A11yDelta d = a11yTree().finishFrame();
  if (gHost != nullptr && !d.empty()) gHost->apply(d, displayWidth);
}

}  // namespace chat::ui
