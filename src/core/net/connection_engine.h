// The connection engine: keeps one gateway connection alive across dropped sockets, dead
// networks, sleeping laptops and gateway restarts, and never loses or duplicates a message.
//
//   WebSocket first; while it is down, HTTP long-polling (GET /api/events) carries events and
//   POST /api/send carries the outbox. Reconnect with backoff 1,2,4,8,16,30,30... s (+ up to 30%
//   jitter). On open: auth, then session.resume {sessionId, lastSeq}; live on session.resumed.
//   With EngineConfig::historyOverHttp, the history is first read in pages over HTTP (started
//   with the socket, in parallel) and the resume asks only for the rest.
//   Every client message waits in the persisted outbox until acked and is resent with the same
//   id after a reconnect. Heartbeat on the wall clock: no frame for 2.5 x heartbeatMs = dead;
//   after the platform reports the network gone (notifyOffline), no answer to a probe ping
//   within 5 s = dead.
//
// Pure C++: time, sockets, HTTP and storage come in through platform.h. Single-threaded; the
// host calls tick() regularly (each frame in the browser, a timer natively) and the engine
// does all its timing against Clock::nowMs(), so throttled timers only delay, never break it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/chat/reducer.h"
#include "core/net/platform.h"
#include "core/protocol/messages.h"

namespace chat::net {

enum class Phase {
  Idle,            // not started
  Connecting,      // WebSocket opening
  Authenticating,  // auth sent, waiting for auth.ok
  Resuming,        // session.resume sent, waiting for session.resumed
  Live,            // socket live and resumed
  Waiting,         // socket down, waiting for the next attempt (backoff)
  Unauthorized,    // auth failed: stopped until new credentials
};

enum class Health {
  Full,          // socket live and the API healthy
  Partial,       // one of them (typically: socket down, HTTP polling works)
  Disconnected,  // neither
};

struct Status {
  Phase phase = Phase::Idle;
  Health health = Health::Disconnected;
  bool polling = false;        // HTTP fallback active
  int attempt = 0;             // reconnect attempts since last live
  int64_t nextRetryInMs = 0;   // Waiting: time until the next attempt
  std::string lastError;       // last error seen ("" if none), e.g. "unauthorized"
  std::size_t outboxSize = 0;  // client messages not yet acked
  bool operator==(const Status& o) const;
  bool operator!=(const Status& o) const { return !(*this == o); }
};

const char* phaseName(Phase p);
const char* healthName(Health h);  // "full", "partial", "disconnected"

struct EngineConfig {
  std::string wsUrl;    // e.g. ws://127.0.0.1:8080/gateway
  std::string apiBase;  // e.g. http://127.0.0.1:8080/api
  std::string token;    // bearer token (preferred), or
  std::string pin;      // a PIN exchanged for a token via POST /api/auth
  std::string sessionId;  // session to resume; "" = the engine makes a new client-named one
  std::size_t outboxMaxMessages = 500;
  std::size_t outboxMaxBytes = 1024 * 1024;
  int64_t defaultHeartbeatMs = 15000;  // until auth.ok says otherwise
  int64_t connectTimeoutMs = 10000;    // connecting/authenticating/resuming longer = failed
  int pollWaitMs = 25000;              // long-poll waitMs
  std::string storagePrefix = "chat.";  // keys: <prefix>outbox, <prefix>session, <prefix>token
  // Load a session's history over HTTP (GET /api/events pages of many events each) before the
  // socket's session.resume, which then replays only what is left. For platforms where each
  // WebSocket message has a high fixed cost (a browser: ~50-100 us per message event, so a
  // 10,000-message session replayed one event per frame takes seconds). Needs apiBase and a
  // token; without them, or when a page fails, the socket replays everything as usual.
  bool historyOverHttp = false;
};

// What send() did with a client message: queued (the outbox sends it when it can, a ping went
// out), or refused, with why in words for the user.
enum class SendRefusal {
  None,              // queued
  NotSendable,       // auth is the connection's own business
  InvalidSessionId,  // a session.resume for an id the session-id rule refuses
  InvalidMessageId,  // empty or over 64 chars
  NotConnected,      // a ping while the socket is not live (pings are never queued)
  OutboxFull,        // the outbox holds its maximum of messages or bytes
};
struct SendResult {
  SendRefusal refusal = SendRefusal::None;
  std::string reason;  // "" when queued
  bool queued() const { return refusal == SendRefusal::None; }
};

// Receives everything the engine hears, in order. apply() decides the seq rule (the chat
// reducer does), so the engine knows whether to resume after a gap.
class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual core::Outcome apply(const proto::GatewayMessage& m) = 0;
  virtual int64_t lastAppliedSeq(const std::string& sessionId) = 0;
  virtual void onStatus(const Status& s) = 0;
};

class ConnectionEngine {
 public:
  ConnectionEngine(EngineConfig config, Clock& clock, Random& random, WebSocketTransport& ws,
                   HttpTransport& http, Storage& storage, EngineSink& sink);
  ~ConnectionEngine();
  ConnectionEngine(const ConnectionEngine&) = delete;
  ConnectionEngine& operator=(const ConnectionEngine&) = delete;

  void start();
  void stop();   // closes everything; the outbox stays persisted
  void tick();   // drives timers against the clock; call often (every frame is fine)

  // Queues a client message (its id must be set) in the outbox and sends it when possible.
  SendResult send(const proto::ClientMessage& m);

  void retryNow();        // skip the backoff wait
  void notifyOnline();    // browser 'online' event: retry at once
  // Browser 'offline' event: probe the socket with a ping; no frame back within
  // kOfflineProbeMs (5 s) means it is dead (reconnect with backoff, HTTP fallback meanwhile).
  void notifyOffline();
  void notifyVisible();   // page became visible: check the heartbeat, retry at once if down
  void setCredentials(const std::string& token, const std::string& pin);  // restarts if stopped
  void switchSession(const std::string& sessionId);  // resume this session instead
  // Sends a per-connection message (session.watch) now on the signed-in socket; never queued,
  // since each new socket needs its own. False when no socket is signed in.
  bool sendOnSocket(const proto::ClientMessage& m);

  const Status& status() const;
  // The current session's history is still arriving in bulk: its HTTP pages are loading, or
  // the socket's session.resume replay has not ended yet. A UI can draw less often meanwhile.
  bool loadingHistory() const;
  const std::string& sessionId() const;
  const EngineConfig& config() const;
  // The bearer token in use ("" until there is one: a PIN not yet exchanged), for the
  // client's own HTTP requests (the session list feed's long poll).
  const std::string& token() const;
  // The client messages waiting in the outbox (not yet acked), oldest first. A front end uses
  // it after a reload to show the pending chat.send messages as `sending` again.
  std::vector<proto::ClientMessage> pendingMessages() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::net
