// Private: the rules a chat.send's text and a session id must follow before they are sent
// (DESIGN.md "protocol 1"; shared_decisions: session ids).
#pragma once

#include <cstddef>
#include <string>

namespace chat::core::detail {

constexpr std::size_t kMaxMessageBytes = 32 * 1024;
constexpr std::size_t kMaxSessionIdChars = 64;

// "" if the text may be sent, else a user-facing reason.
std::string validateMessageText(const std::string& text);

// True for 1..64 chars of [A-Za-z0-9._:-].
bool isValidSessionId(const std::string& sessionId);

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(const std::string& text);

}  // namespace chat::core::detail
