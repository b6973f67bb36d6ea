// Private: how each session event changes its session, once the seq rule (reducer.cpp) has
// decided it is the next one to apply. `state` is passed for the few state-wide fields an
// event touches (currentModel, currentSessionId); `session` is the event's own session.
#pragma once

#include "core/chat/chat_state.h"
#include "core/protocol/messages.h"

namespace chat::core::detail {

// Conversation events (session_events.cpp).
void applyEvent(ChatState& state, SessionState& session, const proto::SessionCreated& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ChatMessageEvent& e);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamStart& e);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamDelta& e);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamEnd& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ErrorEvent& e);

// Tool and approval cards (tool_events.cpp).
void applyEvent(ChatState& state, SessionState& session, const proto::ToolApprovalRequest& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolApprovalResolved& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolCall& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolOutput& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolResult& e);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolError& e);

}  // namespace chat::core::detail
