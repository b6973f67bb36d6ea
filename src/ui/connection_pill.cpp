#include "ui/connection_pill.h"

#include <algorithm>

#include "ui/format.h"

namespace chat::ui {

using net::Health;
using net::Phase;

PillInfo connectionPill(const net::Status& status, int64_t retryInMs) {
  PillInfo p;
  if (status.phase == Phase::Unauthorized) {
    p.text = "Unauthorized \xE2\x80\x94 check your token or PIN";
    p.tone = PillTone::Red;
    return p;
  }
  switch (status.health) {
    case Health::Full:
      p.text = "Connected";
      p.tone = PillTone::Green;
      return p;
    case Health::Partial:
      p.text = "Polling";
      p.tone = PillTone::Amber;
      p.showRetry = status.phase == Phase::Waiting;  // reconnect the socket sooner
      return p;
    case Health::Disconnected: break;
  }
  const int attempt = std::max(1, status.attempt);
  switch (status.phase) {
    case Phase::Waiting:
      p.text = "Disconnected \xE2\x80\x94 retry " + std::to_string(attempt) + " in " +
               formatCountdown(retryInMs);
      p.tone = PillTone::Red;
      p.showRetry = true;
      p.counting = true;
      return p;
    case Phase::Connecting:
    case Phase::Authenticating:
    case Phase::Resuming:
      if (status.attempt == 0) {
        p.text = "Connecting\xE2\x80\xA6";
        p.tone = PillTone::Grey;
      } else {
        p.text = "Disconnected \xE2\x80\x94 retry " + std::to_string(attempt) + "\xE2\x80\xA6";
        p.tone = PillTone::Red;
      }
      return p;
    case Phase::Idle:
      p.text = "Not connected";
      p.tone = PillTone::Grey;
      p.showRetry = true;
      return p;
    default:
      p.text = "Disconnected";
      p.tone = PillTone::Red;
      p.showRetry = true;
      return p;
  }
}

PillInfo signInPill() {
  PillInfo p;
  p.text = "Sign in to connect";
  p.tone = PillTone::Grey;
  return p;
}

int64_t RetryCountdown::remainingMs(const net::Status& status, int64_t nowMs) {
  if (status.phase != Phase::Waiting) {
    valid_ = false;
    return 0;
  }
  if (!valid_ || status.attempt != attempt_ || status.nextRetryInMs != base_) {
    valid_ = true;
    attempt_ = status.attempt;
    base_ = status.nextRetryInMs;
    seenAt_ = nowMs;
  }
  return std::max<int64_t>(0, base_ - (nowMs - seenAt_));
}

}  // namespace chat::ui
