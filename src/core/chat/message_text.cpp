#include "core/chat/message_text.h"

namespace chat::core::detail {

namespace {

bool isBlank(const std::string& text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

}  // namespace

std::string validateMessageText(const std::string& text) {
  if (isBlank(text)) return "message is empty";
  if (text.size() > kMaxMessageBytes) return "message is too long (at most 32 KiB)";
  // The codec could not encode it as JSON, and the gateway would reject it.
  if (!isValidUtf8(text)) return "message is not valid UTF-8";
  return std::string();
}

}  // namespace chat::core::detail
