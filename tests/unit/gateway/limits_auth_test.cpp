// Rate limiter, connection counts, PIN lockout and token checks, on a fake clock (plain ms).
#include <gtest/gtest.h>

#include <string>

#include "gateway/auth.h"
#include "gateway/limits.h"

using namespace chat::gateway;

TEST(TokenBucket, AllowsTheBurstThenRefillsAtTheRate) {
  TokenBucket bucket(10, 5);  // 10/s, burst 5
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.tryTake(1000));
  EXPECT_FALSE(bucket.tryTake(1000));
  EXPECT_FALSE(bucket.tryTake(1050));  // half a token
  EXPECT_TRUE(bucket.tryTake(1100));   // one token after 100 ms
  EXPECT_FALSE(bucket.tryTake(1100));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.tryTake(100000));  // refilled to the burst only
  EXPECT_FALSE(bucket.tryTake(100000));
}

TEST(TokenBucket, ToleratesAClockGoingBackwards) {
  TokenBucket bucket(1, 1);
  EXPECT_TRUE(bucket.tryTake(5000));
  EXPECT_FALSE(bucket.tryTake(4000));
  EXPECT_TRUE(bucket.tryTake(6000));
}

TEST(MessageRateLimiter, RefusesThenDisconnectsAPersistentFlood) {
  MessageRateLimiter limiter(1, 2, 3);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Accept);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Accept);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Refuse);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Refuse);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Refuse);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Disconnect);
}

TEST(MessageRateLimiter, AnAcceptedMessageForgivesEarlierRefusals) {
  MessageRateLimiter limiter(1, 1, 2);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Accept);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Refuse);
  EXPECT_EQ(limiter.onMessage(0), MessageRateLimiter::Verdict::Refuse);
  EXPECT_EQ(limiter.onMessage(1000), MessageRateLimiter::Verdict::Accept);
  EXPECT_EQ(limiter.onMessage(1000), MessageRateLimiter::Verdict::Refuse);
}

TEST(ConnectionCounter, LimitsPerAddressAndReleasesOnSlotDestruction) {
  auto counter = std::make_shared<ConnectionCounter>(2);
  auto a = counter->tryAcquire("1.1.1.1");
  auto b = counter->tryAcquire("1.1.1.1");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(counter->tryAcquire("1.1.1.1"), nullptr);
  auto other = counter->tryAcquire("2.2.2.2");
  EXPECT_NE(other, nullptr);
  EXPECT_EQ(counter->total(), 3);
  a.reset();
  EXPECT_EQ(counter->count("1.1.1.1"), 1);
  EXPECT_NE(counter->tryAcquire("1.1.1.1"), nullptr);  // released at once again
  EXPECT_EQ(counter->count("1.1.1.1"), 1);
}

// A trusted reverse proxy (--trusted-proxy) holds every user's connections: it is held to the
// total only, never to the per-address cap.
TEST(ConnectionCounter, AnAddressExemptFromThePerAddressCapStillCountsTowardsTheTotal) {
  auto counter = std::make_shared<ConnectionCounter>(1, 3);
  auto a = counter->tryAcquire("10.0.0.5", false);
  auto b = counter->tryAcquire("10.0.0.5", false);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(counter->tryAcquire("10.0.0.5")) << "held to the cap when not exempt";
  auto c = counter->tryAcquire("10.0.0.5", false);
  ASSERT_TRUE(c);
  EXPECT_FALSE(counter->tryAcquire("10.0.0.5", false)) << "the total (3) is reached";
  EXPECT_FALSE(counter->tryAcquire("198.51.100.1"));
  b.reset();
  EXPECT_TRUE(counter->tryAcquire("198.51.100.1"));
}

TEST(ConnectionCounter, SlotOutlivingTheCounterIsHarmless) {
  std::unique_ptr<ConnectionCounter::Slot> slot;
  {
    auto counter = std::make_shared<ConnectionCounter>(1);
    slot = counter->tryAcquire("x");
  }
  slot.reset();
  SUCCEED();
}

TEST(PinAttemptLimiter, LocksAnAddressOutAfterTooManyWrongPinsUntilTheLockoutEnds) {
  Authenticator auth(Authenticator::Mode::Pin, "tok", std::string("1234"),
                     PinAttemptLimiter(3, 60000));
  EXPECT_EQ(auth.checkPin("a", "0000", 0), Authenticator::PinResult::Wrong);
  EXPECT_EQ(auth.checkPin("a", "0000", 1), Authenticator::PinResult::Wrong);
  EXPECT_EQ(auth.checkPin("a", "0000", 2), Authenticator::PinResult::Wrong);
  // Locked: even the right PIN is refused, without being checked.
  EXPECT_EQ(auth.checkPin("a", "1234", 3), Authenticator::PinResult::LockedOut);
  // Another address is not affected.
  EXPECT_EQ(auth.checkPin("b", "1234", 3), Authenticator::PinResult::Ok);
  EXPECT_EQ(auth.checkPin("a", "1234", 60002), Authenticator::PinResult::Ok);
}

TEST(PinAttemptLimiter, ASuccessResetsTheCount) {
  Authenticator auth(Authenticator::Mode::Pin, "tok", std::string("1234"),
                     PinAttemptLimiter(2, 1000));
  EXPECT_EQ(auth.checkPin("a", "0", 0), Authenticator::PinResult::Wrong);
  EXPECT_EQ(auth.checkPin("a", "1234", 0), Authenticator::PinResult::Ok);
  EXPECT_EQ(auth.checkPin("a", "0", 0), Authenticator::PinResult::Wrong);
  EXPECT_EQ(auth.checkPin("a", "1234", 0), Authenticator::PinResult::Ok);
}

TEST(Authenticator, ChecksTokensAndBearerHeaders) {
  Authenticator auth(Authenticator::Mode::Token, "secret", std::nullopt, PinAttemptLimiter(5, 1));
  EXPECT_TRUE(auth.required());
  EXPECT_TRUE(auth.checkToken("secret"));
  EXPECT_FALSE(auth.checkToken("secreT"));
  EXPECT_FALSE(auth.checkToken(""));
  EXPECT_FALSE(auth.checkToken("secret2"));
  EXPECT_TRUE(auth.checkAuthorizationHeader("Bearer secret"));
  EXPECT_TRUE(auth.checkAuthorizationHeader("bearer secret"));
  EXPECT_FALSE(auth.checkAuthorizationHeader("Basic secret"));
  EXPECT_FALSE(auth.checkAuthorizationHeader("Bearer "));
  EXPECT_FALSE(auth.checkAuthorizationHeader(""));
  EXPECT_EQ(auth.checkPin("a", "x", 0), Authenticator::PinResult::NotEnabled);
}

TEST(Authenticator, NoAuthAcceptsEverything) {
  Authenticator auth(Authenticator::Mode::None, "", std::nullopt, PinAttemptLimiter(5, 1));
  EXPECT_FALSE(auth.required());
  EXPECT_TRUE(auth.checkToken("anything"));
  EXPECT_TRUE(auth.checkAuthorizationHeader(""));
}

TEST(AddressRateLimiter, EachAddressHasItsOwnBudgetThatRefillsAtTheRate) {
  AddressRateLimiter limiter(10, 3);  // 10/s after a burst of 3
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.tryTake("10.0.0.1", 1000));
  EXPECT_FALSE(limiter.tryTake("10.0.0.1", 1000));
  EXPECT_EQ(limiter.msUntilAllowed("10.0.0.1", 1000), 100);
  EXPECT_EQ(limiter.msUntilAllowed("10.0.0.1", 1060), 40);
  EXPECT_TRUE(limiter.tryTake("10.0.0.2", 1000)) << "another address is not affected";
  EXPECT_FALSE(limiter.tryTake("10.0.0.1", 1099));
  EXPECT_TRUE(limiter.tryTake("10.0.0.1", 1100));  // one token after 100 ms
  EXPECT_FALSE(limiter.tryTake("10.0.0.1", 1100));
  EXPECT_EQ(limiter.msUntilAllowed("never-seen", 1100), 0);
}

TEST(AddressRateLimiter, ForgetsAddressesWhoseBucketHasRefilled) {
  AddressRateLimiter limiter(10, 2);
  for (int i = 0; i < 2000; ++i) limiter.tryTake("10.1." + std::to_string(i), 0);
  EXPECT_GT(limiter.trackedAddresses(), 1000u);
  // 200 ms later every bucket is full again: the next sweep drops them; the sender stays.
  for (int i = 0; i < 1024; ++i) limiter.tryTake("10.9.9.9", 200 + i * 100);
  EXPECT_LE(limiter.trackedAddresses(), 1u);
}

TEST(ConnectionBudget, KeepsAReserveAndHalvesTheRestPerAddress) {
  auto small = connectionBudgetFor(1024);
  EXPECT_EQ(small.total, 1024 - 64);
  EXPECT_EQ(small.perAddress, (1024 - 64) / 2);
  auto big = connectionBudgetFor(1048576);
  EXPECT_EQ(big.total, 1048576 - 65536);
  EXPECT_GE(big.perAddress, 10000) << "loopback benchmarks still open thousands";
  EXPECT_GE(connectionBudgetFor(10).total, 1);
}

TEST(ConnectionCounter, RefusesBeyondTheTotalWhateverTheAddress) {
  auto counter = std::make_shared<ConnectionCounter>(10, 3);
  auto a = counter->tryAcquire("a");
  auto b = counter->tryAcquire("b");
  auto c = counter->tryAcquire("c");
  EXPECT_TRUE(a && b && c);
  EXPECT_FALSE(counter->tryAcquire("d"));
  c.reset();
  EXPECT_TRUE(counter->tryAcquire("d"));
}
