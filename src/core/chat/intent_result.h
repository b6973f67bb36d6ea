// The three ways an intent ends, shared by every intent file (intents.cpp,
// session_list_intents.cpp): refused with a reason (raised as a Refused error), accepted with a
// message to send, or accepted with nothing to send.
#pragma once

#include <string>
#include <utility>

#include "core/chat/intents.h"
#include "core/chat/transcript.h"

namespace chat::core::detail {

inline IntentResult refuse(ChatState state, std::string reason) {
  IntentResult r;
  r.state = std::move(state);
  r.error = reason;
  Step(r.effects).raise(r.state, ChatError{ErrorKind::Refused, std::string(), std::move(reason)});
  return r;
}

inline IntentResult accept(ChatState state, proto::ClientMessage outgoing) {
  IntentResult r;
  r.state = std::move(state);
  r.outgoing = std::move(outgoing);
  return r;
}

inline IntentResult nothing(ChatState state) {
  IntentResult r;
  r.state = std::move(state);
  return r;
}

}  // namespace chat::core::detail
