#include "page/live_announcer.h"

#include <type_traits>
#include <variant>

#include "page/composer_keys.h"
#include "page/snapshot.h"

namespace chat::web {
namespace {

std::string messageText(const core::Message& m) {
  switch (m.role) {
    case core::Role::User:
      if (m.status == core::MessageStatus::Failed)
        return "Not sent: " + m.content + (m.error.empty() ? "" : " (" + m.error + ")");
      return "You: " + m.content;
    case core::Role::Assistant:
      return "Assistant: " + m.content + (m.stopReason == "cancelled" ? " (stopped)" : "");
    case core::Role::Error: return "Error: " + m.content;
    case core::Role::System: break;
  }
  return m.content;
}

std::string toolText(const core::ToolCard& t) {
  if (t.status == core::ToolStatus::Error) return "Tool " + t.toolName + " failed: " + t.error;
  std::string result = t.result.is_string() ? t.result.get<std::string>()
                       : t.result.is_null() ? t.output
                                            : dumpJson(t.result);
  return "Tool " + t.toolName + " finished" + (result.empty() ? "." : ": " + result);
}

}  // namespace

LiveAnnouncer::LiveAnnouncer(std::size_t maxPerUpdate, std::size_t maxChars)
    : maxPerUpdate_(maxPerUpdate == 0 ? 1 : maxPerUpdate), maxChars_(maxChars < 16 ? 16 : maxChars) {}

std::string LiveAnnouncer::clip(const std::string& s) const {
  if (s.size() <= maxChars_) return s;
  std::size_t cut = maxChars_;
  // Do not cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

void LiveAnnouncer::push(What what, std::size_t index) {
  pending_.push_back(Item{what, index});
  if (pending_.size() > maxPerUpdate_) pending_.pop_front();
}

void LiveAnnouncer::note(const core::ChatState& state, const core::Effect& effect) {
  if (state.currentSessionId != sessionId_) {
    // Another session became current: it settles on its own first take().
    sessionId_ = state.currentSessionId;
    settled_ = false;
    pending_.clear();
    approvalsAsked_.clear();
  }
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::MessageCompleted> ||
                      std::is_same_v<T, core::MessageFailed>) {
          if (e.sessionId == sessionId_) push(What::Message, e.index);
        } else if constexpr (std::is_same_v<T, core::ToolFinished>) {
          if (e.sessionId == sessionId_) push(What::Tool, e.index);
        } else if constexpr (std::is_same_v<T, core::ApprovalRequested>) {
          const core::SessionState* s = state.session(e.sessionId);
          if (e.sessionId != sessionId_ || s == nullptr || e.index >= s->approvals.size()) return;
          const core::ApprovalCard& a = s->approvals[e.index];
          if (approvalsAsked_.insert(a.toolCallId).second && a.status == core::ApprovalStatus::Pending) {
            push(What::ApprovalAsked, e.index);
          }
        } else if constexpr (std::is_same_v<T, core::ApprovalResolved>) {
          if (e.sessionId == sessionId_) push(What::ApprovalResolved, e.index);
        }
      },
      effect);
}

std::string LiveAnnouncer::text(const core::SessionState& s, const Item& item) const {
  switch (item.what) {
    case What::Message:
      return item.index < s.messages.size() ? messageText(s.messages[item.index]) : std::string();
    case What::Tool:
      return item.index < s.tools.size() ? toolText(s.tools[item.index]) : std::string();
    case What::ApprovalAsked: {
      if (item.index >= s.approvals.size()) return std::string();
      const core::ApprovalCard& a = s.approvals[item.index];
      const std::string risk = a.risk.empty() ? "" : " (" + a.risk + " risk)";
      // The shortcut that reaches it (page/composer_keys.h), so a screen-reader user can answer
      // without searching the transcript.
      return "Approval needed: tool " + a.toolName + risk + " wants to run. " +
             "Press " + kFocusApprovalKeys + " to answer it, then A to approve, D to deny or S to approve for the session.";
    }
    case What::ApprovalResolved: {
      if (item.index >= s.approvals.size()) return std::string();
      const core::ApprovalCard& a = s.approvals[item.index];
      return std::string(a.status == core::ApprovalStatus::Approved ? "Approved: " : "Denied: ") +
             a.toolName;
    }
  }
  return std::string();
}

std::vector<Announcement> LiveAnnouncer::take(const core::ChatState& state, bool historyLoading) {
  if (state.currentSessionId != sessionId_) {
    sessionId_ = state.currentSessionId;
    settled_ = false;
    approvalsAsked_.clear();
  }
  std::vector<Announcement> out;
  if (!settled_) {
    // The session just became current, or its first history load is still arriving: what
    // it received so far is history.
    settled_ = !historyLoading;
    pending_.clear();
    return out;
  }
  const core::SessionState* s = state.current();
  if (s != nullptr) {
    for (const Item& item : pending_) {
      std::string t = text(*s, item);
      if (!t.empty()) out.push_back({clip(t), item.what == What::ApprovalAsked});
    }
  }
  pending_.clear();
  return out;
}

}  // namespace chat::web
