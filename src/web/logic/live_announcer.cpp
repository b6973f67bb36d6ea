#include "web/logic/live_announcer.h"

#include "web/logic/snapshot.h"

namespace chat::web {
namespace {

// A reply is announced once, when complete; a user message once the gateway has it.
bool messageFinal(const core::Message& m) {
  return m.status != core::MessageStatus::Sending && m.status != core::MessageStatus::Streaming;
}

bool toolFinal(const core::ToolCard& t) {
  return t.status == core::ToolStatus::Completed || t.status == core::ToolStatus::Error;
}

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

void LiveAnnouncer::baseline(const core::SessionState* s) {
  messageCursor_ = 0;
  toolCursor_ = 0;
  toolsDone_.clear();
  approvalsAsked_.clear();
  approvalsResolved_.clear();
  if (!s) return;
  while (messageCursor_ < s->messages.size() && messageFinal(s->messages[messageCursor_]))
    ++messageCursor_;
  for (const auto& t : s->tools)
    if (toolFinal(t)) toolsDone_.insert(t.toolCallId);
  while (toolCursor_ < s->tools.size() && toolFinal(s->tools[toolCursor_])) ++toolCursor_;
  for (const auto& a : s->approvals) {
    approvalsAsked_.insert(a.toolCallId);
    if (a.status != core::ApprovalStatus::Pending) approvalsResolved_.insert(a.toolCallId);
  }
}

std::vector<Announcement> LiveAnnouncer::update(const core::ChatState& state, bool historyLoading) {
  const core::SessionState* s = state.current();
  if (!started_ || state.currentSessionId != sessionId_) {
    started_ = true;
    sessionId_ = state.currentSessionId;
    settled_ = false;
  }
  if (!settled_) {
    // The session just became current, or its first history load is still arriving.
    baseline(s);
    settled_ = !historyLoading;
    return {};
  }
  std::vector<Announcement> out;
  if (!s) return out;

  // Messages complete in order; a message still sending holds back the ones after it so the
  // log reads in transcript order. Only the newest maxPerUpdate are kept, so only those are
  // turned into text (a burst may hold thousands).
  if (messageCursor_ > s->messages.size()) messageCursor_ = s->messages.size();
  std::size_t end = messageCursor_;
  while (end < s->messages.size() && messageFinal(s->messages[end])) ++end;
  for (std::size_t i = end - messageCursor_ > maxPerUpdate_ ? end - maxPerUpdate_ : messageCursor_;
       i < end; ++i) {
    out.push_back({clip(messageText(s->messages[i])), false});
  }
  messageCursor_ = end;

  for (std::size_t i = toolCursor_; i < s->tools.size(); ++i) {
    const auto& t = s->tools[i];
    if (toolFinal(t) && toolsDone_.insert(t.toolCallId).second) out.push_back({clip(toolText(t)), false});
  }
  while (toolCursor_ < s->tools.size() && toolFinal(s->tools[toolCursor_])) ++toolCursor_;

  for (const auto& a : s->approvals) {
    if (approvalsAsked_.insert(a.toolCallId).second && a.status == core::ApprovalStatus::Pending) {
      std::string risk = a.risk.empty() ? "" : " (" + a.risk + " risk)";
      out.push_back({clip("Approval needed: tool " + a.toolName + risk + " wants to run. " +
                          "Approve or deny it in the chat."),
                     true});
    }
    if (a.status != core::ApprovalStatus::Pending && approvalsResolved_.insert(a.toolCallId).second) {
      out.push_back({std::string(a.status == core::ApprovalStatus::Approved ? "Approved: " : "Denied: ") +
                         a.toolName,
                     false});
    }
  }

  if (out.size() > maxPerUpdate_) out.erase(out.begin(), out.end() - static_cast<long>(maxPerUpdate_));
  return out;
}

}  // namespace chat::web
