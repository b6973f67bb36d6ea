// The outbox: client messages waiting for their ack, in the order they were queued.
//
// Bounded by message count and encoded bytes; a full outbox refuses new messages instead of
// dropping old ones. It serialises to one JSON array (the persisted form) and loads from it,
// so a page reload resends whatever was not acked, with the same ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/protocol/messages.h"

namespace chat::net {

struct OutboxEntry {
  std::string id;
  proto::ClientMessage message;
  std::string frame;         // the encoded message, sent as is on every transport
  uint64_t sentOnSocket = 0;  // the WebSocket connection it was last sent on (0: none)
  int64_t notBefore = 0;      // do not (re)send before this time (rate limited, or failed)
  int failures = 0;           // `internal` answers in a row: the backoff before the next try
};

class Outbox {
 public:
  Outbox(std::size_t maxMessages, std::size_t maxBytes);

  // "" when queued (or already queued under this id), else why not: "outbox full".
  std::string add(const proto::ClientMessage& m);
  // Removes the message with this id; false if there was none.
  bool remove(const std::string& id);
  OutboxEntry* find(const std::string& id);

  std::vector<OutboxEntry>& entries() { return entries_; }
  const std::vector<OutboxEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool empty() const { return entries_.empty(); }

  // Persisted form: a JSON array of the messages' wire objects.
  std::string serialize() const;
  // Replaces the content with a persisted form. Bad input (corrupt JSON, unknown messages)
  // is skipped, never fatal; the bounds are not applied so nothing persisted is ever dropped.
  void load(const std::string& persisted);

 private:
  void append(const proto::ClientMessage& m, std::string frame);

  std::size_t maxMessages_;
  std::size_t maxBytes_;
  std::size_t bytes_ = 0;
  std::vector<OutboxEntry> entries_;
};

}  // namespace chat::net
