// What a client message id was used for, so a resend can be told from a reuse. The gateway
// applies an id at most once and answers a resend like the first copy; an id reused for a
// different message (another session, other content, another type or target) must not get
// that ack, because its effect was never applied: it is answered `conflict` instead.
//
// The use is kept with the dedup record (the reply column of the event log's processed table,
// as a small JSON envelope around the ack), so it survives restarts. Rows written before this
// existed hold the bare ack frame: they decode with no use and are answered as before.
#pragma once

#include <optional>
#include <string>

#include "core/protocol/messages.h"

namespace chat::gateway {

struct MessageIdUse {
  std::string type;    // "chat.send", "chat.cancel", "tool.approval.response"
  std::string target;  // chat.send: the session it landed in ("" = a new one, not yet known);
                       // chat.cancel: the requestId; approval: the toolCallId
  std::string digest;  // of what else the message says (content, model, decision)
};

// A stable digest of `text` (for MessageIdUse::digest; also used by session_manager.h).
std::string digestOf(const std::string& text);

// The use of a message the core dedups; nullopt for the types it does not (lists, ping).
std::optional<MessageIdUse> useOf(const proto::ClientMessage& message);

// Whether a resend with `incoming` use is the message first applied as `stored`. A chat.send
// without sessionId matches its first copy whatever session that created.
bool sameUse(const MessageIdUse& stored, const MessageIdUse& incoming);

// The processed table's reply column: the ack to answer a resend with, plus the use.
std::string encodeProcessedReply(const std::string& ackFrame, const MessageIdUse& use);
struct ProcessedReply {
  std::string frame;                // the answer for a resend
  std::optional<MessageIdUse> use;  // nullopt: a row from before uses were recorded
};
ProcessedReply decodeProcessedReply(const std::string& stored);

}  // namespace chat::gateway
