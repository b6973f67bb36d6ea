// Review finding 2: PIN guessing from many addresses. Failures are counted per address (IPv6
// by its /64) with exponential backoff, and against a global budget on top; wrong tokens sent
// to be checked share the budget; lockouts are logged.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/auth.h"

using namespace chat::gateway;
using PinResult = Authenticator::PinResult;
using TokenResult = Authenticator::TokenResult;

namespace {
Authenticator pinAuth(int perAddress, int global, std::vector<std::string>* logs) {
  Authenticator auth(Authenticator::Mode::Pin, "the-token", std::string("4321"),
                     PinAttemptLimiter(perAddress, 60000, global));
  auth.limiter().setLogger([logs](const std::string& line) { logs->push_back(line); });
  return auth;
}
std::string loopback(int i) {
  return "127.0." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250);
}
}  // namespace

TEST(AuthThrottle, ThousandsOfAddressesCannotTryEveryPin) {
  std::vector<std::string> logs;
  Authenticator auth = pinAuth(5, 100, &logs);
  // The reviewer's attack: 2,000 addresses, 5 guesses each, all 10,000 PINs in seconds.
  int checked = 0;
  bool found = false;
  for (int pin = 0; pin < 10000; ++pin) {
    char guess[5];
    std::snprintf(guess, sizeof guess, "%04d", pin);
    auto r = auth.checkPin(loopback(pin / 5), guess, 1000 + pin / 3);  // ~3 guesses a ms
    checked += r != PinResult::LockedOut;
    found = found || r == PinResult::Ok;
  }
  EXPECT_FALSE(found);
  EXPECT_LE(checked, 100) << "the global budget stops the guessing";
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().find("every PIN login locked"), std::string::npos) << logs.back();
  // A user on a fresh address is refused too while the global lockout lasts...
  EXPECT_EQ(auth.checkPin("10.9.9.9", "4321", 5000), PinResult::LockedOut);
  // ...but holders of the token keep working.
  EXPECT_EQ(auth.checkTokenAttempt("10.9.9.9", "the-token", 5000), TokenResult::Ok);
}

TEST(AuthThrottle, GlobalLockoutsBackOffExponentially) {
  std::vector<std::string> logs;
  Authenticator auth = pinAuth(1000, 10, &logs);
  int64_t now = 0;
  for (int i = 0; i < 10; ++i) auth.checkPin(loopback(i), "0000", now);
  EXPECT_EQ(auth.checkPin("10.0.0.1", "4321", now + 59999), PinResult::LockedOut);
  now += 60000;  // first lockout over
  for (int i = 0; i < 10; ++i) auth.checkPin(loopback(i), "0000", now);
  EXPECT_EQ(auth.checkPin("10.0.0.1", "4321", now + 119999), PinResult::LockedOut);
  EXPECT_EQ(auth.checkPin("10.0.0.1", "4321", now + 120000), PinResult::Ok);
  EXPECT_EQ(logs.size(), 2u);
}

TEST(AuthThrottle, AnAddressIsLockedLongerEachTime) {
  std::vector<std::string> logs;
  Authenticator auth = pinAuth(3, 1000000, &logs);
  int64_t now = 0;
  for (int i = 0; i < 3; ++i) auth.checkPin("192.0.2.7", "0000", now);
  EXPECT_EQ(auth.checkPin("192.0.2.7", "4321", now + 59999), PinResult::LockedOut);
  now += 60000;
  for (int i = 0; i < 3; ++i) auth.checkPin("192.0.2.7", "0000", now);
  EXPECT_EQ(auth.checkPin("192.0.2.7", "4321", now + 119999), PinResult::LockedOut);
  EXPECT_EQ(auth.checkPin("192.0.2.7", "4321", now + 120000), PinResult::Ok);
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_NE(logs[0].find("192.0.2.7 locked out for 60 s"), std::string::npos) << logs[0];
  EXPECT_NE(logs[1].find("locked out for 120 s"), std::string::npos) << logs[1];
}

TEST(AuthThrottle, IPv6AddressesAreCountedByTheirSlash64) {
  EXPECT_EQ(throttleKeyOf("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttleKeyOf("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttleKeyOf("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(throttleKeyOf("192.0.2.1"), "192.0.2.1");
  std::vector<std::string> logs;
  Authenticator auth = pinAuth(3, 1000000, &logs);
  auth.checkPin("2001:db8:1:2::1", "0", 0);
  auth.checkPin("2001:db8:1:2::2", "0", 0);
  auth.checkPin("2001:db8:1:2:abcd::3", "0", 0);
  EXPECT_EQ(auth.checkPin("2001:db8:1:2::99", "4321", 1), PinResult::LockedOut);
  EXPECT_EQ(auth.checkPin("2001:db8:1:3::1", "4321", 1), PinResult::Ok);
}

TEST(AuthThrottle, WrongTokensShareTheBudget) {
  std::vector<std::string> logs;
  Authenticator auth = pinAuth(5, 1000000, &logs);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(auth.checkTokenAttempt("198.51.100.1", "guess" + std::to_string(i), 0),
              TokenResult::Wrong);
  EXPECT_EQ(auth.checkTokenAttempt("198.51.100.1", "the-token", 1), TokenResult::LockedOut);
  EXPECT_EQ(auth.checkPin("198.51.100.1", "4321", 1), PinResult::LockedOut);
  chat::proto::Auth message;
  message.token = "guess";
  AuthVerdict v = auth.judge(message, "198.51.100.1", 2);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.code, "rate_limited");
  EXPECT_EQ(v.closeCode, 4008);
}

TEST(AuthThrottle, MemoryStaysBoundedUnderManyAddresses) {
  PinAttemptLimiter limiter(5, 1000, 1000000000);
  limiter.setLogger([](const std::string&) {});
  for (int i = 0; i < 300000; ++i)
    limiter.recordFailure("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) +
                              "." + std::to_string(i & 255),
                          i / 100);
  EXPECT_LE(limiter.trackedAddresses(), PinAttemptLimiter::kMaxTrackedAddresses);
}
