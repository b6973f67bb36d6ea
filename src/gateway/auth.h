// Who may talk to the gateway: a bearer token, a PIN exchanged for that token, or nobody
// checked at all (--no-auth). Wrong PINs are counted per address and lock the address out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/protocol/codec.h"
#include "core/protocol/messages.h"

namespace chat::gateway {

// Counts wrong PIN attempts per address; after `maxAttempts` wrong ones the address is locked
// out for `lockoutMs` (every attempt during the lockout is refused without being checked).
class PinAttemptLimiter {
 public:
  PinAttemptLimiter(int maxAttempts, int64_t lockoutMs)
      : maxAttempts_(maxAttempts), lockoutMs_(lockoutMs) {}
  bool lockedOut(const std::string& address, int64_t nowMs);
  void recordFailure(const std::string& address, int64_t nowMs);
  void recordSuccess(const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    int64_t lockedUntilMs = 0;
  };
  int maxAttempts_;
  int64_t lockoutMs_;
  std::unordered_map<std::string, Entry> entries_;
};

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
  // "Authorization: Bearer X" header value (whole value).
  bool checkAuthorizationHeader(const std::string& headerValue) const;

  enum class PinResult { Ok, Wrong, LockedOut, NotEnabled };
  PinResult checkPin(const std::string& address, const std::string& candidate, int64_t nowMs);

  // Judges an auth message from `address`. Without auth (--no-auth) every auth is welcome,
  // anonymous ones (no token and no pin, or an empty token) included. Otherwise a non-empty
  // token is checked, else a pin; neither is refused like a wrong token.
  AuthVerdict judge(const proto::Auth& auth, const std::string& address, int64_t nowMs);

 private:
  Mode mode_;
  std::string token_;
  std::optional<std::string> pin_;
  PinAttemptLimiter limiter_;
};

}  // namespace chat::gateway
