// Private: how each session event changes its session, once the seq rule (reducer.cpp) has
// decided it is the next one to apply. Each says what it changed through `step`. `state` is passed for the few state-wide fields an
// event touches (currentModel, currentSessionId); `session` is the event's own session.
#pragma once

#include "core/chat/chat_state.h"
#include "core/chat/transcript.h"
#include "core/protocol/messages.h"

namespace chat::core::detail {

// Conversation events (session_events.cpp).
void applyEvent(ChatState& state, SessionState& session, const proto::SessionCreated& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ChatMessageEvent& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamStart& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamDelta& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamReasoning& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::StreamEnd& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ErrorEvent& e, Step& step);

// Tool and approval cards (tool_events.cpp).
void applyEvent(ChatState& state, SessionState& session, const proto::ToolApprovalRequest& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolApprovalResolved& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolCall& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolOutput& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolResult& e, Step& step);
void applyEvent(ChatState& state, SessionState& session, const proto::ToolError& e, Step& step);

}  // namespace chat::core::detail
