// ConnectionEngine: loading a session's history over HTTP (EngineConfig::historyOverHttp).
//
// Why: on session.resume the gateway replays the log one event per WebSocket frame (the
// protocol's rule), and a browser pays a fixed cost for every message event (IPC from the
// network process, a task, an event object, a string copy): tens of microseconds each, seconds
// for a 10,000-message session, before any of our code runs. GET /api/events answers with the
// same events, up to a thousand per response. So when the engine opens a session it reads them,
// in parallel with the socket's connect and auth, and sends session.resume once the pages run
// out: the socket then replays only what is left (usually nothing) and goes live.
//
// Safe by construction: events go through the sink's seq rule whatever carried them, and the
// resume asks from lastAppliedSeq at the moment it is sent. Anything unexpected (no token, an
// HTTP error, an unreadable page, a page that moves nothing forward, a load that stalls) ends
// the load, and the resume then asks the socket for everything that is left.
#include "core/net/engine_impl.h"
#include "core/net/http_api.h"
#include "core/protocol/codec.h"

namespace chat::net {

bool ConnectionEngine::Impl::historyWanted() const {
  // While the socket is down the long-poll already reads the same pages.
  return cfg.historyOverHttp && started() && !down && !cfg.apiBase.empty() && !token.empty();
}

bool ConnectionEngine::Impl::loadingHistory(const std::string& session) const {
  return historySlot.busy && historySession == session;
}

void ConnectionEngine::Impl::startHistory(const std::string& session) {
  if (loadingHistory(session)) return;  // already on its way
  cancel(historySlot);                  // a load of another session is of no use now
  historySession.clear();
  if (!historyWanted()) return;
  historySession = session;
  historyProgressAt = now();
  requestHistoryPage(sink.lastAppliedSeq(session));
}

void ConnectionEngine::Impl::requestHistoryPage(int64_t after) {
  // waitMs 0: an empty answer means "nothing after `after`", at once.
  issue(historySlot, http_api::events(cfg.apiBase, token, historySession, after, 0),
        [this](const HttpTransport::Response& r) { onHistoryPage(r); });
}

void ConnectionEngine::Impl::onHistoryPage(const HttpTransport::Response& r) {
  markApi(r.status);
  if (http_api::isSuccess(r.status)) {
    proto::Decoded<proto::EventsPage> page = proto::decodeEventsPage(r.body);
    if (page.ok()) {
      const std::string session = historySession;
      const std::vector<proto::GatewayMessage>& events = page.value().events;
      // The next page is asked for before this one is applied, so the gateway reads it while
      // the client is busy here. Should this page not apply in full, the next one moves
      // nothing forward and ends the load.
      std::string lastSession;
      int64_t lastSeq = 0;
      if (!events.empty() && proto::sessionEventKey(events.back(), &lastSession, &lastSeq) &&
          lastSession == session && lastSeq > sink.lastAppliedSeq(session)) {
        requestHistoryPage(lastSeq);
      }
      const uint64_t generation = historySlot.generation;
      bool progressed = false;
      std::weak_ptr<bool> weak = alive;
      for (const proto::GatewayMessage& event : events) {
        if (sink.apply(event) == proto::Outcome::Applied) progressed = true;
        if (weak.expired()) return;
      }
      // An observer behind the sink may have switched sessions (which started another load)
      // or stopped the engine meanwhile.
      if (historySlot.generation != generation || historySession != session || !started()) return;
      if (progressed && historySlot.busy) {
        historyProgressAt = now();
        return;
      }
      // An empty page is the end; one that moved nothing forward (duplicates, a gap) would only
      // be asked for again: the socket's resume takes over from here.
    }
  }
  // An HTTP error is not the socket's business: the resume simply asks for everything left.
  endHistory();
}

void ConnectionEngine::Impl::endHistory() {
  cancel(historySlot);
  historySession.clear();
  if (!resumeOwed) return;
  resumeOwed = false;
  if (socket == 0 || (phase != Phase::Resuming && phase != Phase::Live)) return;
  if (phase == Phase::Resuming) phaseSince = now();  // the resume gets its full time to answer
  sendResume(sessionId);
}

void ConnectionEngine::Impl::resumeOrOwe() {
  if (loadingHistory(sessionId)) {
    resumeOwed = true;
    return;
  }
  resumeOwed = false;
  sendResume(sessionId);
}

void ConnectionEngine::Impl::stepHistory(int64_t t) {
  // A load that stopped answering is given up (the transport's own timeout normally ends it
  // first): the socket replays what is left.
  if (historySlot.busy && t - historyProgressAt > cfg.connectTimeoutMs) endHistory();
}

}  // namespace chat::net
