// The chat reducer: ChatState + one gateway message -> next ChatState.
//
// Pure: no I/O, no clock. The state is taken by value and returned, so callers write
//   auto r = chat::core::reduce(std::move(state), msg); state = std::move(r.state);
// and moving keeps the cost per event independent of the history length.
#pragma once

#include "core/chat/chat_state.h"
#include "core/protocol/messages.h"

namespace chat::core {

enum class Outcome {
  Applied,    // the message changed the state (or was a valid connection-level message)
  Duplicate,  // a session event at or below the session's last applied seq: dropped
  Gap,        // a session event beyond lastSeq+1: NOT applied; resume from lastSeq
  Ignored,    // understood but not relevant (e.g. pong)
};

struct Reduced {
  ChatState state;
  Outcome outcome = Outcome::Applied;
  // For Gap: the session to resume and the seq to resume from (its lastSeq).
  std::string gapSessionId;
  int64_t resumeFromSeq = 0;
};

Reduced reduce(ChatState state, const proto::GatewayMessage& msg);

}  // namespace chat::core
