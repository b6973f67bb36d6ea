// The payload the Redis append script publishes (redis_event_log.h), decoded by every node.
#include <gtest/gtest.h>

#include "gateway/redis/redis_event_log.h"

namespace chat::gateway::redis {
namespace {

TEST(RedisPublishedBatch, DecodesSessionFirstSeqAndFrames) {
  auto b = decodePublishedBatch("3:abc41\n{\"a\":1}\n{\"b\":\"x:y\"}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->sessionId, "abc");
  ASSERT_EQ(b->events.size(), 2u);
  EXPECT_EQ(b->events[0].seq, 41);
  EXPECT_EQ(b->events[0].json, "{\"a\":1}");
  EXPECT_EQ(b->events[1].seq, 42);
  EXPECT_EQ(b->events[1].json, "{\"b\":\"x:y\"}");
}

TEST(RedisPublishedBatch, SessionIdsMayHoldTheSeparators) {
  auto b = decodePublishedBatch("4:a:\n17\n{}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->sessionId, "a:\n1");
  EXPECT_EQ(b->events[0].seq, 7);
}

TEST(RedisPublishedBatch, RefusesMalformedPayloads) {
  for (const char* bad : {"", "abc", "3:ab", "0:1\n{}", "3:abc\n{}", "3:abcx\n{}", "3:abc0\n{}",
                          "3:abc1\n", "3:abc1\n{}\n", "3:abc1\n{}\n\n{}", "9999999:a1\n{}",
                          "3:abc1", "-1:a1\n{}", "3:abc99999999999999999999\n{}"}) {
    EXPECT_FALSE(decodePublishedBatch(bad)) << bad;
  }
}

}  // namespace
}  // namespace chat::gateway::redis
