// The event log as the commit path sees it: the one interface between the gateway's core
// (commit_queue.h, commit_worker.h, the WebSocket replay) and where events are kept. EventLog
// (SQLite, event_log.h) is the implementation in this tree; another store (Redis streams,
// say) implements the same three calls with the same promises:
//
// - appendBatchConsuming: all appends of the batch durable together or none (throws
//   EventLogError, leaving no trace); seqs dense per session, given in the transaction;
//   returns each append's stored frames (the complete frame with sessionId and seq, encoded
//   once: the fan-out shares these bytes among all subscribers). May run on a worker thread
//   while the network thread calls the two readers: implementations serialise themselves.
// - eventsAfter: committed events with seq > afterSeq, oldest first, at most `limit`.
// - lastSeq: the last committed seq of the session (0 when unknown).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/protocol/messages.h"

namespace chat::gateway {

struct LoggedEvent {
  int64_t seq = 0;
  std::string json;  // the complete frame, with sessionId and seq
};

// A turn whose chat.stream.start has no chat.stream.end yet, with its tool in flight if any.
struct OpenTurn {
  std::string sessionId;
  std::string requestId;
  std::string toolCallId;  // "" when no tool call is between its start and its end
  std::string toolName;
};

// A chat.send whose echo is logged but whose turn has not started: turns of one session run
// one after the other, so it waits for the session's previous turn to end. Kept in the log
// until its chat.stream.start is, so a restart continues it (the user's words were acked).
struct QueuedTurn {
  std::string sessionId;
  std::string requestId;  // the chat.send id
  std::string content;
  std::string model;        // "" = the agent's default
  bool cancelled = false;   // a chat.cancel came while it waited: it runs as start + end at once
};

// Marks a client message id as applied, in the same transaction as its events.
struct ProcessedRecord {
  std::string messageId;
  std::string reply;  // the frame to answer a resend with (the ack)
};

// One append: events of one session, with the optional dedup record and queued turn that must
// be durable together with them. An append with no events and no queued turn only records
// `processed` (sessionId may then be empty).
struct AppendRequest {
  std::string sessionId;
  std::vector<proto::GatewayMessage> events;  // typed session events; the log stamps sessionId and seq
  std::optional<ProcessedRecord> processed;
  std::optional<QueuedTurn> queued;
  // Prepends session.created {sessionKey} when this append creates the session.
  bool announceNewSession = false;
};

class EventLogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  virtual std::vector<std::vector<LoggedEvent>> appendBatchConsuming(
      std::vector<AppendRequest>& batch, int64_t nowMs) = 0;
  virtual std::vector<LoggedEvent> eventsAfter(const std::string& sessionId, int64_t afterSeq,
                                               std::size_t limit) = 0;
  virtual int64_t lastSeq(const std::string& sessionId) = 0;
};

}  // namespace chat::gateway
