// Decoder for gateway -> client messages (the client's side of the contract).
#include <limits>

#include "core/protocol/codec.h"
#include "core/protocol/decode_dispatch.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using detail::FieldReader;
using detail::FlatReader;

// ---- connection level ----

template <class Reader>
GatewayMessage readAuthOk(Reader& r) {
  AuthOk m;
  m.clientId = r.string("clientId", 1);
  m.heartbeatMs = r.integer("heartbeatMs", 1);
  const int64_t protocol = r.integer("protocol", 1);
  if (protocol > std::numeric_limits<int>::max()) {
    r.fail(code::kBadRequest, "protocol", "must be a protocol version");
  }
  m.protocol = static_cast<int>(protocol > std::numeric_limits<int>::max() ? 1 : protocol);
  return m;
}

template <class Reader>
GatewayMessage readAuthFailed(Reader& r) {
  AuthFailed m;
  m.code = r.string("code", 1);
  m.message = r.string("message");
  return m;
}

template <class Reader>
GatewayMessage readAck(Reader& r) {
  Ack m;
  m.requestId = r.id("requestId");
  return m;
}

template <class Reader>
GatewayMessage readPong(Reader& r) {
  Pong m;
  m.requestId = r.id("requestId");
  return m;
}

std::vector<SessionInfo> readSessionInfos(FieldReader& r, const char* name) {
  std::vector<SessionInfo> out;
  const nlohmann::json* arr = r.array(name);
  if (!arr) return out;
  for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
    FieldReader e = r.element(name, i, (*arr)[i]);
    SessionInfo s;
    s.sessionId = e.sessionId("sessionId");
    s.title = e.string("title");
    s.createdAt = e.integer("createdAt", 0);
    s.updatedAt = e.integer("updatedAt", 0);
    s.lastSeq = e.integer("lastSeq", 0);
    s.archived = e.optBoolean("archived", false);
    out.push_back(std::move(s));
  }
  return out;
}

GatewayMessage readSessionList(FieldReader& r) {
  SessionList m;
  m.requestId = r.id("requestId");
  m.sessions = readSessionInfos(r, "sessions");
  return m;
}

GatewayMessage readThreadList(FieldReader& r) {
  ThreadList m;
  m.requestId = r.id("requestId");
  m.threads = readSessionInfos(r, "threads");
  return m;
}

template <class Reader>
GatewayMessage readSessionResumed(Reader& r) {
  SessionResumed m;
  m.sessionId = r.sessionId("sessionId");
  m.lastSeq = r.integer("lastSeq", 0);
  return m;
}

// ---- session events: sessionId + seq (>= 1) first ----

template <class T, class Reader>
T startEvent(Reader& r) {
  T m;
  m.sessionId = r.sessionId("sessionId");
  m.seq = r.integer("seq", 1);
  return m;
}

template <class Reader>
GatewayMessage readSessionCreated(Reader& r) {
  auto m = startEvent<SessionCreated>(r);
  m.sessionKey = r.string("sessionKey");
  return m;
}

template <class Reader>
GatewayMessage readChatMessage(Reader& r) {
  auto m = startEvent<ChatMessageEvent>(r);
  m.messageId = r.id("messageId");
  m.role = r.oneOf("role", {"user"});
  m.content = r.string("content");
  m.timestamp = r.integer("timestamp", 0);
  return m;
}

template <class Reader>
GatewayMessage readStreamStart(Reader& r) {
  auto m = startEvent<StreamStart>(r);
  m.requestId = r.id("requestId");
  m.model = r.string("model");
  m.routing = r.optString("routing");
  return m;
}

template <class Reader>
GatewayMessage readStreamDelta(Reader& r) {
  auto m = startEvent<StreamDelta>(r);
  m.requestId = r.id("requestId");
  m.delta = r.string("delta");
  return m;
}

GatewayMessage readStreamEnd(FieldReader& r) {
  auto m = startEvent<StreamEnd>(r);
  m.requestId = r.id("requestId");
  FieldReader usage = r.child("usage");
  m.usage.inputTokens = usage.integer("inputTokens", 0);
  m.usage.outputTokens = usage.integer("outputTokens", 0);
  m.usage.totalTokens = usage.integer("totalTokens", 0);
  FieldReader cost = r.child("cost");
  m.cost.inputCost = cost.number("inputCost", 0);
  m.cost.outputCost = cost.number("outputCost", 0);
  m.cost.totalCost = cost.number("totalCost", 0);
  m.stopReason = r.oneOf("stopReason", {"end", "cancelled", "error"});
  return m;
}

GatewayMessage readToolCall(FieldReader& r) {
  auto m = startEvent<ToolCall>(r);
  m.requestId = r.id("requestId");
  m.toolCallId = r.string("toolCallId", 1);
  m.toolName = r.string("toolName", 1);
  m.args = r.objectValue("args");
  return m;
}

template <class Reader>
GatewayMessage readToolOutput(Reader& r) {
  auto m = startEvent<ToolOutput>(r);
  m.requestId = r.id("requestId");
  m.toolCallId = r.string("toolCallId", 1);
  m.delta = r.string("delta");
  return m;
}

GatewayMessage readToolApprovalRequest(FieldReader& r) {
  auto m = startEvent<ToolApprovalRequest>(r);
  m.requestId = r.id("requestId");
  m.toolCallId = r.string("toolCallId", 1);
  m.toolName = r.string("toolName", 1);
  m.args = r.objectValue("args");
  m.risk = r.optOneOf("risk", {"low", "medium", "high"});
  return m;
}

template <class Reader>
GatewayMessage readToolApprovalResolved(Reader& r) {
  auto m = startEvent<ToolApprovalResolved>(r);
  m.toolCallId = r.string("toolCallId", 1);
  m.approved = r.boolean("approved");
  m.sessionApprove = r.boolean("sessionApprove");
  return m;
}

GatewayMessage readToolResult(FieldReader& r) {
  auto m = startEvent<ToolResult>(r);
  m.requestId = r.id("requestId");
  m.toolCallId = r.string("toolCallId", 1);
  m.toolName = r.string("toolName", 1);
  m.result = r.anyValue("result");
  return m;
}

template <class Reader>
GatewayMessage readToolError(Reader& r) {
  auto m = startEvent<ToolError>(r);
  m.requestId = r.id("requestId");
  m.toolCallId = r.string("toolCallId", 1);
  m.toolName = r.string("toolName", 1);
  m.error = r.string("error");
  return m;
}

// `error` is a session event when it has sessionId and seq, connection level when it has
// neither; one without the other is malformed.
template <class Reader>
GatewayMessage readError(Reader& r) {
  ErrorEvent m;
  m.requestId = r.optId("requestId");
  m.code = r.string("code", 1);
  m.message = r.string("message");
  if (r.has("sessionId") || r.has("seq")) {
    m.sessionId = r.sessionId("sessionId");
    m.seq = r.integer("seq", 1);
  }
  return m;
}

template <class T>
constexpr const char* name() {
  return detail::WireName<T>::value;
}

const detail::DecoderEntry<GatewayMessage> kGatewayDecoders[] = {
    {name<AuthOk>(), readAuthOk<FieldReader>},
    {name<AuthFailed>(), readAuthFailed<FieldReader>},
    {name<Ack>(), readAck<FieldReader>},
    {name<Pong>(), readPong<FieldReader>},
    {name<SessionList>(), readSessionList},
    {name<ThreadList>(), readThreadList},
    {name<SessionResumed>(), readSessionResumed<FieldReader>},
    {name<SessionCreated>(), readSessionCreated<FieldReader>},
    {name<ChatMessageEvent>(), readChatMessage<FieldReader>},
    {name<StreamStart>(), readStreamStart<FieldReader>},
    {name<StreamDelta>(), readStreamDelta<FieldReader>},
    {name<StreamEnd>(), readStreamEnd},
    {name<ToolCall>(), readToolCall},
    {name<ToolOutput>(), readToolOutput<FieldReader>},
    {name<ToolApprovalRequest>(), readToolApprovalRequest},
    {name<ToolApprovalResolved>(), readToolApprovalResolved<FieldReader>},
    {name<ToolResult>(), readToolResult},
    {name<ToolError>(), readToolError<FieldReader>},
    {name<ErrorEvent>(), readError<FieldReader>},
};

// The same decoders reading a FlatObject, the hot messages first (a linear scan).
const detail::FlatDecoderEntry<GatewayMessage> kFlatGatewayDecoders[] = {
    {name<StreamDelta>(), readStreamDelta<FlatReader>},
    {name<ToolOutput>(), readToolOutput<FlatReader>},
    {name<StreamStart>(), readStreamStart<FlatReader>},
    {name<ChatMessageEvent>(), readChatMessage<FlatReader>},
    {name<ToolApprovalResolved>(), readToolApprovalResolved<FlatReader>},
    {name<ToolError>(), readToolError<FlatReader>},
    {name<ErrorEvent>(), readError<FlatReader>},
    {name<SessionCreated>(), readSessionCreated<FlatReader>},
    {name<SessionResumed>(), readSessionResumed<FlatReader>},
    {name<Ack>(), readAck<FlatReader>},
    {name<Pong>(), readPong<FlatReader>},
    {name<AuthOk>(), readAuthOk<FlatReader>},
    {name<AuthFailed>(), readAuthFailed<FlatReader>},
};

}  // namespace

Decoded<GatewayMessage> decodeGatewayMessage(const nlohmann::json& j) {
  return detail::decodeObject(j, kGatewayDecoders);
}

Decoded<GatewayMessage> decodeGatewayMessage(std::string_view frame) {
  // Most frames are flat objects read in place; the rest (and every error) take the DOM path.
  if (auto message = detail::decodeFlat(frame, kFlatGatewayDecoders)) return std::move(*message);
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return decodeGatewayMessage(j);
}

}  // namespace chat::proto
