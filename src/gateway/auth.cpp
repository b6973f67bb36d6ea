#include "gateway/auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "gateway/util.h"

namespace chat::gateway {

std::string throttleKeyOf(const std::string& address) {
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;  // IPv4 (or unknown)
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    if (::inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4)) return v4;
  }
  std::memset(&v6.s6_addr[8], 0, 8);
  char text[INET6_ADDRSTRLEN];
  if (!::inet_ntop(AF_INET6, &v6, text, sizeof text)) return address;
  return std::string(text) + "/64";
}

int64_t PinAttemptLimiter::backoff(int lockouts) const {
  int64_t ms = lockoutMs_;
  for (int i = 0; i < lockouts && ms < kMaxLockoutMs; ++i) ms *= 2;
  return std::min(ms, kMaxLockoutMs);
}

void PinAttemptLimiter::report(const std::string& line) const {
  if (log_) log_(line);
  else logLine(line);
}

bool PinAttemptLimiter::lockedOut(const std::string& address, int64_t nowMs) {
  const std::string key = throttleKeyOf(address);
  auto it = entries_.find(key);
  if (it != entries_.end() && nowMs < it->second.lockedUntilMs) return true;
  if (!shared_) return false;
  try {
    return shared_->lockedOut(key, rules());
  } catch (const std::exception& e) {
    report(std::string("auth: the shared attempt budget is unreachable (this node's own counts): ") + e.what());
    return false;
  }
}

bool PinAttemptLimiter::globallyLockedOut(int64_t nowMs) const {
  if (nowMs < globalLockedUntilMs_) return true;
  if (!shared_) return false;
  try {
    return shared_->globallyLockedOut(rules());
  } catch (const std::exception& e) {
    report(std::string("auth: the shared attempt budget is unreachable (this node's own counts): ") + e.what());
    return false;
  }
}

void PinAttemptLimiter::recordFailure(const std::string& address, int64_t nowMs) {
  const std::string key = throttleKeyOf(address);
  if (shared_) {
    try {
      for (const auto& line : shared_->recordFailure(key, rules())) report(line);
    } catch (const std::exception& e) {
      report(std::string("auth: a wrong attempt counted on this node only: ") + e.what());
    }
  }
  if (entries_.size() >= kMaxTrackedAddresses && !entries_.count(key)) forgetIdle(nowMs);
  Entry& e = entries_[key];
  if (e.lockedUntilMs != 0 && nowMs >= e.lockedUntilMs) {
    e.failures = 0;  // the lockout is over: a fresh set of attempts (the backoff is kept)
    e.lockedUntilMs = 0;
  }
  e.lastFailureMs = nowMs;
  if (++e.failures >= maxAttempts_ && e.lockedUntilMs == 0) {
    int64_t ms = backoff(e.lockouts++);
    e.lockedUntilMs = nowMs + ms;
    report("auth: " + key + " locked out for " + std::to_string(ms / 1000) + " s after " +
           std::to_string(e.failures) + " wrong PINs or tokens (lockout " +
           std::to_string(e.lockouts) + ")");
  }

  if (nowMs >= globalLockedUntilMs_ && globalLockedUntilMs_ != 0) {
    // The last global lockout is over. A quiet period as long as it was forgives the backoff.
    if (nowMs - globalLockedUntilMs_ > backoff(globalLockouts_)) globalLockouts_ = 0;
    globalLockedUntilMs_ = 0;
    globalFailures_ = 0;
  }
  if (++globalFailures_ >= globalMax_ && globalLockedUntilMs_ == 0) {
    int64_t ms = backoff(globalLockouts_++);
    globalLockedUntilMs_ = nowMs + ms;
    report("auth: every PIN login locked for " + std::to_string(ms / 1000) + " s after " +
           std::to_string(globalFailures_) + " wrong PINs or tokens from all addresses (lockout " +
           std::to_string(globalLockouts_) + ")");
  }
  if (++calls_ % 1024 == 0) forgetIdle(nowMs);
}

void PinAttemptLimiter::recordSuccess(const std::string& address) {
  if (shared_) {
    try {
      shared_->recordSuccess(throttleKeyOf(address));
    } catch (const std::exception&) {
      // Its failures stay counted there until they expire: harmless.
    }
  }
  auto it = entries_.find(throttleKeyOf(address));
  if (it == entries_.end()) return;
  it->second.failures = 0;  // the backoff stays: a PIN that leaked is not a reason to forgive
}

void PinAttemptLimiter::forgetIdle(int64_t nowMs) {
  // An entry is idle once its lockout is over and its backoff would have been forgiven.
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    bool idle = nowMs >= e.lockedUntilMs && nowMs - e.lastFailureMs > backoff(e.lockouts) + lockoutMs_;
    if (idle) it = entries_.erase(it);
    else ++it;
  }
  // Still full (a guesser with very many addresses): forget a quarter's worth of unlocked ones
  // at once, so this pass runs rarely. The global budget still counts their failures.
  if (entries_.size() < kMaxTrackedAddresses) return;
  for (auto it = entries_.begin();
       it != entries_.end() && entries_.size() > kMaxTrackedAddresses * 3 / 4;) {
    if (nowMs >= it->second.lockedUntilMs) it = entries_.erase(it);
    else ++it;
  }
}

Authenticator::Authenticator(Mode mode, std::string token, std::optional<std::string> pin,
                             PinAttemptLimiter limiter)
    : mode_(mode), token_(std::move(token)), pin_(std::move(pin)), limiter_(limiter) {}

bool Authenticator::checkToken(const std::string& candidate) const {
  if (mode_ == Mode::None) return true;
  return !token_.empty() && constantTimeEquals(candidate, token_);
}

bool Authenticator::checkAuthorizationHeader(const std::string& headerValue) const {
  if (mode_ == Mode::None) return true;
  const std::string prefix = "Bearer ";
  if (headerValue.size() <= prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(headerValue[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return checkToken(headerValue.substr(prefix.size()));
}

Authenticator::TokenResult Authenticator::checkTokenAttempt(const std::string& address,
                                                           const std::string& candidate,
                                                           int64_t nowMs) {
  if (mode_ == Mode::None) return TokenResult::Ok;
  if (limiter_.lockedOut(address, nowMs)) return TokenResult::LockedOut;
  if (checkToken(candidate)) return TokenResult::Ok;
  limiter_.recordFailure(address, nowMs);
  return TokenResult::Wrong;
}

Authenticator::PinResult Authenticator::checkPin(const std::string& address,
                                                 const std::string& candidate, int64_t nowMs) {
  if (mode_ == Mode::None) return PinResult::Ok;
  if (!pin_) return PinResult::NotEnabled;
  if (limiter_.lockedOut(address, nowMs) || limiter_.globallyLockedOut(nowMs))
    return PinResult::LockedOut;
  if (constantTimeEquals(candidate, *pin_)) {
    limiter_.recordSuccess(address);
    return PinResult::Ok;
  }
  limiter_.recordFailure(address, nowMs);
  return PinResult::Wrong;
}

AuthVerdict Authenticator::judge(const proto::Auth& auth, const std::string& address,
                                 int64_t nowMs) {
  AuthVerdict v;
  if (!required()) {
    v.ok = true;
    return v;
  }
  v.code = proto::code::kUnauthorized;
  v.closeCode = 4001;
  if (auth.token && !auth.token->empty()) {
    switch (checkTokenAttempt(address, *auth.token, nowMs)) {
      case TokenResult::Ok:
        v.ok = true;
        break;
      case TokenResult::Wrong:
        v.message = "wrong token";
        break;
      case TokenResult::LockedOut:
        v.code = proto::code::kRateLimited;
        v.message = "too many wrong PINs or tokens from this address; try again later";
        v.closeCode = 4008;
        break;
    }
  } else if (auth.pin) {
    switch (checkPin(address, *auth.pin, nowMs)) {
      case PinResult::Ok:
        v.ok = true;
        break;
      case PinResult::Wrong:
        v.message = "wrong PIN";
        break;
      case PinResult::NotEnabled:
        v.message = "PIN login is not enabled";
        break;
      case PinResult::LockedOut:
        v.code = proto::code::kRateLimited;
        v.message = "too many wrong PINs; try again later";
        v.closeCode = 4008;
        break;
    }
  } else {
    v.message = "this gateway needs a token or a PIN";
  }
  if (v.ok) {
    v.code.clear();
    v.message.clear();
    v.closeCode = 0;
  }
  return v;
}

}  // namespace chat::gateway
