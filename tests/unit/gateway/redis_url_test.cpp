// --redis URL parsing and the reconnect backoff (pure functions of src/gateway/redis).
#include <gtest/gtest.h>

#include "gateway/redis/backoff.h"
#include "gateway/redis/redis_url.h"

namespace chat::gateway::redis {
namespace {

TEST(RedisUrl, HostAndPortWithDefaults) {
  auto r = parseRedisUrl("redis://127.0.0.1:6380");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->host, "127.0.0.1");
  EXPECT_EQ(r.endpoint->port, 6380);
  EXPECT_EQ(r.endpoint->db, 0);
  EXPECT_EQ(r.endpoint->password, "");
  auto d = parseRedisUrl("redis://cache.internal");
  ASSERT_TRUE(d.endpoint) << d.error;
  EXPECT_EQ(d.endpoint->host, "cache.internal");
  EXPECT_EQ(d.endpoint->port, 6379);
}

TEST(RedisUrl, PasswordAndDb) {
  auto r = parseRedisUrl("redis://:s3cret@localhost:7000/3");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->password, "s3cret");
  EXPECT_EQ(r.endpoint->username, "");
  EXPECT_EQ(r.endpoint->host, "localhost");
  EXPECT_EQ(r.endpoint->port, 7000);
  EXPECT_EQ(r.endpoint->db, 3);
  // The description never shows the password.
  EXPECT_EQ(r.endpoint->describe(), "localhost:7000/3");
}

TEST(RedisUrl, PercentEncodedPasswordWithAtAndColon) {
  auto r = parseRedisUrl("redis://:p%40ss%3Aw0rd@h:1/0");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->password, "p@ss:w0rd");
  // An unencoded '@' in the password: the last '@' separates the host.
  auto raw = parseRedisUrl("redis://:a@b@h:2");
  ASSERT_TRUE(raw.endpoint) << raw.error;
  EXPECT_EQ(raw.endpoint->password, "a@b");
  EXPECT_EQ(raw.endpoint->host, "h");
}

TEST(RedisUrl, AclUserAndPassword) {
  auto r = parseRedisUrl("redis://gw:pw@h:6379");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->username, "gw");
  EXPECT_EQ(r.endpoint->password, "pw");
}

TEST(RedisUrl, PasswordFromEnvironmentOnlyWhenUrlHasNone) {
  auto fromEnv = parseRedisUrl("redis://h:1", "envpw");
  ASSERT_TRUE(fromEnv.endpoint);
  EXPECT_EQ(fromEnv.endpoint->password, "envpw");
  auto fromUrl = parseRedisUrl("redis://:urlpw@h:1", "envpw");
  ASSERT_TRUE(fromUrl.endpoint);
  EXPECT_EQ(fromUrl.endpoint->password, "urlpw");
}

TEST(RedisUrl, Ipv6Host) {
  auto r = parseRedisUrl("redis://[::1]:6390/1");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->host, "::1");
  EXPECT_EQ(r.endpoint->port, 6390);
  EXPECT_EQ(r.endpoint->describe(), "[::1]:6390/1");
}

TEST(RedisUrl, TrailingSlashMeansDbZero) {
  auto r = parseRedisUrl("redis://h:5/");
  ASSERT_TRUE(r.endpoint) << r.error;
  EXPECT_EQ(r.endpoint->db, 0);
}

TEST(RedisUrl, RefusesBadInput) {
  for (const char* bad :
       {"", "http://h:1", "redis://", "redis://:6379", "redis://h:", "redis://h:0", "redis://h:65536",
        "redis://h:12x", "redis://h:1/x", "redis://h:1/-1", "redis://h:1?ssl=1", "redis://h h:1",
        "redis://[::1", "redis://[zz]:1", "redis://[::1]x", "redis://:%4@h:1", "redis://:%zz@h:1",
        "redis://user@h:1", "rediss://h:1", "redis://h:99999999999999999999"}) {
    auto r = parseRedisUrl(bad);
    EXPECT_FALSE(r.endpoint) << bad;
    EXPECT_FALSE(r.error.empty()) << bad;
  }
}

TEST(RedisBackoff, DoublesUpToTheCeilingWithEqualJitter) {
  BackoffPolicy p{50, 2000};
  EXPECT_EQ(backoffDelayMs(p, 0, 0.0), 25);
  EXPECT_EQ(backoffDelayMs(p, 0, 0.999999), 49);
  EXPECT_EQ(backoffDelayMs(p, 1, 0.0), 50);
  EXPECT_EQ(backoffDelayMs(p, 3, 0.5), 300);  // cap 400: 200 + 100
  EXPECT_EQ(backoffDelayMs(p, 10, 0.0), 1000);
  EXPECT_EQ(backoffDelayMs(p, 10, 1.0), 2000);
  EXPECT_EQ(backoffDelayMs(p, 1000, 1.0), 2000);  // no overflow for a long outage
}

TEST(RedisBackoff, JitterSpreadsNodesApart) {
  BackoffPolicy p{50, 2000};
  EXPECT_NE(backoffDelayMs(p, 4, 0.1), backoffDelayMs(p, 4, 0.9));
  // Out-of-range draws are clamped, never negative or above the cap.
  EXPECT_EQ(backoffDelayMs(p, 2, -3.0), 100);
  EXPECT_EQ(backoffDelayMs(p, 2, 7.0), 200);
}

}  // namespace
}  // namespace chat::gateway::redis
