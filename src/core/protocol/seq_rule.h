// The seq rule (DESIGN.md): a session's events are applied in seq order, each once. Event N+1
// after N applies; an event at or below N is a duplicate (dropped); one beyond N+1 reveals a
// gap (not applied: the client resumes from N). The chat reducer applies it to its state and
// the connection engine resumes after a gap; both read the verdict from here, so the connection
// layer needs nothing of the reducer.
#pragma once

#include <cstdint>

namespace chat::proto {

// What became of one gateway message in the client's state.
enum class Outcome {
  Applied,    // the message changed the state (or was a valid connection-level message)
  Duplicate,  // a session event at or below the session's last applied seq: dropped
  Gap,        // a session event beyond lastSeq+1: NOT applied; resume from lastSeq
  Ignored,    // understood but not relevant (e.g. pong)
};

// The rule itself, for a session event `seq` when `lastApplied` is the session's last applied
// seq (0: none yet): Applied (it is next), Duplicate or Gap.
constexpr Outcome seqOutcome(int64_t lastApplied, int64_t seq) {
  if (seq <= lastApplied) return Outcome::Duplicate;
  if (seq > lastApplied + 1) return Outcome::Gap;
  return Outcome::Applied;
}

}  // namespace chat::proto
