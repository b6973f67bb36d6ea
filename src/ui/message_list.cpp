#include "ui/message_list.h"

#include <algorithm>

#include "ui/a11y_readout.h"
#include "ui/a11y_report.h"
#include "ui/approval_card.h"
#include "ui/message_view.h"

namespace chat::ui {

namespace {

constexpr float kTopPad = 14.0f;
constexpr float kBottomPad = 10.0f;
constexpr std::size_t kTailEntries = 4;  // always kept exact, so the bottom is right

float sideMargin(float width) { return width < 480.0f ? 10.0f : 20.0f; }

}  // namespace

void MessageList::reset(const std::string& sessionId) {
  sessionId_ = sessionId;
  slots_.clear();
  heights_.clear();
  toolUi_.clear();
  stick_ = true;
  pendingScrollAdjust_ = 0;
  firstVisible_ = lastVisible_ = 0;
}

MessageList::EntryRef MessageList::refOf(const core::SessionState& s, std::size_t i) const {
  if (i >= s.timeline.size()) return EntryRef{3, 0};
  const core::Entry& e = s.timeline[i];
  switch (e.kind) {
    case core::EntryKind::Message: return EntryRef{0, e.index};
    case core::EntryKind::Tool: return EntryRef{1, e.index};
    case core::EntryKind::Approval: return EntryRef{2, e.index};
  }
  return EntryRef{0, e.index};
}

uint64_t MessageList::versionOf(const core::SessionState& s, const EntryRef& ref) {
  // The reducer bumps an entry's revision whenever what it draws changes (effects.h).
  switch (ref.kind) {
    case 0:
      if (ref.index >= s.messages.size()) return 0;
      return s.messages[ref.index].revision * 2 + (ref.index == streamingMessage_ ? 1 : 0);
    case 1: {
      if (ref.index >= s.tools.size()) return 0;
      const core::ToolCard& t = s.tools[ref.index];
      auto it = toolUi_.find(t.toolCallId);
      return t.revision * 2 + (it != toolUi_.end() && it->second.argsOpen ? 1 : 0);
    }
    case 2: return ref.index < s.approvals.size() ? s.approvals[ref.index].revision : 0;
    default: return s.streaming ? 1 + s.streaming->model.size() : 0;
  }
}

float MessageList::estimate(const core::SessionState& s, const EntryRef& ref,
                            const ViewContext& ctx) const {
  const float line = ctx.sansMetrics.lineHeight;
  switch (ref.kind) {
    case 0: {
      if (ref.index >= s.messages.size()) return 0;
      const core::Message& m = s.messages[ref.index];
      const float inner = std::max(40.0f, width_ * 0.8f - 24.0f);
      const float perLine = std::max(1.0f, inner / (ctx.sansSize * 0.5f));
      const float lines = 1.0f + static_cast<float>(m.content.size()) / perLine;
      const float note = m.role == core::Role::Assistant ? line : 0.0f;
      return static_cast<float>(static_cast<int>(lines)) * line + 18.0f + note + kEntrySpacing;
    }
    case 1: return 2 * line + 34.0f + kEntrySpacing;
    case 2: return 4 * line + 40.0f + kEntrySpacing;
    default: return line + 18.0f + kEntrySpacing;
  }
}

void MessageList::sync(const core::SessionState& s, const ViewContext& ctx) {
  streamingMessage_ = s.streamingReplyIndex();
  const bool pendingReply = s.streaming && streamingMessage_ == SIZE_MAX;
  const std::size_t n = s.timeline.size() + (pendingReply ? 1 : 0);
  if (n < slots_.size()) {
    // The history was replaced (e.g. reloaded): nothing cached can be trusted.
    const std::string id = sessionId_;
    const bool stick = stick_;
    reset(id);
    stick_ = stick;
  }
  const std::size_t old = slots_.size();
  slots_.resize(n);
  heights_.resize(n, 0.0f);
  for (std::size_t i = old; i < n; ++i) {
    slots_[i].ref = refOf(s, i);
    heights_.set(i, estimate(s, slots_[i].ref, ctx));
  }
}

void MessageList::noteToolTimes(const core::SessionState& s, const EntryRef& ref, int64_t nowMs) {
  if (ref.kind != 1 || ref.index >= s.tools.size()) return;
  const core::ToolCard& t = s.tools[ref.index];
  ToolCardUi& ui = toolUi_[t.toolCallId];
  const bool active = t.status == core::ToolStatus::Pending || t.status == core::ToolStatus::Running;
  if (active && ui.startedMs < 0) ui.startedMs = nowMs;
  if (!active && ui.startedMs >= 0 && ui.endedMs < 0) ui.endedMs = nowMs;
}

float MessageList::ensureLaidOut(const core::SessionState& s, std::size_t i, ViewContext& ctx) {
  Slot& slot = slots_[i];
  const EntryRef ref = refOf(s, i);
  noteToolTimes(s, ref, ctx.nowMs);
  const uint64_t version = versionOf(s, ref);
  if (slot.layout && !(slot.ref != ref) && slot.version == version && slot.width == width_ &&
      slot.fontGeneration == ctx.fontGeneration) {
    return 0.0f;
  }
  ++layoutCalls_;
  slot.ref = ref;
  slot.version = version;
  slot.width = width_;
  slot.fontGeneration = ctx.fontGeneration;
  CardLayout layout;
  switch (ref.kind) {
    case 0:
      if (ref.index < s.messages.size()) {
        const core::Message& m = s.messages[ref.index];
        const MessageModel model{&m, m.content, ref.index == streamingMessage_, {}};
        if (model.streaming && m.role == core::Role::Assistant) {
          // The reply streaming now: its layout grows with each delta (streaming_layout.h).
          if (slot.layout) layout = std::move(*slot.layout);
          streaming_.update(model, ctx, width_, layout);
        } else {
          layout = layoutMessage(model, ctx, width_);
        }
      }
      break;
    case 1:
      if (ref.index < s.tools.size()) {
        layout = layoutTool(s.tools[ref.index], toolUi_[s.tools[ref.index].toolCallId], ctx, width_);
      }
      break;
    case 2:
      if (ref.index < s.approvals.size()) layout = layoutApproval(s.approvals[ref.index], ctx, width_);
      break;
    default:
      if (s.streaming) {
        layout = layoutMessage(MessageModel{nullptr, {}, true, s.streaming->model}, ctx, width_);
      }
      break;
  }
  slot.layout = std::make_unique<CardLayout>(std::move(layout));
  const float before = heights_.height(i);
  heights_.set(i, slot.layout->entryHeight);
  return slot.layout->entryHeight - before;
}

void MessageList::drawEntry(const core::SessionState& s, std::size_t i, ImVec2 origin,
                            ViewContext& ctx) {
  const Slot& slot = slots_[i];
  if (!slot.layout) return;
  const CardLayout& layout = *slot.layout;
  const EntryRef& ref = slot.ref;
  const std::string id = std::to_string(i);
  switch (ref.kind) {
    case 0: {
      if (ref.index >= s.messages.size()) return;
      const core::Message& m = s.messages[ref.index];
      drawMessage(MessageModel{&m, m.content, ref.index == streamingMessage_, {}}, layout, origin,
                  width_, ctx, id);
      break;
    }
    case 1: {
      if (ref.index >= s.tools.size()) return;
      const core::ToolCard& t = s.tools[ref.index];
      ToolCardUi& ui = toolUi_[t.toolCallId];
      if (drawTool(t, ui, layout, origin, ctx)) {
        ui.argsOpen = !ui.argsOpen;
        wantsFrame_ = true;  // the card changes height next frame
      }
      break;
    }
    case 2:
      if (ref.index < s.approvals.size()) drawApproval(s.approvals[ref.index], layout, origin, ctx);
      break;
    default:
      if (s.streaming) {
        drawMessage(MessageModel{nullptr, {}, true, s.streaming->model}, layout, origin, width_,
                    ctx, id);
      }
      break;
  }
}

void MessageList::reveal(const std::string& messageId, uint64_t serial) {
  if (serial == revealSerial_) return;
  revealSerial_ = serial;
  revealId_ = messageId;
}

void MessageList::reportEntry(const core::SessionState& s, std::size_t i, ImVec2 origin, float height) const {
  A11yControl c;
  c.id = "entry:" + std::to_string(i);
  c.role = A11yRole::ListItem;
  c.parent = "messages";
  c.name = entryReadout(s, slots_[i].ref.kind, slots_[i].ref.index);
  c.rect = Rect{origin.x, origin.y, width_, height};
  c.posInSet = static_cast<int>(i) + 1;
  c.setSize = static_cast<int>(slots_.size());
  reportControl(std::move(c));
}

void MessageList::draw(const core::SessionState* session, ViewContext& ctx, ImVec2 size) {
  wantsFrame_ = false;
  const std::string id = session ? session->sessionId : std::string();
  if (!haveSession_ || id != sessionId_) {
    reset(id);
    haveSession_ = true;
  }
  const float style = ImGui::GetStyle().ScrollbarSize;
  const float margin = sideMargin(size.x);
  width_ = std::max(60.0f, size.x - 2 * margin - style);

  if (session) {
    sync(*session, ctx);
    // The tail is measured before the content height is known, so the bottom is right. While
    // the list follows the bottom, the tail is everything on screen: measured here, the frame
    // that shows new entries (e.g. a page of history) is already settled and needs no second
    // frame to correct estimated heights (a frame is the page's most expensive step).
    double tailHeight = 0;
    std::size_t tailEntries = 0;
    for (std::size_t i = slots_.size(); i-- > 0;) {
      ensureLaidOut(*session, i, ctx);
      tailHeight += heights_.height(i);
      if (++tailEntries >= kTailEntries && (!stick_ || tailHeight >= size.y)) break;
    }
  } else {
    reset(id);
  }
  const std::size_t n = slots_.size();
  const double before = heights_.total();
  const float contentH = static_cast<float>(kTopPad + before + kBottomPad);

  // Wheel up over the list means "let me read": stop following the bottom.
  const ImGuiIO& io = ImGui::GetIO();
  if (io.MouseWheel > 0.0f && ImGui::IsMouseHoveringRect(lastMin_, lastMax_, false)) stick_ = false;
  if (jump_) {
    stick_ = true;
    jump_ = false;
  }
  // PageUp / PageDown / Ctrl+Home / Ctrl+End from the composer.
  const float page = std::max(40.0f, (viewH_ > 0 ? viewH_ : size.y) * 0.9f);
  float keyScrollTo = -1.0f;
  switch (scrollRequest_) {
    case TranscriptScroll::Bottom: stick_ = true; break;
    case TranscriptScroll::Top: stick_ = false; keyScrollTo = 0.0f; break;
    case TranscriptScroll::PageUp: stick_ = false; keyScrollTo = std::max(0.0f, lastScrollY_ - page); break;
    case TranscriptScroll::PageDown:
      if (!stick_) keyScrollTo = lastScrollY_ + page;  // past the end: ImGui clamps, the list sticks again
      break;
    case TranscriptScroll::None: break;
  }
  if (scrollRequest_ != TranscriptScroll::None) wantsFrame_ = true;  // estimated heights settle
  scrollRequest_ = TranscriptScroll::None;
  // A search result's message, once its history has brought it: shown near the top.
  float revealAt = -1.0f;
  if (!revealId_.empty() && session) {
    for (std::size_t i = 0; i < session->timeline.size(); ++i) {
      const core::Entry& e = session->timeline[i];
      if (e.kind != core::EntryKind::Message || e.index >= session->messages.size() ||
          session->messages[e.index].id != revealId_) continue;
      revealAt = static_cast<float>(std::max(0.0, kTopPad + heights_.top(i) - 12.0));
      revealId_.clear();
      stick_ = false;
      wantsFrame_ = true;  // its neighbours are measured now: one more frame settles the place
      break;
    }
  }
  ImGui::SetNextWindowContentSize(ImVec2(0.0f, contentH));
  if (revealAt >= 0.0f) {
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, revealAt));
  } else if (stick_) {
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, contentH));
  } else if (keyScrollTo >= 0.0f) {
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, keyScrollTo));
  } else if (pendingScrollAdjust_ != 0.0f) {
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, std::max(0.0f, lastScrollY_ + pendingScrollAdjust_)));
  }
  pendingScrollAdjust_ = 0;

  ImGui::PushStyleColor(ImGuiCol_ChildBg, ctx.pal().background);
  // NavFlattened: Tab moves from the header into the cards (approval buttons) and on to the composer.
  ImGui::BeginChild("##messages", size, ImGuiChildFlags_None,
                    ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NavFlattened);
  const float scrollY = ImGui::GetScrollY();
  const float scrollMax = ImGui::GetScrollMaxY();
  // The scrollbar or keyboard moved us off the bottom / back to it.
  if (stick_ && scrollY < scrollMax - 1.0f) stick_ = false;
  if (!stick_ && scrollY >= scrollMax - 1.0f) stick_ = true;
  lastScrollY_ = scrollY;
  lastMin_ = ImGui::GetWindowPos();
  lastMax_ = ImVec2(lastMin_.x + size.x, lastMin_.y + size.y);
  const ImVec2 start = ImGui::GetCursorScreenPos();  // content origin, scroll applied
  const float viewH = ImGui::GetWindowHeight();
  viewH_ = viewH;
  // The transcript's twin: a list whose items are the entries on screen (a11y_report.h).
  reportArea("messages", A11yRole::List, "Messages", Rect{lastMin_.x, lastMin_.y, size.x, size.y});

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->ChannelsSplit(2);
  // The "Jump to latest" button is submitted first (so it wins the hover over the entries
  // under it) but drawn on top, in channel 1.
  if (!stick_ && scrollMax - scrollY > 4.0f) {
    dl->ChannelsSetCurrent(1);
    const char* label = "Jump to latest \xE2\x86\x93";
    const float w = textWidth(label, ctx.sansMetrics) + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::SetCursorScreenPos(ImVec2(lastMin_.x + (size.x - w) * 0.5f,
                                     lastMin_.y + viewH - ctx.sansSize - 28.0f));
    const bool clicked = accentButton(label, ctx);
    ctx.recordItem("jump-latest");
    if (clicked || reportItem("jump-latest", A11yRole::Button, "Jump to latest")) {
      jump_ = true;
      wantsFrame_ = true;
    }
  }
  dl->ChannelsSetCurrent(0);

  if (session && n > 0) {
    std::size_t i = heights_.entryAt(scrollY - kTopPad);
    firstVisible_ = i;
    double y = kTopPad + heights_.top(i);
    for (; i < n && y < scrollY + viewH; ++i) {
      const float delta = ensureLaidOut(*session, i, ctx);
      // An entry above the top edge changed height: keep what the user reads in place.
      if (delta != 0.0f && y < scrollY && !stick_) pendingScrollAdjust_ += delta;
      const ImVec2 at(start.x + margin, start.y + static_cast<float>(y));
      reportEntry(*session, i, at, static_cast<float>(heights_.height(i)));
      const A11yParent inEntry("entry:" + std::to_string(i));  // its buttons belong to it
      drawEntry(*session, i, at, ctx);
      y += heights_.height(i);
    }
    lastVisible_ = i;
  } else {
    firstVisible_ = lastVisible_ = 0;
    const char* hint = session ? "Say hello \xE2\x80\x94 your conversation starts here."
                               : "Start a new chat or pick one on the left.";
    const float w = textWidth(hint, ctx.sansMetrics);
    dl->AddText(ctx.sans, ctx.sansSize,
                ImVec2(lastMin_.x + std::max(8.0f, (size.x - w) * 0.5f), lastMin_.y + viewH * 0.4f),
                ctx.pal().textMuted, hint);
  }
  dl->ChannelsMerge();
  // Submit one item at the content's end: ImGui wants an item, not a bare cursor, to size it.
  ImGui::SetCursorScreenPos(ImVec2(start.x, start.y + contentH - 1.0f));
  ImGui::Dummy(ImVec2(1.0f, 1.0f));
  ImGui::EndChild();
  ImGui::PopStyleColor();

  // Heights measured this frame moved the bottom: one more frame settles the scroll position.
  if (heights_.total() != before || pendingScrollAdjust_ != 0.0f) wantsFrame_ = true;
}

}  // namespace chat::ui
