// Private: the state of ConnectionEngine, shared by its three source files:
//   connection_engine.cpp  public API, WebSocket lifecycle (connect/auth/resume/live), heartbeat
//   engine_http.cpp        HTTP side: health probe, PIN exchange, long-poll, POST /send
//   engine_status.cpp      the status snapshot and when it is pushed to the sink
//   engine_history.cpp     loading a session's history over HTTP before the socket resumes it
//
// Re-entrancy: transport callbacks and tick() end in pump(), which runs the timers and the
// HTTP scheduler and then publishes the status. pump() and publishStatus() are guarded, so a
// sink or observer that calls back into the engine (e.g. send() from an onStatus handler)
// only queues another round instead of recursing. Callbacks hold a weak reference to `alive`
// and check the socket / request generation they were made for, so stale or late callbacks
// (even after destruction) do nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/net/connection_engine.h"
#include "core/net/connection_states.h"
#include "core/net/outbox.h"

namespace chat::net {

constexpr int64_t kHealthIntervalMs = 30000;
constexpr int64_t kRateLimitedRetryMs = 2000;
// After the API failed to answer, probe /health this soon (a long poll that is merely waiting
// says nothing about health until it returns).
constexpr int64_t kUnhealthyProbeMs = 2000;
constexpr int64_t kFailedProbeRetryMs = 5000;
constexpr double kHeartbeatTimeoutFactor = 2.5;
// After the browser reports the network gone ('offline'), the socket gets this long to prove it
// still works (a ping goes out at once; any frame back is proof) instead of 2.5 heartbeats: a
// pulled cable leaves a socket that looks open for minutes. A wrong report costs one ping.
constexpr int64_t kOfflineProbeMs = 5000;
constexpr int kCloseNormal = 1000;
constexpr int kCloseHeartbeat = 4000;
constexpr int kCloseUnauthorized = 4001;

// One kind of HTTP request of which at most one is in flight.
struct HttpSlot {
  bool busy = false;
  uint64_t generation = 0;
  HttpTransport::RequestId id = 0;
};

struct ConnectionEngine::Impl {
  Impl(EngineConfig config, Clock& clock, Random& random, WebSocketTransport& ws,
       HttpTransport& http, Storage& storage, EngineSink& sink);
  ~Impl();

  // ---- seams and settings
  EngineConfig cfg;
  Clock& clock;
  Random& random;
  WebSocketTransport& ws;
  HttpTransport& http;
  Storage& storage;
  EngineSink& sink;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  // ---- identity and outbox (persisted)
  std::string sessionId;
  std::string token;
  bool tokenFromStorage = false;  // a stale stored token may be replaced via the PIN
  Outbox outbox;
  uint64_t idCounter = 0;

  // ---- WebSocket lifecycle: the state (connection_states.h draws its transitions) and when
  // it was entered; the socket, and what the current attempt is waiting for.
  Phase phase = Phase::Idle;    // changed only through enter()
  int64_t phaseSince = 0;
  uint64_t socket = 0;          // number of the current socket, 0 when none
  uint64_t socketCounter = 0;
  int failures = 0;             // failed attempts since last live
  int64_t retryAt = 0;
  bool down = false;            // the socket failed since it was last live: HTTP fallback on
  int64_t heartbeatMs = 15000;
  int64_t lastFrameAt = 0;
  int64_t lastPingAt = 0;
  std::optional<int64_t> offlineProbeAt;  // when notifyOffline's ping went out, if it did
  std::string authId;
  std::string resumeId;
  std::map<std::string, int64_t> gapResumeAt;  // session -> when a gap resume was sent
  std::string lastError;

  // ---- HTTP side
  bool apiHealthy = false;
  int64_t nextHealthAt = 0;
  HttpSlot healthSlot, authSlot, pollSlot, sendSlot;
  int pollFailures = 0;
  int64_t pollRetryAt = 0;
  std::string sendingId;
  int sendFailures = 0;
  int64_t sendRetryAt = 0;

  // ---- history over HTTP (cfg.historyOverHttp)
  HttpSlot historySlot;
  std::string historySession;     // the session whose pages are being read, "" when none
  int64_t historyProgressAt = 0;  // when the load started or last got a page
  bool resumeOwed = false;        // session.resume for sessionId waits until the load ends

  // ---- status
  Status status;
  Status pushed;
  bool everPushed = false;
  bool pumping = false, pumpAgain = false;
  bool publishing = false, publishAgain = false;

  // connection_engine.cpp
  int64_t now() { return clock.nowMs(); }
  bool started() const { return phase != Phase::Idle; }  // start()ed and not stop()ped
  // The one way `phase` changes: checks the move against connection_states.h's table (an
  // assert) and notes when it happened.
  void enter(Phase next);
  std::string nextId();
  std::string key(const char* name) const { return cfg.storagePrefix + name; }
  void persistOutbox();
  void connect();
  void closeSocket(int code, const std::string& reason);
  void onOpen();
  void onFrame(const std::string& text);
  void onClosed(int code, const std::string& reason);
  void sendResume(const std::string& session);
  void goLive();
  void failAttempt(const std::string& reason, int closeCode);
  void unauthorized();
  bool retriesLater(const proto::GatewayMessage& m);
  void settle(const std::string& requestId);
  void requestGapResume(const std::string& session);
  void flushOutbox();
  bool heartbeat(int64_t t);  // pings when due; false when the socket was found dead
  bool sendFrame(const std::string& frame);
  void pump();
  void step();

  // engine_http.cpp
  bool pollingWanted() const;
  bool socketStillComing() const;  // opening, and it has not failed since it was last live
  void stepHttp(int64_t t);
  void issue(HttpSlot& slot, const HttpTransport::Request& req,
             std::function<void(const HttpTransport::Response&)> onDone);
  void cancel(HttpSlot& slot);
  void cancelAllHttp();
  void markApi(int status);
  void onHealth(const HttpTransport::Response& r);
  void onPinExchanged(const HttpTransport::Response& r);
  void onPoll(const HttpTransport::Response& r);
  void onPosted(const std::string& id, const HttpTransport::Response& r);

  // engine_history.cpp
  bool historyWanted() const;
  bool loadingHistory(const std::string& session) const;
  void startHistory(const std::string& session);
  void requestHistoryPage(int64_t after);
  void onHistoryPage(const HttpTransport::Response& r);
  void endHistory();
  void resumeOrOwe();  // session.resume for sessionId now, or once its history is loaded
  void stepHistory(int64_t t);

  // engine_status.cpp
  Status snapshot();
  void publishStatus();
};

}  // namespace chat::net
