// Protocol 1: every message of the wire contract, both directions, as plain C++ types.
//
// The contract itself is documented in docs-less form in README.md ("Protocol"); this header is
// its single source of truth in code. Encoding and decoding live in codec.h.
//
// Conventions:
// - Field names follow the JSON names of the contract (camelCase) so code and wire read alike.
// - Optional wire fields are std::optional; fields with a contract default (e.g.
//   sessionApprove=false) are plain values holding that default.
// - Free-form JSON payloads (tool args, tool results) are kept as nlohmann::json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace chat::proto {

constexpr int kProtocolVersion = 1;

// ---- shared value types ---------------------------------------------------------------------

struct Usage {
  int64_t inputTokens = 0;
  int64_t outputTokens = 0;
  int64_t totalTokens = 0;
  bool operator==(const Usage& o) const {
    return inputTokens == o.inputTokens && outputTokens == o.outputTokens &&
           totalTokens == o.totalTokens;
  }
};

struct Cost {
  double inputCost = 0;
  double outputCost = 0;
  double totalCost = 0;
  bool operator==(const Cost& o) const {
    return inputCost == o.inputCost && outputCost == o.outputCost && totalCost == o.totalCost;
  }
};

struct SessionInfo {
  std::string sessionId;
  std::string title;
  int64_t createdAt = 0;  // ms since epoch
  int64_t updatedAt = 0;  // ms since epoch
  int64_t lastSeq = 0;
  bool archived = false;  // only meaningful in thread.list
  bool operator==(const SessionInfo& o) const {
    return sessionId == o.sessionId && title == o.title && createdAt == o.createdAt &&
           updatedAt == o.updatedAt && lastSeq == o.lastSeq && archived == o.archived;
  }
};

// ---- client -> gateway ------------------------------------------------------------------------
// Every client message carries `id`: client-made, unique, 1..64 chars.

struct Auth {
  std::string id;
  std::optional<std::string> token;
  std::optional<std::string> pin;
};

struct ChatSend {
  std::string id;
  std::string content;  // 1 byte .. 32 KiB UTF-8
  std::optional<std::string> sessionId;
  std::optional<std::string> model;
  std::optional<std::string> agentId;
};

struct ChatCancel {
  std::string id;
  std::string requestId;  // the chat.send to stop
};

struct ToolApprovalResponse {
  std::string id;
  std::string toolCallId;
  bool approved = false;
  bool sessionApprove = false;
};

struct SessionListRequest {
  std::string id;
};

struct SessionResume {
  std::string id;
  std::string sessionId;
  int64_t lastSeq = 0;  // 0 = from the start
};

struct ThreadListRequest {
  std::string id;
  bool includeArchived = false;
};

struct Ping {
  std::string id;
};

using ClientMessage = std::variant<Auth, ChatSend, ChatCancel, ToolApprovalResponse,
                                   SessionListRequest, SessionResume, ThreadListRequest, Ping>;

// ---- gateway -> client, connection level ------------------------------------------------------

struct AuthOk {
  std::string clientId;
  int64_t heartbeatMs = 0;
  int protocol = kProtocolVersion;
};

struct AuthFailed {
  std::string code;
  std::string message;
};

struct Ack {
  std::string requestId;
};

struct Pong {
  std::string requestId;
};

struct SessionList {
  std::string requestId;
  std::vector<SessionInfo> sessions;
};

struct ThreadList {
  std::string requestId;
  std::vector<SessionInfo> threads;
};

struct SessionResumed {
  std::string sessionId;
  int64_t lastSeq = 0;
};

// ---- gateway -> client, session events ---------------------------------------------------------
// Every session event carries sessionId and seq (per session: 1, 2, 3, ... never reused).

struct SessionCreated {
  std::string sessionId;
  int64_t seq = 0;
  std::string sessionKey;
};

struct ChatMessageEvent {
  std::string sessionId;
  int64_t seq = 0;
  std::string messageId;  // the client id of the chat.send
  std::string role;       // "user"
  std::string content;
  int64_t timestamp = 0;  // ms since epoch
};

struct StreamStart {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string model;
  std::optional<std::string> routing;
};

struct StreamDelta {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string delta;
};

struct StreamEnd {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  Usage usage;
  Cost cost;
  std::string stopReason;  // "end", "cancelled", "error"
};

struct ToolCall {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string toolCallId;
  std::string toolName;
  nlohmann::json args = nlohmann::json::object();
};

struct ToolOutput {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string toolCallId;
  std::string delta;
};

struct ToolApprovalRequest {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string toolCallId;
  std::string toolName;
  nlohmann::json args = nlohmann::json::object();
  std::optional<std::string> risk;  // "low", "medium", "high"
};

struct ToolApprovalResolved {
  std::string sessionId;
  int64_t seq = 0;
  std::string toolCallId;
  bool approved = false;
  bool sessionApprove = false;
};

struct ToolResult {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string toolCallId;
  std::string toolName;
  nlohmann::json result;
};

struct ToolError {
  std::string sessionId;
  int64_t seq = 0;
  std::string requestId;
  std::string toolCallId;
  std::string toolName;
  std::string error;
};

// `error` is both connection level (no sessionId/seq) and a session event (with both).
struct ErrorEvent {
  std::optional<std::string> requestId;
  std::string code;  // see ErrorCode names in codec.h
  std::string message;
  std::optional<std::string> sessionId;  // present (with seq) when logged in a session
  int64_t seq = 0;                       // 0 when not a session event
};

using GatewayMessage =
    std::variant<AuthOk, AuthFailed, Ack, Pong, SessionList, ThreadList, SessionResumed,
                 SessionCreated, ChatMessageEvent, StreamStart, StreamDelta, StreamEnd, ToolCall,
                 ToolOutput, ToolApprovalRequest, ToolApprovalResolved, ToolResult, ToolError,
                 ErrorEvent>;

// ---- helpers ----------------------------------------------------------------------------------

// The wire `type` string of a message ("chat.send", "chat.stream.delta", ...).
const char* typeName(const ClientMessage& m);
const char* typeName(const GatewayMessage& m);

// The client-made id of any client message.
const std::string& messageId(const ClientMessage& m);

// Session events carry (sessionId, seq); connection-level messages do not.
// Returns true and fills the out-params for a session event (ErrorEvent only when it has both).
bool sessionEventKey(const GatewayMessage& m, std::string* sessionId, int64_t* seq);

}  // namespace chat::proto
