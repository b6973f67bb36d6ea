#include "ui/a11y_readout.h"

#include <algorithm>

namespace chat::ui {

namespace {

const char* authorOf(core::Role role) {
  switch (role) {
    case core::Role::User: return "You";
    case core::Role::Assistant: return "Assistant";
    case core::Role::System: return "Notice";
    case core::Role::Error: return "Error";
  }
  return "Message";
}

const char* toolStatusName(core::ToolStatus s) {
  switch (s) {
    case core::ToolStatus::Pending: return "pending";
    case core::ToolStatus::Running: return "running";
    case core::ToolStatus::Completed: return "completed";
    case core::ToolStatus::Error: return "failed";
  }
  return "";
}

}  // namespace

std::string clipUtf8(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  std::size_t end = maxBytes;
  // Back to the first byte of a character (continuation bytes are 10xxxxxx).
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\xE2\x80\xA6";
}

std::string messageReadout(const core::Message& m) {
  std::string out = authorOf(m.role);
  out += ": ";
  // Cut before copying: a long reply is read every frame while it streams.
  out.append(m.content, 0, std::min(m.content.size(), kMaxReadoutBytes + 1));
  if (m.status == core::MessageStatus::Failed) out += m.error.empty() ? " (not sent)" : " (not sent: " + m.error + ")";
  return clipUtf8(out, kMaxReadoutBytes);
}

std::string toolReadout(const core::ToolCard& t) {
  std::string out = "Tool " + (t.toolName.empty() ? std::string("call") : t.toolName) + ", " + toolStatusName(t.status);
  if (t.status == core::ToolStatus::Error && !t.error.empty()) out += ": " + t.error;
  return clipUtf8(out, kMaxReadoutBytes);
}

std::string approvalReadout(const core::ApprovalCard& a) {
  std::string out = "Approval request: " + (a.toolName.empty() ? std::string("tool") : a.toolName);
  if (!a.risk.empty()) out += ", " + a.risk + " risk";
  switch (a.status) {
    case core::ApprovalStatus::Pending: out += a.responseSent ? ", answer sent" : ", waiting for your answer"; break;
    case core::ApprovalStatus::Approved: out += a.sessionApprove ? ", approved for session" : ", approved"; break;
    case core::ApprovalStatus::Denied: out += ", denied"; break;
  }
  return clipUtf8(out, kMaxReadoutBytes);
}

std::string entryReadout(const core::SessionState& s, int kind, std::size_t index) {
  switch (kind) {
    case 0: return index < s.messages.size() ? messageReadout(s.messages[index]) : std::string();
    case 1: return index < s.tools.size() ? toolReadout(s.tools[index]) : std::string();
    case 2: return index < s.approvals.size() ? approvalReadout(s.approvals[index]) : std::string();
    default: return "Assistant: writing\xE2\x80\xA6";
  }
}

}  // namespace chat::ui
