// Every declared message's fields as PROTOCOL.md documents them: one row per field (nested
// fields as `usage.inputTokens`, list entries as `sessions[].sessionId`) with its JSON type,
// limits and presence, all derived from the declarations in messages.h. The protocol tests
// check PROTOCOL.md's message tables against this, so the document cannot drift from the code.
#pragma once

#include <string>
#include <vector>

namespace chat::proto {

struct FieldDoc {
  std::string field;     // e.g. "content", "usage.inputTokens", "sessions[].title"
  std::string type;      // e.g. "string, 1 byte to 32 KiB"
  std::string presence;  // "required", "optional", "optional, default false", ...
  bool operator==(const FieldDoc& o) const {
    return field == o.field && type == o.type && presence == o.presence;
  }
};

struct MessageDoc {
  std::string type;         // the wire type, e.g. "chat.send"
  bool fromClient = false;  // client -> gateway (else gateway -> client)
  std::vector<FieldDoc> fields;  // `type` itself not included
};

// Every message of both variants, in variant order.
std::vector<MessageDoc> messageDocs();

}  // namespace chat::proto
