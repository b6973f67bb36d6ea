// ConnectionEngine, HTTP side: the health probe, the PIN exchange, and the fallback that keeps
// a chat working while the socket is down (long-poll GET /events, POST /send of the outbox).
#include <string_view>
#include <utility>

#include "core/net/backoff.h"
#include "core/net/engine_impl.h"
#include "core/net/http_api.h"
#include "core/protocol/codec.h"

namespace chat::net {

bool ConnectionEngine::Impl::pollingWanted() const {
  // From the first failure of the socket until it is live again (also while it reconnects).
  return started() && down && !cfg.apiBase.empty() && phase != Phase::Live &&
         phase != Phase::Unauthorized && phase != Phase::Idle;
}

void ConnectionEngine::Impl::issue(HttpSlot& slot, const HttpTransport::Request& req,
                                   std::function<void(const HttpTransport::Response&)> onDone) {
  slot.busy = true;
  const uint64_t generation = ++slot.generation;
  std::weak_ptr<bool> weak = alive;
  HttpSlot* s = &slot;
  HttpTransport::RequestId id =
      http.request(req, [this, weak, s, generation, onDone](const HttpTransport::Response& r) {
        if (weak.expired() || !s->busy || s->generation != generation) return;
        s->busy = false;
        onDone(r);
        if (weak.expired()) return;
        pump();
      });
  // A transport that (against the contract) answered synchronously has already freed the slot.
  if (slot.busy && slot.generation == generation) slot.id = id;
}

void ConnectionEngine::Impl::cancel(HttpSlot& slot) {
  if (!slot.busy) return;
  slot.busy = false;
  ++slot.generation;
  http.cancel(slot.id);
}

void ConnectionEngine::Impl::cancelAllHttp() {
  cancel(healthSlot);
  cancel(authSlot);
  cancel(pollSlot);
  cancel(sendSlot);
  cancel(historySlot);
}

void ConnectionEngine::Impl::stepHttp(int64_t t) {
  if (cfg.apiBase.empty() || !started() || phase == Phase::Unauthorized) return;

  const bool polling = pollingWanted();
  // While polling, each answered poll says the API is healthy; otherwise (or while it seems
  // down) probe.
  if ((!polling || !apiHealthy) && !healthSlot.busy && t >= nextHealthAt) {
    issue(healthSlot, http_api::health(cfg.apiBase),
          [this](const HttpTransport::Response& r) { onHealth(r); });
  }
  if (!polling) {
    cancel(pollSlot);
    cancel(sendSlot);
    return;
  }
  if (token.empty() && !cfg.pin.empty()) {
    // HTTP needs a bearer token: exchange the PIN first (the socket can use the PIN itself).
    if (!authSlot.busy && t >= pollRetryAt) {
      issue(authSlot, http_api::exchangePin(cfg.apiBase, cfg.pin),
            [this](const HttpTransport::Response& r) { onPinExchanged(r); });
    }
    return;
  }
  if (!pollSlot.busy && t >= pollRetryAt) {
    issue(pollSlot,
          http_api::events(cfg.apiBase, token, sessionId, sink.lastAppliedSeq(sessionId),
                           cfg.pollWaitMs),
          [this](const HttpTransport::Response& r) { onPoll(r); });
  }
  // One POST at a time, oldest first: the order of the outbox is the order of the chat.
  if (!sendSlot.busy && t >= sendRetryAt) {
    for (const OutboxEntry& e : outbox.entries()) {
      if (e.notBefore > t) continue;
      sendingId = e.id;
      const std::string id = e.id;
      issue(sendSlot, http_api::send(cfg.apiBase, token, e.frame),
            [this, id](const HttpTransport::Response& r) { onPosted(id, r); });
      break;
    }
  }
}

// Any answer below 500 proves the API reachable; network errors and 5xx do not.
void ConnectionEngine::Impl::markApi(int status) {
  const bool ok = status > 0 && status < 500;
  if (!ok && apiHealthy) {
    const int64_t soon = now() + kUnhealthyProbeMs;
    if (nextHealthAt > soon) nextHealthAt = soon;
  }
  apiHealthy = ok;
}

void ConnectionEngine::Impl::onHealth(const HttpTransport::Response& r) {
  apiHealthy = http_api::isSuccess(r.status);
  nextHealthAt = now() + (apiHealthy ? kHealthIntervalMs : kFailedProbeRetryMs);
}

void ConnectionEngine::Impl::onPinExchanged(const HttpTransport::Response& r) {
  if (http_api::isSuccess(r.status)) {
    if (auto t = http_api::tokenFrom(r.body)) {
      markApi(200);
      token = *t;
      tokenFromStorage = false;
      storage.set(key("token"), token);
      pollFailures = 0;
      pollRetryAt = 0;
      return;
    }
  } else if (http_api::isUnauthorized(r.status)) {
    markApi(200);
    unauthorized();
    return;
  }
  markApi(r.status);
  ++pollFailures;
  pollRetryAt = now() + backoffDelayMs(pollFailures, random);
}

void ConnectionEngine::Impl::onPoll(const HttpTransport::Response& r) {
  if (http_api::isUnauthorized(r.status)) {
    markApi(200);
    unauthorized();
    return;
  }
  if (http_api::isSuccess(r.status)) {
    proto::Decoded<proto::EventsPage> page = proto::decodeEventsPage(r.body);
    if (page.ok()) {
      markApi(200);
      pollFailures = 0;
      bool progressed = page.value().events.empty();  // an empty page is a finished wait
      std::weak_ptr<bool> weak = alive;
      for (const proto::GatewayMessage& event : page.value().events) {
        // Duplicates (also of what the socket delivered) are dropped by the seq rule.
        if (sink.apply(event) == proto::Outcome::Applied) progressed = true;
        if (weak.expired()) return;
      }
      // A page that moved nothing forward would be asked for again at once: pause instead.
      pollRetryAt = progressed ? 0 : now() + kBackoffBaseMs[0];
      return;
    }
  }
  markApi(r.status);
  ++pollFailures;
  pollRetryAt = now() + backoffDelayMs(pollFailures, random);
}

void ConnectionEngine::Impl::onPosted(const std::string& id, const HttpTransport::Response& r) {
  sendingId.clear();
  if (http_api::isSuccess(r.status)) {
    markApi(200);
    sendFailures = 0;
    if (outbox.remove(id)) persistOutbox();
    // The answer is {status:"queued", requestId} for chat.send, else the ack or the reply.
    if (auto queued = http_api::queuedRequestId(r.body)) {
      sink.apply(proto::Ack{*queued});
      return;
    }
    proto::Decoded<proto::GatewayMessage> reply = proto::decodeGatewayMessage(std::string_view(r.body));
    sink.apply(reply.ok() ? reply.value() : proto::GatewayMessage{proto::Ack{id}});
    return;
  }
  if (http_api::isUnauthorized(r.status)) {
    markApi(200);
    unauthorized();
    return;
  }
  if (http_api::isTransient(r.status)) {
    markApi(r.status);
    ++sendFailures;
    sendRetryAt = now() + backoffDelayMs(sendFailures, random);
    return;
  }
  // Refused for good: drop it from the outbox, but never silently.
  markApi(200);
  if (outbox.remove(id)) persistOutbox();
  http_api::ErrorInfo info =
      http_api::errorFrom(r.status, r.body, r.status == 413 ? proto::code::kTooLarge
                                                            : proto::code::kBadRequest);
  proto::ErrorEvent error;
  error.requestId = id;
  error.code = info.code;
  error.message = info.message;
  sink.apply(error);
}

}  // namespace chat::net
