#include "ui/a11y_tree.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace chat::ui {

const char* a11yRoleName(A11yRole role) {
  switch (role) {
    case A11yRole::Button: return "button";
    case A11yRole::Toggle: return "toggle";
    case A11yRole::Checkbox: return "checkbox";
    case A11yRole::Switch: return "switch";
    case A11yRole::Combobox: return "combobox";
    case A11yRole::Link: return "link";
    case A11yRole::Textbox: return "textbox";
    case A11yRole::List: return "list";
    case A11yRole::ListItem: return "listitem";
    case A11yRole::Status: return "status";
    case A11yRole::Group: return "group";
    case A11yRole::Heading: return "heading";
  }
  return "button";
}

namespace {

// Rects go over as whole hundredths: enough for CSS, and a scroll's float noise is not a change.
double hundredths(float v) { return static_cast<double>(static_cast<long long>(v * 100.0f + (v < 0 ? -0.5f : 0.5f))) / 100.0; }

nlohmann::json rectJson(const Rect& r) {
  return nlohmann::json::array({hundredths(r.x), hundredths(r.y), hundredths(r.w), hundredths(r.h)});
}

bool sameRect(const Rect& a, const Rect& b) {
  return hundredths(a.x) == hundredths(b.x) && hundredths(a.y) == hundredths(b.y) &&
         hundredths(a.w) == hundredths(b.w) && hundredths(a.h) == hundredths(b.h);
}

}  // namespace

std::string a11yDeltaJson(const A11yDelta& d, float displayWidth) {
  nlohmann::json j = nlohmann::json::object();
  j["w"] = displayWidth;
  nlohmann::json up = nlohmann::json::array();
  for (const A11yControl& c : d.upserts) {
    nlohmann::json o = {{"id", c.id}, {"role", a11yRoleName(c.role)}, {"name", c.name}, {"r", rectJson(c.rect)}};
    if (!c.parent.empty()) o["parent"] = c.parent;
    if (!c.shortcut.empty()) o["keys"] = c.shortcut;
    if (!c.domId.empty()) o["dom"] = c.domId;
    if (c.state.checked >= 0) o["checked"] = c.state.checked == 1;
    if (c.state.expanded >= 0) o["expanded"] = c.state.expanded == 1;
    if (c.state.disabled) o["disabled"] = true;
    if (c.state.selected) o["selected"] = true;
    if (c.posInSet > 0 && c.setSize > 0) {
      o["pos"] = c.posInSet;
      o["size"] = c.setSize;
    }
    up.push_back(std::move(o));
  }
  j["up"] = std::move(up);
  nlohmann::json mv = nlohmann::json::array();
  for (const auto& [id, r] : d.moves) {
    nlohmann::json m = rectJson(r);
    m.insert(m.begin(), id);
    mv.push_back(std::move(m));
  }
  j["mv"] = std::move(mv);
  j["rm"] = d.removed;
  if (!d.order.empty()) j["order"] = d.order;
  // Names come from message text: bytes that are not UTF-8 become U+FFFD instead of throwing.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void A11yTree::add(A11yControl c) {
  if (c.id.empty()) return;
  if (frameIndex_.count(c.id) != 0) {
    const std::string base = c.id;
    for (int n = 2;; ++n) {
      c.id = base + "#" + std::to_string(n);
      if (frameIndex_.count(c.id) == 0) break;
    }
  }
  frameIndex_.emplace(c.id, frame_.size());
  frame_.push_back(std::move(c));
}

A11yDelta A11yTree::finishFrame() {
  A11yDelta d;
  bool sameOrder = frame_.size() == sent_.size();
  for (std::size_t i = 0; i < frame_.size(); ++i) {
    const A11yControl& c = frame_[i];
    if (sameOrder && sent_[i].id != c.id) sameOrder = false;
    auto it = sentIndex_.find(c.id);
    if (it == sentIndex_.end()) {
      d.upserts.push_back(c);
      continue;
    }
    const A11yControl& old = sent_[it->second];
    if (!c.sameLook(old)) {
      d.upserts.push_back(c);
    } else if (!sameRect(c.rect, old.rect)) {
      d.moves.emplace_back(c.id, c.rect);
    }
  }
  for (const A11yControl& old : sent_) {
    if (frameIndex_.count(old.id) == 0) d.removed.push_back(old.id);
  }
  if (!sameOrder) {
    d.order.reserve(frame_.size());
    for (const A11yControl& c : frame_) d.order.push_back(c.id);
  }
  if (!focused_.empty() && frameIndex_.count(focused_) == 0) focused_.clear();

  sent_.swap(frame_);
  sentIndex_.swap(frameIndex_);
  frame_.clear();
  frameIndex_.clear();
  pending_.clear();  // activations no view took: their control is gone
  stats_.controls = sent_.size();
  if (!d.empty()) ++stats_.deltas;
  stats_.upserts += d.upserts.size();
  stats_.moves += d.moves.size();
  return d;
}

const A11yControl* A11yTree::find(const std::string& id) const {
  auto it = sentIndex_.find(id);
  return it == sentIndex_.end() ? nullptr : &sent_[it->second];
}

std::optional<UiIntent> A11yTree::activate(const std::string& id) {
  const A11yControl* c = find(id);
  if (c == nullptr || c->state.disabled) return std::nullopt;
  if (c->intent) return c->intent;
  if (std::find(pending_.begin(), pending_.end(), id) == pending_.end()) pending_.push_back(id);
  return std::nullopt;
}

bool A11yTree::takeActivation(const std::string& id) {
  auto it = std::find(pending_.begin(), pending_.end(), id);
  if (it == pending_.end()) return false;
  pending_.erase(it);
  return true;
}

}  // namespace chat::ui
