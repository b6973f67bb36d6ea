// ConnectionEngine: the status snapshot and when it is pushed.
//
// status() is refreshed on every tick and every event, so nextRetryInMs is as current as the
// last tick. The sink's onStatus is called only when something other than nextRetryInMs
// changed: the countdown moves every tick, and a UI that shows it reads status() when it draws.
#include "core/net/engine_impl.h"

namespace chat::net {

namespace {

bool sameExceptCountdown(const Status& a, const Status& b) {
  Status x = a;
  x.nextRetryInMs = b.nextRetryInMs;
  return x == b;
}

}  // namespace

Status ConnectionEngine::Impl::snapshot() {
  Status s;
  s.phase = phase;
  s.polling = pollingWanted();
  s.attempt = failures;
  if (phase == Phase::Waiting) {
    const int64_t left = retryAt - now();
    s.nextRetryInMs = left > 0 ? left : 0;
  }
  s.lastError = lastError;
  s.outboxSize = outbox.size();
  const bool socketOk = phase == Phase::Live;
  // Without an HTTP API configured, the socket alone decides.
  const bool apiOk = cfg.apiBase.empty() ? socketOk : apiHealthy;
  if (socketOk && apiOk) {
    s.health = Health::Full;
  } else if (socketOk || (apiOk && !socketStillComing())) {
    s.health = Health::Partial;
  } else {
    s.health = Health::Disconnected;
  }
  return s;
}

bool ConnectionEngine::Impl::socketStillComing() const {
  // The socket has not failed since it was last live (or since the start): it is opening. An
  // API that answers first is no reason to say "Polling" (nothing polls yet) or to tell an
  // embedding host "partial" for the ~100 ms of every healthy load.
  return !down && (phase == Phase::Connecting || phase == Phase::Authenticating ||
                   phase == Phase::Resuming);
}

void ConnectionEngine::Impl::publishStatus() {
  status = snapshot();
  // Nothing is pushed before the first attempt has an outcome: observers (the page's status
  // events, an embedding host) hear "full" on a healthy load, not a transient state first.
  if (!everPushed && socketStillComing()) return;
  if (publishing) {
    publishAgain = true;  // called from inside onStatus: the outer loop pushes the news
    return;
  }
  publishing = true;
  std::weak_ptr<bool> weak = alive;
  for (int round = 0; round < 8; ++round) {
    publishAgain = false;
    if (everPushed && sameExceptCountdown(status, pushed)) break;
    pushed = status;
    everPushed = true;
    sink.onStatus(pushed);
    if (weak.expired()) return;
    if (!publishAgain) break;
    status = snapshot();
  }
  publishing = false;
}

}  // namespace chat::net
