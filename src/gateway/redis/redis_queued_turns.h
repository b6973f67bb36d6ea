// The `queued` hash's values (chat.sends echoed but not started, one JSON object each): written
// by the commit path's append script, read back by the startup recovery and by the sweep that
// adopts a dead node's waiting sends. One encoder and one decoder, so both readers agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/event_store.h"
#include "gateway/redis/redis_reply.h"

namespace chat::gateway::redis {

// `node`: the run that queued it (the append script and the sweep compare it); `echoSeq`: the
// seq of its echo, its place in the session's order.
std::string encodeQueuedTurn(const QueuedTurn& turn, const std::string& node, int64_t echoSeq);

// The values of HVALS `queued` (or a script's list of them): values this code did not write are
// skipped, never a crash; each session's turns in the order they were echoed.
std::vector<QueuedTurn> decodeQueuedTurns(const std::vector<RedisReply>& values);

}  // namespace chat::gateway::redis
