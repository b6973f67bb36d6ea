// The wire `type` string of every message struct (private to the protocol module), shared by
// typeName(), the encoders and the decoders' dispatch tables so a name is spelled only once.
#pragma once

#include "core/protocol/messages.h"

namespace chat::proto::detail {

template <class T>
struct WireName;  // no default: a message type without a wire name fails to compile

#define CHAT_PROTO_WIRE_NAME(Type, name)       \
  template <>                                  \
  struct WireName<Type> {                      \
    static constexpr const char* value = name; \
  }

// client -> gateway
CHAT_PROTO_WIRE_NAME(Auth, "auth");
CHAT_PROTO_WIRE_NAME(ChatSend, "chat.send");
CHAT_PROTO_WIRE_NAME(ChatCancel, "chat.cancel");
CHAT_PROTO_WIRE_NAME(ToolApprovalResponse, "tool.approval.response");
CHAT_PROTO_WIRE_NAME(SessionListRequest, "session.list");
CHAT_PROTO_WIRE_NAME(SessionResume, "session.resume");
CHAT_PROTO_WIRE_NAME(ThreadListRequest, "thread.list");
CHAT_PROTO_WIRE_NAME(Ping, "ping");
// gateway -> client, connection level
CHAT_PROTO_WIRE_NAME(AuthOk, "auth.ok");
CHAT_PROTO_WIRE_NAME(AuthFailed, "auth.failed");
CHAT_PROTO_WIRE_NAME(Ack, "ack");
CHAT_PROTO_WIRE_NAME(Pong, "pong");
CHAT_PROTO_WIRE_NAME(SessionList, "session.list");
CHAT_PROTO_WIRE_NAME(ThreadList, "thread.list");
CHAT_PROTO_WIRE_NAME(SessionResumed, "session.resumed");
// gateway -> client, session events
CHAT_PROTO_WIRE_NAME(SessionCreated, "session.created");
CHAT_PROTO_WIRE_NAME(ChatMessageEvent, "chat.message");
CHAT_PROTO_WIRE_NAME(StreamStart, "chat.stream.start");
CHAT_PROTO_WIRE_NAME(StreamDelta, "chat.stream.delta");
CHAT_PROTO_WIRE_NAME(StreamEnd, "chat.stream.end");
CHAT_PROTO_WIRE_NAME(ToolCall, "tool.call");
CHAT_PROTO_WIRE_NAME(ToolOutput, "tool.output");
CHAT_PROTO_WIRE_NAME(ToolApprovalRequest, "tool.approval.request");
CHAT_PROTO_WIRE_NAME(ToolApprovalResolved, "tool.approval.resolved");
CHAT_PROTO_WIRE_NAME(ToolResult, "tool.result");
CHAT_PROTO_WIRE_NAME(ToolError, "tool.error");
CHAT_PROTO_WIRE_NAME(ErrorEvent, "error");

#undef CHAT_PROTO_WIRE_NAME

}  // namespace chat::proto::detail
