// Decoder for client -> gateway messages (the gateway's side of the contract).
#include "core/protocol/codec.h"
#include "core/protocol/decode_dispatch.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using detail::FieldReader;
using detail::FlatReader;

template <class Reader>
ClientMessage readAuth(Reader& r) {
  Auth m;
  m.id = r.id("id");
  // Credentials are optional here: a gateway started with --no-auth welcomes an auth with
  // neither (or with an empty token), and a gateway that checks answers auth.failed itself,
  // which tells the client to stop retrying (a bad_request would not).
  m.token = r.optString("token");
  m.pin = r.optString("pin", 1);
  return m;
}

template <class Reader>
ClientMessage readChatSend(Reader& r) {
  ChatSend m;
  m.id = r.id("id");
  m.content = r.string("content", 1, kMaxContentBytes);
  m.sessionId = r.optSessionId("sessionId");
  m.model = r.optString("model");
  m.agentId = r.optString("agentId");
  return m;
}

template <class Reader>
ClientMessage readChatCancel(Reader& r) {
  ChatCancel m;
  m.id = r.id("id");
  m.requestId = r.id("requestId");
  return m;
}

template <class Reader>
ClientMessage readToolApprovalResponse(Reader& r) {
  ToolApprovalResponse m;
  m.id = r.id("id");
  m.toolCallId = r.string("toolCallId", 1);
  m.approved = r.boolean("approved");
  m.sessionApprove = r.optBoolean("sessionApprove", false);
  return m;
}

template <class Reader>
ClientMessage readSessionList(Reader& r) {
  SessionListRequest m;
  m.id = r.id("id");
  return m;
}

template <class Reader>
ClientMessage readSessionResume(Reader& r) {
  SessionResume m;
  m.id = r.id("id");
  m.sessionId = r.sessionId("sessionId");
  m.lastSeq = r.integer("lastSeq", 0);
  return m;
}

template <class Reader>
ClientMessage readThreadList(Reader& r) {
  ThreadListRequest m;
  m.id = r.id("id");
  m.includeArchived = r.optBoolean("includeArchived", false);
  return m;
}

template <class Reader>
ClientMessage readPing(Reader& r) {
  Ping m;
  m.id = r.id("id");
  return m;
}

template <class T>
constexpr const char* name() {
  return detail::WireName<T>::value;
}

const detail::DecoderEntry<ClientMessage> kClientDecoders[] = {
    {name<Auth>(), readAuth<FieldReader>},
    {name<ChatSend>(), readChatSend<FieldReader>},
    {name<ChatCancel>(), readChatCancel<FieldReader>},
    {name<ToolApprovalResponse>(), readToolApprovalResponse<FieldReader>},
    {name<SessionListRequest>(), readSessionList<FieldReader>},
    {name<SessionResume>(), readSessionResume<FieldReader>},
    {name<ThreadListRequest>(), readThreadList<FieldReader>},
    {name<Ping>(), readPing<FieldReader>},
};

// The same decoders reading a FlatObject, the hot messages first (a linear scan).
const detail::FlatDecoderEntry<ClientMessage> kFlatClientDecoders[] = {
    {name<ChatSend>(), readChatSend<FlatReader>},
    {name<Ping>(), readPing<FlatReader>},
    {name<ChatCancel>(), readChatCancel<FlatReader>},
    {name<ToolApprovalResponse>(), readToolApprovalResponse<FlatReader>},
    {name<SessionResume>(), readSessionResume<FlatReader>},
    {name<SessionListRequest>(), readSessionList<FlatReader>},
    {name<ThreadListRequest>(), readThreadList<FlatReader>},
    {name<Auth>(), readAuth<FlatReader>},
};

}  // namespace

Decoded<ClientMessage> decodeClientMessage(const nlohmann::json& j) {
  return detail::decodeObject(j, kClientDecoders);
}

Decoded<ClientMessage> decodeClientMessage(std::string_view frame) {
  // Most frames are flat objects read in place; the rest (and every error) take the DOM path.
  if (auto message = detail::decodeFlat(frame, kFlatClientDecoders)) return std::move(*message);
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return decodeClientMessage(j);
}

}  // namespace chat::proto
