#include "gateway/auth.h"

#include <cctype>

#include "gateway/util.h"

namespace chat::gateway {

bool PinAttemptLimiter::lockedOut(const std::string& address, int64_t nowMs) {
  auto it = entries_.find(address);
  if (it == entries_.end()) return false;
  if (it->second.lockedUntilMs == 0) return false;
  if (nowMs < it->second.lockedUntilMs) return true;
  entries_.erase(it);  // the lockout is over: a fresh set of attempts
  return false;
}

void PinAttemptLimiter::recordFailure(const std::string& address, int64_t nowMs) {
  Entry& e = entries_[address];
  if (++e.failures >= maxAttempts_) e.lockedUntilMs = nowMs + lockoutMs_;
}

void PinAttemptLimiter::recordSuccess(const std::string& address) { entries_.erase(address); }

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

Authenticator::PinResult Authenticator::checkPin(const std::string& address,
                                                 const std::string& candidate, int64_t nowMs) {
  if (mode_ == Mode::None) return PinResult::Ok;
  if (!pin_) return PinResult::NotEnabled;
  if (limiter_.lockedOut(address, nowMs)) return PinResult::LockedOut;
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
    v.ok = checkToken(*auth.token);
    v.message = "wrong token";
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
        v.message = "too many wrong PINs from this address; try again later";
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
