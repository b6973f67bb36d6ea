// Who may talk to the gateway: a bearer token, a PIN exchanged for that token, or nobody
// checked at all (--no-auth). Wrong PINs are counted per address and lock the address out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/protocol/codec.h"
#include "core/protocol/messages.h"

namespace chat::gateway {

// The rules of the wrong-attempt budget (PinAttemptLimiter below says what they mean).
struct AttemptRules {
  int maxAttempts = 0;
  int64_t lockoutMs = 0;
  int globalMaxFailures = 0;
  int64_t maxLockoutMs = 0;
};

// The same budget kept where several gateway nodes count together (--redis:
// redis/redis_pin_budget.h), so wrong PINs spread over the nodes lock out as on one node.
// Its clock is its own (one for all nodes). Calls throw when the store cannot be reached.
class SharedAttemptBudget {
 public:
  virtual ~SharedAttemptBudget() = default;
  virtual bool lockedOut(const std::string& throttleKey, const AttemptRules& rules) = 0;
  virtual bool globallyLockedOut(const AttemptRules& rules) = 0;
  // Returns the lockouts this failure started, as log lines.
  virtual std::vector<std::string> recordFailure(const std::string& throttleKey,
                                                 const AttemptRules& rules) = 0;
  virtual void recordSuccess(const std::string& throttleKey) = 0;
};

// Counts wrong credentials (PINs, and tokens sent to be checked) and locks guessers out:
// - per address, IPv6 counted by its /64 (one host has a whole /64 to pick from): after
//   `maxAttempts` wrong ones the address is locked out for `lockoutMs`, doubled for every
//   further lockout of that address (exponential backoff, at most a day);
// - globally, on top: after `globalMaxFailures` wrong ones from all addresses together (a
//   guesser with thousands of addresses), every PIN login is refused for `lockoutMs`, doubled
//   for each global lockout that follows the last without a quiet period between them.
// Lockouts are logged. Memory is bounded: idle entries are forgotten, the table is capped.
// Shared (share()): the shared budget decides as well; this process's own counters still count
// (a lockout from either holds), so a node that cannot reach the store keeps its own budget.
class PinAttemptLimiter {
 public:
  static constexpr int kDefaultGlobalMaxFailures = 100;
  static constexpr int64_t kMaxLockoutMs = 24LL * 3600 * 1000;
  static constexpr std::size_t kMaxTrackedAddresses = 100000;

  PinAttemptLimiter(int maxAttempts, int64_t lockoutMs,
                    int globalMaxFailures = kDefaultGlobalMaxFailures)
      : maxAttempts_(maxAttempts), lockoutMs_(lockoutMs), globalMax_(globalMaxFailures) {}
  // The address (its /64 for IPv6) is locked out at nowMs.
  bool lockedOut(const std::string& address, int64_t nowMs);
  // Every PIN login is locked out at nowMs (the global budget is spent).
  bool globallyLockedOut(int64_t nowMs) const;
  void recordFailure(const std::string& address, int64_t nowMs);
  void recordSuccess(const std::string& address);
  // Counts with the other nodes from now on (see above).
  void share(std::shared_ptr<SharedAttemptBudget> budget) { shared_ = std::move(budget); }
  AttemptRules rules() const { return {maxAttempts_, lockoutMs_, globalMax_, kMaxLockoutMs}; }
  // Where lockouts are reported (default: the gateway log).
  void setLogger(std::function<void(const std::string&)> log) { log_ = std::move(log); }
  std::size_t trackedAddresses() const { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    int lockouts = 0;  // lockouts so far: the next one lasts lockoutMs * 2^lockouts
    int64_t lockedUntilMs = 0;
    int64_t lastFailureMs = 0;
  };
  int64_t backoff(int lockouts) const;
  void forgetIdle(int64_t nowMs);
  void report(const std::string& line) const;

  int maxAttempts_;
  int64_t lockoutMs_;
  int globalMax_;
  int globalFailures_ = 0;
  int globalLockouts_ = 0;
  int64_t globalLockedUntilMs_ = 0;
  uint64_t calls_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::function<void(const std::string&)> log_;
  std::shared_ptr<SharedAttemptBudget> shared_;
};

// The key failures are counted under: the address itself for IPv4 (an IPv4-mapped IPv6
// address counts as its IPv4 address), the /64 prefix for IPv6 ("2001:db8:1:2::/64").
std::string throttleKeyOf(const std::string& address);

// The answer to an `auth` message.
struct AuthVerdict {
  bool ok = false;
  std::string code;        // refused: unauthorized, or rate_limited during a PIN lockout
  std::string message;
  uint16_t closeCode = 0;  // refused: 4001, or 4008 during a PIN lockout
};

class Authenticator {
 public:
  enum class Mode { Token, Pin, None };
  // token: the gateway's token (made by the caller when none was given); pin: optional.
  Authenticator(Mode mode, std::string token, std::optional<std::string> pin,
                PinAttemptLimiter limiter);

  Mode mode() const { return mode_; }
  const std::string& token() const { return token_; }
  bool required() const { return mode_ != Mode::None; }

  bool checkToken(const std::string& candidate) const;
  // A token sent to be checked (auth message, POST /api/auth): wrong ones count against the
  // address's and the global budget like wrong PINs; a locked-out address is refused without
  // a check. The global lockout does not refuse tokens: a right one cannot be guessed, and the
  // users who hold one keep working while PIN logins are locked.
  enum class TokenResult { Ok, Wrong, LockedOut };
  TokenResult checkTokenAttempt(const std::string& address, const std::string& candidate,
                                int64_t nowMs);
  // "Authorization: Bearer X" header value (whole value).
  bool checkAuthorizationHeader(const std::string& headerValue) const;

  enum class PinResult { Ok, Wrong, LockedOut, NotEnabled };
  PinResult checkPin(const std::string& address, const std::string& candidate, int64_t nowMs);

  // Judges an auth message from `address`. Without auth (--no-auth) every auth is welcome,
  // anonymous ones (no token and no pin, or an empty token) included. Otherwise a non-empty
  // token is checked, else a pin; neither is refused like a wrong token.
  AuthVerdict judge(const proto::Auth& auth, const std::string& address, int64_t nowMs);

  PinAttemptLimiter& limiter() { return limiter_; }

 private:
  Mode mode_;
  std::string token_;
  std::optional<std::string> pin_;
  PinAttemptLimiter limiter_;
};

}  // namespace chat::gateway
