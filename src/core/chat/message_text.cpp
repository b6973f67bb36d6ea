#include "core/chat/message_text.h"

namespace chat::core::detail {

namespace {

bool isBlank(const std::string& text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

bool isSessionIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '-';
}

}  // namespace

std::string validateMessageText(const std::string& text) {
  if (isBlank(text)) return "message is empty";
  if (text.size() > kMaxMessageBytes) return "message is too long (at most 32 KiB)";
  // The codec could not encode it as JSON, and the gateway would reject it.
  if (!isValidUtf8(text)) return "message is not valid UTF-8";
  return std::string();
}

bool isValidSessionId(const std::string& sessionId) {
  if (sessionId.empty() || sessionId.size() > kMaxSessionIdChars) return false;
  for (char c : sessionId) {
    if (!isSessionIdChar(c)) return false;
  }
  return true;
}

bool isValidUtf8(const std::string& text) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (i + len > n) return false;
    const unsigned char second = static_cast<unsigned char>(text[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const unsigned char b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace chat::core::detail
