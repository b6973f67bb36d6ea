// Private: the rules a chat.send's text and a session id must follow before they are sent
// (DESIGN.md "protocol 1"; shared_decisions: session ids).
#pragma once

#include <cstddef>
#include <string>

#include "core/protocol/text_rules.h"

namespace chat::core::detail {

constexpr std::size_t kMaxMessageBytes = 32 * 1024;
constexpr std::size_t kMaxSessionIdChars = 64;

// "" if the text may be sent, else a user-facing reason.
std::string validateMessageText(const std::string& text);

// The contract's text rules (core/protocol/text_rules.h).
using proto::isValidSessionId;
using proto::isValidUtf8;

}  // namespace chat::core::detail
