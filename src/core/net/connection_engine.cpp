// ConnectionEngine: public API and the WebSocket lifecycle
//   Connecting -> (open) Authenticating -> (auth.ok) Resuming -> (session.resumed) Live
// with any failure, close or timeout leading to Waiting (backoff) and the HTTP fallback.
#include "core/net/connection_engine.h"

#include <cassert>
#include <string_view>
#include <utility>
#include <variant>

#include "core/net/backoff.h"
#include "core/net/engine_impl.h"
#include "core/net/ids.h"
#include "core/protocol/codec.h"

namespace chat::net {

namespace {

// Any reply that answers a client message by id settles it (removes it from the outbox):
// ack for most, pong / session.list / thread.list / session.search for their requests.
const std::string* answeredId(const proto::GatewayMessage& m) {
  if (auto* a = std::get_if<proto::Ack>(&m)) return &a->requestId;
  if (auto* p = std::get_if<proto::Pong>(&m)) return &p->requestId;
  if (auto* l = std::get_if<proto::SessionList>(&m)) return &l->requestId;
  if (auto* t = std::get_if<proto::ThreadList>(&m)) return &t->requestId;
  if (auto* q = std::get_if<proto::SessionSearchResult>(&m)) return &q->requestId;
  return nullptr;
}

}  // namespace

// ---- construction ------------------------------------------------------------------------------

ConnectionEngine::Impl::Impl(EngineConfig config, Clock& c, Random& r, WebSocketTransport& w,
                             HttpTransport& h, Storage& s, EngineSink& k)
    : cfg(std::move(config)), clock(c), random(r), ws(w), http(h), storage(s), sink(k),
      outbox(cfg.outboxMaxMessages, cfg.outboxMaxBytes) {
  if (auto persisted = storage.get(key("outbox"))) outbox.load(*persisted);

  if (isValidSessionId(cfg.sessionId)) {
    sessionId = cfg.sessionId;
  } else if (auto stored = storage.get(key("session")); stored && isValidSessionId(*stored)) {
    sessionId = *stored;
  } else {
    sessionId = makeSessionId(random);
  }
  storage.set(key("session"), sessionId);

  if (!cfg.token.empty()) {
    token = cfg.token;
  } else if (auto stored = storage.get(key("token")); stored && !stored->empty()) {
    token = *stored;
    tokenFromStorage = true;
  }
  heartbeatMs = cfg.defaultHeartbeatMs > 0 ? cfg.defaultHeartbeatMs : 15000;
  status.outboxSize = outbox.size();
  pushed = status;
}

ConnectionEngine::Impl::~Impl() {
  *alive = false;
  closeSocket(kCloseNormal, "client shutdown");
  cancelAllHttp();
}

std::string ConnectionEngine::Impl::nextId() { return makeMessageId("e-", ++idCounter, random); }

void ConnectionEngine::Impl::persistOutbox() { storage.set(key("outbox"), outbox.serialize()); }

void ConnectionEngine::Impl::enter(Phase next) {
  assert(isAllowedTransition(phase, next) && "a connection state change connection_states.h lacks");
  phase = next;
  phaseSince = now();
}

// ---- the socket ---------------------------------------------------------------------------------

void ConnectionEngine::Impl::connect() {
  closeSocket(kCloseNormal, "reconnecting");
  socket = ++socketCounter;
  enter(Phase::Connecting);
  const uint64_t mine = socket;
  std::weak_ptr<bool> weak = alive;
  WebSocketTransport::Handlers handlers;
  handlers.onOpen = [this, weak, mine] {
    if (weak.expired() || socket != mine) return;
    onOpen();
    pump();
  };
  handlers.onMessage = [this, weak, mine](const std::string& text) {
    if (weak.expired() || socket != mine) return;
    onFrame(text);
    if (weak.expired()) return;
    pump();
  };
  handlers.onClose = [this, weak, mine](int code, const std::string& reason) {
    if (weak.expired() || socket != mine) return;
    socket = 0;  // closed by the other side: nothing to close any more
    onClosed(code, reason);
    pump();
  };
  ws.open(cfg.wsUrl, std::move(handlers));
  startHistory(sessionId);  // with historyOverHttp: pages load while the socket connects
}

void ConnectionEngine::Impl::closeSocket(int code, const std::string& reason) {
  resumeOwed = false;  // a resume is owed on a socket, never carried over to the next one
  if (socket == 0) return;
  socket = 0;
  ws.close(code, reason);
}

bool ConnectionEngine::Impl::sendFrame(const std::string& frame) {
  if (socket == 0) return false;
  if (ws.send(frame)) return true;
  failAttempt("send failed", kCloseNormal);
  return false;
}

void ConnectionEngine::Impl::onOpen() {
  if (phase != Phase::Connecting) return;
  enter(Phase::Authenticating);
  lastFrameAt = phaseSince;
  offlineProbeAt.reset();  // a probe was about the previous socket
  proto::Auth auth;
  auth.id = authId = nextId();
  if (!token.empty()) {
    auth.token = token;
  } else if (!cfg.pin.empty()) {
    auth.pin = cfg.pin;
  } else {
    auth.token = std::string();  // a gateway without auth accepts any; one with auth says no
  }
  // auth is the first frame and never goes through the outbox (it is per connection).
  sendFrame(proto::encode(proto::ClientMessage{auth}));
}

void ConnectionEngine::Impl::sendResume(const std::string& session) {
  resumeId = nextId();
  proto::SessionResume resume{resumeId, session, sink.lastAppliedSeq(session)};
  sendFrame(proto::encode(proto::ClientMessage{resume}));
}

void ConnectionEngine::Impl::onFrame(const std::string& text) {
  lastFrameAt = now();  // any frame proves the socket alive
  offlineProbeAt.reset();
  proto::Decoded<proto::GatewayMessage> decoded = proto::decodeGatewayMessage(std::string_view(text));
  if (!decoded.ok()) return;  // a frame we cannot read changes nothing (and is not fatal)
  const proto::GatewayMessage& m = decoded.value();

  if (std::holds_alternative<proto::AuthFailed>(m)) {
    sink.apply(m);
    unauthorized();
    return;
  }

  if (retriesLater(m)) return;

  const uint64_t mine = socket;
  std::weak_ptr<bool> weak = alive;
  const proto::Outcome outcome = sink.apply(m);
  // The sink (or an observer behind it) may have stopped, restarted or destroyed the engine.
  if (weak.expired() || socket != mine || mine == 0) return;

  if (auto* ok = std::get_if<proto::AuthOk>(&m)) {
    if (phase != Phase::Authenticating) return;
    heartbeatMs = ok->heartbeatMs > 0 ? ok->heartbeatMs : cfg.defaultHeartbeatMs;
    if (heartbeatMs <= 0) heartbeatMs = 15000;
    enter(Phase::Resuming);
    lastPingAt = phaseSince;
    resumeOrOwe();
    return;
  }
  if (auto* resumed = std::get_if<proto::SessionResumed>(&m)) {
    gapResumeAt.erase(resumed->sessionId);
    if (phase == Phase::Resuming && resumed->sessionId == sessionId) goLive();
    return;
  }
  if (auto* error = std::get_if<proto::ErrorEvent>(&m); error && error->requestId) {
    const std::string& rid = *error->requestId;
    if (rid == authId && phase == Phase::Authenticating) {
      if (error->code == proto::code::kUnauthorized) {
        unauthorized();
      } else {
        failAttempt("auth: " + error->code, kCloseNormal);
      }
      return;
    }
    if (rid == resumeId && phase == Phase::Resuming) {
      // The socket works but the gateway will not resume this session: reconnecting would
      // only repeat that. Go live (sends still work) and show the reason.
      goLive();
      lastError = "resume: " + error->code;
      return;
    }
    // Refused for good (bad_request, too_large, ...): the sink has shown the error.
    if (outbox.remove(rid)) persistOutbox();
    return;
  }
  if (const std::string* rid = answeredId(m)) {
    settle(*rid);
    return;
  }
  if (outcome == proto::Outcome::Gap) {
    std::string session;
    int64_t seq = 0;
    if (proto::sessionEventKey(m, &session, &seq)) requestGapResume(session);
  }
}

void ConnectionEngine::Impl::onClosed(int code, const std::string& reason) {
  if (code == kCloseUnauthorized) {
    unauthorized();
    return;
  }
  std::string why = "connection closed (" + std::to_string(code);
  if (!reason.empty()) why += ": " + reason;
  failAttempt(why + ")", kCloseNormal);
}

// An outbox message the gateway could not take now is kept and resent later, and the chat never
// sees it as failed (the HTTP path treats a 5xx the same way): `rate_limited` after a fixed
// pause, `internal` ("the gateway failed; retrying later may work", its store away, say) with
// growing backoff. The id makes every resend safe: it is applied once.
bool ConnectionEngine::Impl::retriesLater(const proto::GatewayMessage& m) {
  const auto* error = std::get_if<proto::ErrorEvent>(&m);
  if (error == nullptr || !error->requestId || (error->sessionId && error->seq > 0)) return false;
  const bool limited = error->code == proto::code::kRateLimited;
  if (!limited && error->code != proto::code::kInternal) return false;
  OutboxEntry* entry = outbox.find(*error->requestId);
  if (entry == nullptr) return false;
  entry->sentOnSocket = 0;  // resend, on this socket or the next
  entry->notBefore = now() + (limited ? kRateLimitedRetryMs : backoffDelayMs(++entry->failures, random));
  lastError = error->code + ": " + error->message + " (will retry)";
  return true;
}

void ConnectionEngine::Impl::settle(const std::string& requestId) {
  if (outbox.remove(requestId)) persistOutbox();
}

void ConnectionEngine::Impl::requestGapResume(const std::string& session) {
  if (phase != Phase::Live && phase != Phase::Resuming) return;  // the poll asks after lastSeq
  auto it = gapResumeAt.find(session);
  // One resume per gap: later events of the same gap arrive while it is being answered.
  if (it != gapResumeAt.end() && now() - it->second < cfg.connectTimeoutMs) return;
  gapResumeAt[session] = now();
  resumeId = nextId();
  proto::SessionResume resume{resumeId, session, sink.lastAppliedSeq(session)};
  sendFrame(proto::encode(proto::ClientMessage{resume}));
}

void ConnectionEngine::Impl::goLive() {
  enter(Phase::Live);
  failures = 0;
  down = false;
  lastError.clear();
  lastPingAt = lastFrameAt = phaseSince;
  // The socket carries everything now: stop polling, and resend over the socket whatever a
  // POST was carrying (same id, so the gateway applies it once).
  cancel(pollSlot);
  cancel(sendSlot);
  pollFailures = sendFailures = 0;
  pollRetryAt = sendRetryAt = 0;
  if (!apiHealthy) nextHealthAt = phaseSince;
  flushOutbox();
}

void ConnectionEngine::Impl::flushOutbox() {
  if (phase != Phase::Live) return;
  const int64_t t = now();
  const uint64_t mine = socket;
  for (std::size_t i = 0; i < outbox.entries().size(); ++i) {
    OutboxEntry& e = outbox.entries()[i];
    if (e.sentOnSocket == mine || e.notBefore > t) continue;
    if (!sendFrame(e.frame)) return;
    e.sentOnSocket = mine;
  }
}

void ConnectionEngine::Impl::failAttempt(const std::string& reason, int closeCode) {
  closeSocket(closeCode, reason);
  lastError = reason;
  ++failures;
  retryAt = now() + backoffDelayMs(failures, random);
  enter(Phase::Waiting);
  down = true;
  gapResumeAt.clear();
}

void ConnectionEngine::Impl::unauthorized() {
  closeSocket(kCloseNormal, "unauthorized");
  if (tokenFromStorage && !cfg.pin.empty()) {
    // A token remembered from an earlier run went stale; the PIN can still get a new one.
    token.clear();
    tokenFromStorage = false;
    storage.remove(key("token"));
    cancelAllHttp();
    connect();
    return;
  }
  enter(Phase::Unauthorized);
  lastError = "unauthorized";
  cancelAllHttp();
}

// ---- timers ---------------------------------------------------------------------------------------

void ConnectionEngine::Impl::pump() {
  if (pumping) {
    pumpAgain = true;
    return;
  }
  pumping = true;
  // A transport that answers synchronously could ask for another round; a few are plenty.
  for (int round = 0; round < 8; ++round) {
    pumpAgain = false;
    step();
    if (!pumpAgain) break;
  }
  pumping = false;
  publishStatus();
}

bool ConnectionEngine::Impl::heartbeat(int64_t t) {
  // Measured on the wall clock: after a sleep the first tick sees the whole gap.
  const auto deadline = static_cast<int64_t>(kHeartbeatTimeoutFactor * heartbeatMs);
  if (t - lastFrameAt > deadline) {
    failAttempt("heartbeat timeout", kCloseHeartbeat);
    return false;
  }
  if (offlineProbeAt && t - *offlineProbeAt > kOfflineProbeMs) {
    failAttempt("network offline", kCloseHeartbeat);
    return false;
  }
  if (t - lastPingAt >= heartbeatMs) {
    lastPingAt = t;
    // Pings are per connection and never queued: a lost ping is replaced by the next one.
    if (!sendFrame(proto::encode(proto::ClientMessage{proto::Ping{nextId()}}))) return false;
  }
  return true;
}

void ConnectionEngine::Impl::step() {
  if (!started()) return;
  const int64_t t = now();
  stepHistory(t);
  switch (phase) {
    case Phase::Resuming:
      if (resumeOwed) {
        // Authenticated, the resume waits for the HTTP history (stepHistory bounds the wait):
        // the socket is kept alive and checked meanwhile.
        heartbeat(t);
        break;
      }
      [[fallthrough]];
    case Phase::Connecting:
    case Phase::Authenticating:
      if (t - phaseSince > cfg.connectTimeoutMs) failAttempt("connect timeout", kCloseNormal);
      break;
    case Phase::Live:
      if (heartbeat(t)) flushOutbox();  // flush: messages held back by rate limiting
      break;
    case Phase::Waiting:
      if (t >= retryAt) connect();
      break;
    case Phase::Idle:
    case Phase::Unauthorized:
      break;
  }
  stepHttp(t);
}

// ---- public API -------------------------------------------------------------------------------------

ConnectionEngine::ConnectionEngine(EngineConfig config, Clock& clock, Random& random,
                                   WebSocketTransport& ws, HttpTransport& http, Storage& storage,
                                   EngineSink& sink)
    : impl_(std::make_unique<Impl>(std::move(config), clock, random, ws, http, storage, sink)) {}

ConnectionEngine::~ConnectionEngine() = default;

void ConnectionEngine::start() {
  Impl& d = *impl_;
  if (d.started()) return;
  d.failures = 0;
  d.down = false;
  d.lastError.clear();
  d.nextHealthAt = d.now();
  d.connect();
  d.pump();
}

void ConnectionEngine::stop() {
  Impl& d = *impl_;
  d.enter(Phase::Idle);  // first: whatever the closing calls back finds the engine stopped
  d.closeSocket(kCloseNormal, "stopped");
  d.cancelAllHttp();
  d.down = false;
  d.publishStatus();
}

void ConnectionEngine::tick() { impl_->pump(); }

SendResult ConnectionEngine::send(const proto::ClientMessage& m) {
  Impl& d = *impl_;
  if (std::holds_alternative<proto::Auth>(m)) {
    return {SendRefusal::NotSendable, "auth is handled by the connection"};
  }
  if (auto* resume = std::get_if<proto::SessionResume>(&m)) {
    if (!isValidSessionId(resume->sessionId)) return {SendRefusal::InvalidSessionId, "invalid session id"};
    switchSession(resume->sessionId);
    return {};
  }
  const std::string& id = proto::messageId(m);
  if (id.empty() || id.size() > 64) return {SendRefusal::InvalidMessageId, "invalid message id"};
  if (std::holds_alternative<proto::Ping>(m)) {
    // A ping only means something on a live socket; it is never queued.
    if (d.phase != Phase::Live) return {SendRefusal::NotConnected, "not connected"};
    d.sendFrame(proto::encode(m));
    d.pump();
    return {};
  }
  std::string refused = d.outbox.add(m);
  if (!refused.empty()) return {SendRefusal::OutboxFull, refused};
  d.persistOutbox();
  d.flushOutbox();  // live: out at once; otherwise the HTTP fallback or the next live picks it up
  d.pump();
  return {};
}

void ConnectionEngine::retryNow() {
  Impl& d = *impl_;
  if (!d.started()) return;
  if (d.phase == Phase::Waiting) d.connect();
  d.pollRetryAt = d.sendRetryAt = 0;  // the HTTP side skips its wait too
  d.pump();
}

void ConnectionEngine::notifyOnline() { retryNow(); }

void ConnectionEngine::notifyOffline() {
  Impl& d = *impl_;
  // Only a socket past auth is checked by the heartbeat; before that the connect timeout
  // already bounds the wait.
  if (!d.started() || d.socket == 0 || (d.phase != Phase::Live && d.phase != Phase::Resuming)) return;
  if (d.offlineProbeAt) return;  // one probe at a time: its deadline stands
  d.offlineProbeAt = d.now();
  d.sendFrame(proto::encode(proto::ClientMessage{proto::Ping{d.nextId()}}));
  d.pump();
}

void ConnectionEngine::notifyVisible() {
  Impl& d = *impl_;
  d.pump();  // the heartbeat check against the wall clock sees a socket that died meanwhile
  retryNow();
}

void ConnectionEngine::setCredentials(const std::string& token, const std::string& pin) {
  Impl& d = *impl_;
  d.cfg.token = token;
  d.cfg.pin = pin;
  d.token = token;
  d.tokenFromStorage = false;
  if (token.empty()) {
    d.storage.remove(d.key("token"));
  } else {
    d.storage.set(d.key("token"), token);
  }
  if (!d.started()) return;
  d.cancelAllHttp();
  d.failures = 0;
  d.lastError.clear();
  d.pollRetryAt = d.sendRetryAt = 0;
  d.connect();
  d.pump();
}

void ConnectionEngine::switchSession(const std::string& sessionId) {
  Impl& d = *impl_;
  if (!isValidSessionId(sessionId) || sessionId == d.sessionId) return;
  d.sessionId = sessionId;
  d.storage.set(d.key("session"), sessionId);
  d.startHistory(sessionId);  // with historyOverHttp (also cancels a load of the old session)
  if (d.phase == Phase::Live || d.phase == Phase::Resuming) d.resumeOrOwe();
  d.cancel(d.pollSlot);  // the next poll asks for the new session
  d.pump();
}

bool ConnectionEngine::sendOnSocket(const proto::ClientMessage& m) {
  Impl& d = *impl_;
  if (!d.started() || d.socket == 0 || (d.phase != Phase::Resuming && d.phase != Phase::Live)) return false;
  return d.sendFrame(proto::encode(m));
}

const Status& ConnectionEngine::status() const { return impl_->status; }
bool ConnectionEngine::loadingHistory() const {
  return impl_->phase == Phase::Resuming || impl_->loadingHistory(impl_->sessionId);
}
const std::string& ConnectionEngine::sessionId() const { return impl_->sessionId; }
const EngineConfig& ConnectionEngine::config() const { return impl_->cfg; }
const std::string& ConnectionEngine::token() const { return impl_->token; }

std::vector<proto::ClientMessage> ConnectionEngine::pendingMessages() const {
  std::vector<proto::ClientMessage> out;
  out.reserve(impl_->outbox.size());
  for (const OutboxEntry& e : impl_->outbox.entries()) out.push_back(e.message);
  return out;
}

}  // namespace chat::net
