// What a step of the reducer (or an intent) changed, said once, by the code that changed it.
// Every consumer (the JS / postMessage events, the screen-reader log, the message list's layout
// cache) reads these instead of diffing states. Entries are named by their session and their
// index in that session's messages / tools / approvals: indexes never move (only the timeline
// order does), so an effect stays valid for the state it came with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "core/chat/chat_error.h"
#include "core/chat/chat_state.h"

namespace chat::core {

// A message reached its final state, once per message: a user message the gateway has (ack or
// echo), a reply whose chat.stream.end arrived, an error or system message as it is added.
struct MessageCompleted {
  std::string sessionId;
  std::size_t index = 0;
};
// A user message could not be sent (refused by the gateway or the outbox).
struct MessageFailed {
  std::string sessionId;
  std::size_t index = 0;
};
// A tool card reached Completed or Error (once per card).
struct ToolFinished {
  std::string sessionId;
  std::size_t index = 0;
};
// An approval card was asked (or asked again) / resolved by the gateway.
struct ApprovalRequested {
  std::string sessionId;
  std::size_t index = 0;
};
struct ApprovalResolved {
  std::string sessionId;
  std::size_t index = 0;
};
// Something drawn changed. `revision` is the entry's new revision (Message::revision, ...),
// which only grows: a cache keyed by it is never stale.
struct EntryRevised {
  std::string sessionId;
  EntryKind kind = EntryKind::Message;
  std::size_t index = 0;
  uint64_t revision = 0;
};
struct ErrorRaised {
  ChatError error;
};
struct ErrorCleared {};
// A session event beyond lastSeq + 1 was not applied: resume `sessionId` from resumeFromSeq.
struct GapDetected {
  std::string sessionId;
  int64_t resumeFromSeq = 0;
};
// The current session changed (first session, a switch, a new chat).
struct SessionOpened {
  std::string sessionId;
};

// The chat on screen was deleted (here or by another client): show `next` instead ("": a new
// chat). The client does the switch.
struct CurrentSessionDeleted {
  std::string sessionId;
  std::string next;
};

using Effect = std::variant<MessageCompleted, MessageFailed, ToolFinished, ApprovalRequested,
                            ApprovalResolved, EntryRevised, ErrorRaised, ErrorCleared, GapDetected,
                            SessionOpened, CurrentSessionDeleted>;

}  // namespace chat::core
