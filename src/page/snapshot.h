// Plain JSON views of the chat for the page's JS API (window.chatClient.snapshot(), events) and
// the postMessage API. Built here in C++ (and tested natively); JS only parses the text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/chat/chat_state.h"
#include "core/net/status.h"

namespace chat::web {

const char* roleName(core::Role r);                     // user, assistant, system, error
const char* messageStatusName(core::MessageStatus s);   // sending, sent, complete, failed, streaming
const char* toolStatusName(core::ToolStatus s);         // pending, running, completed, error
const char* approvalStatusName(core::ApprovalStatus s); // pending, approved, denied
// "full" | "partial" | "disconnected" | "unauthorized"
const char* statusName(const net::Status& s);

// {status, phase, attempt, nextRetryInMs, polling, outboxSize, lastError}
nlohmann::json statusJson(const net::Status& s);
nlohmann::json messageJson(const core::Message& m);      // {id, role, content, status, ...}
nlohmann::json toolJson(const core::ToolCard& t);        // {toolCallId, toolName, status, output, result, error}
nlohmann::json approvalJson(const core::ApprovalCard& a);  // {toolCallId, toolName, risk, status, ...}

// The whole current session: {status, sessionId, streaming, streamingText, messages, toolCalls,
// approvals, sessions, ...status detail}.
nlohmann::json snapshotJson(const core::ChatState& state, const net::Status& status);

// JSON text that never throws: invalid UTF-8 (e.g. a tool's raw output) is replaced.
std::string dumpJson(const nlohmann::json& j);

}  // namespace chat::web
