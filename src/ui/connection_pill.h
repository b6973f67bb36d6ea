// What the header's connection pill says for a connection Status: pure, so every state's text
// and colour is unit tested. The retry countdown is derived from the Status snapshot and the
// clock, so it counts down smoothly whether or not the engine refreshes nextRetryInMs.
#pragma once

#include <cstdint>
#include <string>

#include "core/net/status.h"

namespace chat::ui {

enum class PillTone { Green, Amber, Red, Grey };

struct PillInfo {
  std::string text;
  PillTone tone = PillTone::Grey;
  bool showRetry = false;  // offer "Retry now"
  bool counting = false;   // the text changes as time passes (a countdown)
};

PillInfo connectionPill(const net::Status& status, int64_t retryInMs);
// While the sign-in panel asks for credentials: a calm grey "Sign in to connect" instead of a
// red "Unauthorized" (a first visit without a token is not an error; the panel says the rest).
PillInfo signInPill();

class RetryCountdown {
 public:
  // Time left before the next attempt as of nowMs (0 when not waiting).
  int64_t remainingMs(const net::Status& status, int64_t nowMs);

 private:
  bool valid_ = false;
  int attempt_ = 0;
  int64_t base_ = 0;
  int64_t seenAt_ = 0;
};

}  // namespace chat::ui
