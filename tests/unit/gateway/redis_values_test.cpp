// The values the Redis code reads back (pure functions of src/gateway/redis): numbers Redis
// returns as strings, and the `queued` hash's turns.
#include <gtest/gtest.h>

#include "gateway/redis/redis_queued_turns.h"
#include "gateway/redis/redis_reply.h"

namespace chat::gateway::redis {
namespace {

TEST(RedisValues, DecimalsAreNonNegativeAndBounded) {
  EXPECT_EQ(decimalOf("0").value_or(-1), 0);
  EXPECT_EQ(decimalOf("42").value_or(-1), 42);
  EXPECT_EQ(decimalOf("999999999999999999").value_or(-1), 999999999999999999);
  for (const char* bad : {"", "-1", "1.5", " 1", "12a", "1000000000000000000"})
    EXPECT_FALSE(decimalOf(bad)) << bad;
}

RedisReply str(std::string s) { return RedisReply{RedisReply::Type::String, 0, std::move(s), {}}; }

TEST(RedisValues, QueuedTurnsRoundTripInEchoOrderPerSession) {
  QueuedTurn a{"s-1", "c-2", "second", "m", false};
  QueuedTurn b{"s-1", "c-1", "first", "", true};
  QueuedTurn c{"s-0", "c-9", "other chat", "", false};
  const std::vector<RedisReply> values = {str(encodeQueuedTurn(a, "node-a", 12)),
                                          str("not json"), str(R"({"sessionId":"s-1"})"),
                                          str(encodeQueuedTurn(b, "node-b", 7)),
                                          str(encodeQueuedTurn(c, "node-a", 30))};
  const std::vector<QueuedTurn> turns = decodeQueuedTurns(values);
  ASSERT_EQ(turns.size(), 3u) << "what this code did not write is skipped";
  EXPECT_EQ(turns[0].requestId, "c-9");
  EXPECT_EQ(turns[1].requestId, "c-1");
  EXPECT_TRUE(turns[1].cancelled);
  EXPECT_EQ(turns[1].content, "first");
  EXPECT_EQ(turns[2].requestId, "c-2");
  EXPECT_EQ(turns[2].model, "m");
}

}  // namespace
}  // namespace chat::gateway::redis
