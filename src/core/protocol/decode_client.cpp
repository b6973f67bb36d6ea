// Decoder for client -> gateway messages (the gateway's side of the contract).
#include "core/protocol/codec.h"
#include "core/protocol/decode_dispatch.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using detail::FieldReader;

ClientMessage readAuth(FieldReader& r) {
  Auth m;
  m.id = r.id("id");
  // Credentials are optional here: a gateway started with --no-auth welcomes an auth with
  // neither (or with an empty token), and a gateway that checks answers auth.failed itself,
  // which tells the client to stop retrying (a bad_request would not).
  m.token = r.optString("token");
  m.pin = r.optString("pin", 1);
  return m;
}

ClientMessage readChatSend(FieldReader& r) {
  ChatSend m;
  m.id = r.id("id");
  m.content = r.string("content", 1, kMaxContentBytes);
  m.sessionId = r.optSessionId("sessionId");
  m.model = r.optString("model");
  m.agentId = r.optString("agentId");
  return m;
}

ClientMessage readChatCancel(FieldReader& r) {
  ChatCancel m;
  m.id = r.id("id");
  m.requestId = r.id("requestId");
  return m;
}

ClientMessage readToolApprovalResponse(FieldReader& r) {
  ToolApprovalResponse m;
  m.id = r.id("id");
  m.toolCallId = r.string("toolCallId", 1);
  m.approved = r.boolean("approved");
  m.sessionApprove = r.optBoolean("sessionApprove", false);
  return m;
}

ClientMessage readSessionList(FieldReader& r) {
  SessionListRequest m;
  m.id = r.id("id");
  return m;
}

ClientMessage readSessionResume(FieldReader& r) {
  SessionResume m;
  m.id = r.id("id");
  m.sessionId = r.sessionId("sessionId");
  m.lastSeq = r.integer("lastSeq", 0);
  return m;
}

ClientMessage readThreadList(FieldReader& r) {
  ThreadListRequest m;
  m.id = r.id("id");
  m.includeArchived = r.optBoolean("includeArchived", false);
  return m;
}

ClientMessage readPing(FieldReader& r) {
  Ping m;
  m.id = r.id("id");
  return m;
}

template <class T>
constexpr const char* name() {
  return detail::WireName<T>::value;
}

const detail::DecoderEntry<ClientMessage> kClientDecoders[] = {
    {name<Auth>(), readAuth},
    {name<ChatSend>(), readChatSend},
    {name<ChatCancel>(), readChatCancel},
    {name<ToolApprovalResponse>(), readToolApprovalResponse},
    {name<SessionListRequest>(), readSessionList},
    {name<SessionResume>(), readSessionResume},
    {name<ThreadListRequest>(), readThreadList},
    {name<Ping>(), readPing},
};

}  // namespace

Decoded<ClientMessage> decodeClientMessage(const nlohmann::json& j) {
  return detail::decodeObject(j, kClientDecoders);
}

Decoded<ClientMessage> decodeClientMessage(std::string_view frame) {
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return decodeClientMessage(j);
}

}  // namespace chat::proto
