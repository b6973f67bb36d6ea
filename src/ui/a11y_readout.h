// What a screen reader reads for one transcript entry (the text of its list item in the
// accessible twin, a11y_tree.h): the author first, then the text.
#pragma once

#include <cstddef>
#include <string>

#include "core/chat/chat_state.h"

namespace chat::ui {

// The longest readout, in bytes (cut at a character boundary with "…"): a screen reader's
// list item is for finding your place, the whole text is in the selectable text layer.
constexpr std::size_t kMaxReadoutBytes = 2000;

std::string messageReadout(const core::Message& m);
std::string toolReadout(const core::ToolCard& t);
std::string approvalReadout(const core::ApprovalCard& a);

// The readout of timeline entry `index` of kind `kind` (0 message, 1 tool, 2 approval, 3 a reply
// whose first words have not arrived), as MessageList numbers them.
std::string entryReadout(const core::SessionState& s, int kind, std::size_t index);

// `text` cut to at most `maxBytes` bytes on a UTF-8 character boundary, "…" appended when cut.
std::string clipUtf8(const std::string& text, std::size_t maxBytes);

}  // namespace chat::ui
