// The chat reducer: ChatState + one gateway message -> next ChatState + what changed.
//
// Pure: no I/O, no clock. The state is taken by value and returned, so callers write
//   auto r = chat::core::reduce(std::move(state), msg); state = std::move(r.state);
// and moving keeps the cost per event independent of the history length. `effects` says, in
// order, what the step changed (effects.h): consumers react to them and never diff states.
#pragma once

#include <vector>

#include "core/chat/chat_state.h"
#include "core/chat/effects.h"
#include "core/protocol/messages.h"

namespace chat::core {

enum class Outcome {
  Applied,    // the message changed the state (or was a valid connection-level message)
  Duplicate,  // a session event at or below the session's last applied seq: dropped
  Gap,        // a session event beyond lastSeq+1: NOT applied; resume from lastSeq (GapDetected)
  Ignored,    // understood but not relevant (e.g. pong)
};

struct Reduced {
  ChatState state;
  Outcome outcome = Outcome::Applied;
  std::vector<Effect> effects;
};

Reduced reduce(ChatState state, const proto::GatewayMessage& msg);

}  // namespace chat::core
