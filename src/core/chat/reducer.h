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
#include "core/protocol/seq_rule.h"

namespace chat::core {

// What became of a message: the seq rule's verdict (core/protocol/seq_rule.h), or Ignored.
using Outcome = proto::Outcome;

struct Reduced {
  ChatState state;
  Outcome outcome = Outcome::Applied;
  std::vector<Effect> effects;
};

Reduced reduce(ChatState state, const proto::GatewayMessage& msg);

}  // namespace chat::core
