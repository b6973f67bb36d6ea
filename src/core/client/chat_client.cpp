// ChatClient: engine -> reducer -> effect observers, and intents -> outbox.
//
// Gaps are handled by the engine itself (it sees the reducer's Outcome::Gap from apply() and
// resumes from lastAppliedSeq). Observers run after the state is updated; they may call back
// into the client (e.g. send()), so effects are delivered from a local copy of the list.
#include "core/client/chat_client.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "core/chat/intents.h"
#include "core/chat/reducer.h"
#include "core/chat/session_list_intents.h"
#include "core/client/session_feed.h"
#include "core/net/ids.h"

namespace chat::client {

namespace {

// While the list's first page cannot be read (gateway unreachable, refused), ask again this
// often. A page or search read unanswered this long is given up (its socket may be gone).
constexpr int64_t kFirstPageRetryMs = 5000;
constexpr int64_t kReadTimeoutMs = 20000;

}  // namespace

struct ChatClient::Impl : net::EngineSink {
  Impl(net::EngineConfig config, net::Clock& c, net::Random& r, net::WebSocketTransport& ws,
       net::HttpTransport& http, net::Storage& storage)
      : clock(c), random(r), store(storage), engine(std::move(config), c, r, ws, http, storage, *this),
        feed(c, r, http, engine.config().pollWaitMs, [this](const proto::GatewayMessage& m) { apply(m); }) {
    core::IntentResult opened = core::switchSession(std::move(state), nextId(), engine.sessionId());
    state = std::move(opened.state);  // the engine resumes the session itself
    restoreModel();
    // After a reload, the sends still in the outbox are shown again (the outbox resends them).
    for (const proto::ClientMessage& m : engine.pendingMessages()) {
      if (const auto* send = std::get_if<proto::ChatSend>(&m)) {
        state = core::restorePendingSend(std::move(state), *send, clock.nowMs()).state;
      }
    }
  }

  net::Clock& clock;
  net::Random& random;
  net::Storage& store;
  core::ChatState state;
  Observers observers;
  uint64_t version = 0;
  uint64_t counter = 0;
  net::ConnectionEngine engine;  // built on the members above
  SessionFeed feed;              // the list feed's long poll while the socket is down
  bool watchOwed = false;        // a socket signed in and has not been asked to watch yet
  int64_t firstPageAt = 0;       // when the list's first page may be asked for (again)
  int64_t pageAskedAt = 0;       // when the page read in flight was asked for
  // A page asked for while nothing could carry it: it goes as soon as something can (so the
  // sidebar, which asks when scrolled near the end, does not ask again on every frame).
  std::optional<proto::ClientMessage> unsentPage;

  std::string nextId() { return net::makeMessageId("c-", ++counter, random); }

  static std::string modelKey(const std::string& sessionId) { return "chat.model." + sessionId; }

  // The current session's remembered model pick (setModel), if any.
  void restoreModel() {
    if (state.currentSessionId.empty()) return;
    const std::optional<std::string> model = store.get(modelKey(state.currentSessionId));
    if (!model) return;
    state = core::chooseModel(std::move(state), *model).state;
    ++version;
  }

  // ---- EngineSink
  core::Outcome apply(const proto::GatewayMessage& m) override {
    if (std::holds_alternative<proto::AuthOk>(m)) {
      watchOwed = true;  // each socket watches anew
      // A page read asked on the socket that went away is asked again on this one.
      core::listPageFailed(state.sessionList, state.sessionList.pendingPageId);
      unsentPage.reset();
      firstPageAt = 0;
    }
    core::Reduced r = core::reduce(std::move(state), m);
    state = std::move(r.state);
    ++version;
    deliver(r.effects);
    for (const core::Effect& e : r.effects) {
      if (const auto* gone = std::get_if<core::CurrentSessionDeleted>(&e)) leaveDeleted(*gone);
    }
    if (std::holds_alternative<proto::SessionList>(m)) watchIfOwed();  // the first page is in
    return r.outcome;
  }

  int64_t lastAppliedSeq(const std::string& sessionId) override {
    const core::SessionState* s = state.session(sessionId);
    return s ? s->lastSeq : 0;
  }

  void onStatus(const net::Status& s) override {
    ++version;
    watchIfOwed();  // the socket that signed in may take messages now
    if (observers.onStatus) observers.onStatus(s);
  }

  // ---- the session list
  // session.watch from the last change applied, on a signed-in socket, once the first page
  // (which says where the feed starts) is in.
  void watchIfOwed() {
    if (!watchOwed || !state.sessionList.firstPageLoaded) return;
    core::IntentResult r = core::watchSessions(state, nextId());
    if (r.outgoing && engine.sendOnSocket(*r.outgoing)) watchOwed = false;
  }

  SessionFeed::Wanted httpWanted() {
    const net::Status& s = engine.status();
    return SessionFeed::Wanted{s.polling && state.sessionList.firstPageLoaded, engine.config().apiBase,
                               engine.token(), state.sessionList.lastChange};
  }

  // A read of the list (a page, a search): not a user action to keep in the outbox across
  // reloads, so it goes on the signed-in socket, or over HTTP while polling, or not at all
  // (asked again later). True when it went.
  bool read(const proto::ClientMessage& m) {
    if (engine.sendOnSocket(m)) return true;
    if (!engine.status().polling) return false;
    if (auto* page = std::get_if<proto::SessionListRequest>(&m)) return feed.read(httpWanted(), *page);
    if (auto* search = std::get_if<proto::SessionSearchRequest>(&m)) return feed.read(httpWanted(), *search);
    return false;
  }

  // The list's next page (the first when none was read).
  std::string requestPage() {
    const std::string id = nextId();
    core::IntentResult r = core::loadMoreSessions(std::move(state), id);
    state = std::move(r.state);
    if (!r.outgoing) return "";
    ++version;
    pageAskedAt = clock.nowMs();
    if (!read(*r.outgoing)) unsentPage = std::move(r.outgoing);  // sent by keepListCurrent
    return id;
  }

  void keepListCurrent() {
    const core::SessionList& list = state.sessionList;
    const int64_t now = clock.nowMs();
    if (unsentPage && read(*unsentPage)) {
      unsentPage.reset();
      pageAskedAt = now;
    }
    if (!list.pendingPageId.empty() && !unsentPage && now - pageAskedAt > kReadTimeoutMs) {
      core::listPageFailed(state.sessionList, list.pendingPageId);
    }
    // Asked at once (it goes when a transport can carry it); after a failure, a while later.
    if (!list.firstPageLoaded && list.pendingPageId.empty() && now >= firstPageAt &&
        !requestPage().empty()) {
      firstPageAt = now + kFirstPageRetryMs;
    }
    watchIfOwed();
    feed.step(httpWanted());
  }

  // The chat on screen was deleted (here or elsewhere): on to the next one, or a new chat.
  void leaveDeleted(const core::CurrentSessionDeleted& gone) {
    if (state.currentSessionId != gone.sessionId) return;
    const std::string next = gone.next.empty() ? net::makeSessionId(random) : gone.next;
    core::IntentResult r = core::switchSession(std::move(state), nextId(), next);
    state = std::move(r.state);
    ++version;
    deliver(r.effects);
    if (r.error.empty()) engine.switchSession(next);
    state.sessions.erase(gone.sessionId);
  }

  // ---- observers
  void deliver(const std::vector<core::Effect>& effects) {
    for (const core::Effect& e : effects) {
      if (observers.onEffect) observers.onEffect(state, e);
      if (auto* done = std::get_if<core::MessageCompleted>(&e)) {
        if (observers.onMessageComplete) {
          const core::Message m = state.sessions.at(done->sessionId).messages.at(done->index);
          observers.onMessageComplete(done->sessionId, m);  // a copy: observers may change state
        }
      } else if (observers.onApproval) {
        const core::ApprovalRequested* asked = std::get_if<core::ApprovalRequested>(&e);
        const core::ApprovalResolved* resolved = std::get_if<core::ApprovalResolved>(&e);
        if (asked == nullptr && resolved == nullptr) continue;
        const std::string& sid = asked ? asked->sessionId : resolved->sessionId;
        const std::size_t index = asked ? asked->index : resolved->index;
        const core::ApprovalCard card = state.sessions.at(sid).approvals.at(index);
        observers.onApproval(sid, card);
      }
    }
  }

  // ---- intents
  // Queues the intent's message; a refusal (by the intent or the outbox) is the shown error.
  std::string submit(core::IntentResult r, const std::string& id) {
    state = std::move(r.state);
    ++version;
    deliver(r.effects);
    if (!r.error.empty() || !r.outgoing) return "";
    const net::SendResult sent = engine.send(*r.outgoing);
    if (!sent.queued()) {
      core::IntentResult failed = core::refuseQueued(std::move(state), id, sent.reason);
      state = std::move(failed.state);
      ++version;
      deliver(failed.effects);
      return "";
    }
    return id;
  }
};

ChatClient::ChatClient(net::EngineConfig config, net::Clock& clock, net::Random& random,
                       net::WebSocketTransport& ws, net::HttpTransport& http,
                       net::Storage& storage)
    : impl_(std::make_unique<Impl>(std::move(config), clock, random, ws, http, storage)) {}

ChatClient::~ChatClient() = default;

void ChatClient::setObservers(Observers o) { impl_->observers = std::move(o); }
void ChatClient::start() {
  impl_->engine.start();
  impl_->keepListCurrent();
}
void ChatClient::stop() {
  impl_->engine.stop();
  impl_->feed.step(SessionFeed::Wanted{});
}
void ChatClient::tick() {
  impl_->engine.tick();
  impl_->keepListCurrent();
}

std::string ChatClient::send(const std::string& text) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::sendMessage(std::move(d.state), id, text, d.clock.nowMs()), id);
}

std::string ChatClient::cancel() {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::cancelStream(std::move(d.state), id), id);
}

std::string ChatClient::respondToApproval(const std::string& toolCallId, bool approved,
                                          bool sessionApprove) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  if (!approved) return d.submit(core::denyTool(std::move(d.state), id, toolCallId), id);
  if (sessionApprove) {
    return d.submit(core::approveToolForSession(std::move(d.state), id, toolCallId), id);
  }
  return d.submit(core::approveTool(std::move(d.state), id, toolCallId), id);
}

std::string ChatClient::switchSession(const std::string& sessionId) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  core::IntentResult r = core::switchSession(std::move(d.state), id, sessionId);
  d.state = std::move(r.state);
  ++d.version;
  d.deliver(r.effects);
  if (!r.error.empty()) return "";
  // The engine sends session.resume itself (now if live, else on the next connect/poll).
  d.engine.switchSession(sessionId);
  d.restoreModel();
  return id;
}

std::string ChatClient::newSession() {
  Impl& d = *impl_;
  const std::string sessionId = net::makeSessionId(d.random);
  return switchSession(sessionId).empty() ? "" : sessionId;
}

std::string ChatClient::loadMoreSessions() { return impl_->requestPage(); }

std::string ChatClient::renameSession(const std::string& sessionId, const std::string& title) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::renameSession(std::move(d.state), id, sessionId, title), id);
}

std::string ChatClient::archiveSession(const std::string& sessionId, bool archived) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::archiveSession(std::move(d.state), id, sessionId, archived), id);
}

std::string ChatClient::deleteSession(const std::string& sessionId) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::deleteSession(std::move(d.state), id, sessionId), id);
}

std::string ChatClient::searchSessions(const std::string& query) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  core::IntentResult r = core::searchSessions(std::move(d.state), id, query);
  if (r.outgoing && !d.read(*r.outgoing)) {
    // Nothing reaches the gateway now: said in the results, not as a failed send.
    r.state.sessionSearch.pendingId.clear();
    r.state.sessionSearch.error = "Search needs a connection to the gateway";
    r.outgoing.reset();
  }
  const bool asked = r.outgoing.has_value();
  r.outgoing.reset();  // already sent (a read never goes through the outbox)
  d.submit(std::move(r), id);
  return asked ? id : "";
}

void ChatClient::clearSessionSearch() {
  Impl& d = *impl_;
  d.submit(core::clearSessionSearch(std::move(d.state)), std::string());
}

std::string ChatClient::regenerate() {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::regenerateReply(std::move(d.state), id), id);
}

std::string ChatClient::editLastMessage(const std::string& messageId, const std::string& text) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::editLastMessage(std::move(d.state), id, messageId, text, d.clock.nowMs()), id);
}

std::string ChatClient::refreshModels() {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::refreshModels(std::move(d.state), id), id);
}

void ChatClient::setModel(const std::string& model) {
  Impl& d = *impl_;
  const std::string sessionId = d.state.currentSessionId;
  d.submit(core::chooseModel(std::move(d.state), model), std::string());
  if (sessionId.empty()) return;
  if (model.empty()) {
    d.store.remove(Impl::modelKey(sessionId));
  } else {
    d.store.set(Impl::modelKey(sessionId), model);
  }
}

void ChatClient::toggleThinking(const std::string& requestId) {
  Impl& d = *impl_;
  d.submit(core::toggleThinking(std::move(d.state), requestId), std::string());
}

void ChatClient::retryNow() { impl_->engine.retryNow(); }
void ChatClient::notifyOnline() { impl_->engine.notifyOnline(); }
void ChatClient::notifyOffline() { impl_->engine.notifyOffline(); }
void ChatClient::notifyVisible() { impl_->engine.notifyVisible(); }
void ChatClient::setCredentials(const std::string& token, const std::string& pin) {
  impl_->engine.setCredentials(token, pin);
}

const core::ChatState& ChatClient::state() const { return impl_->state; }
const net::Status& ChatClient::status() const { return impl_->engine.status(); }
bool ChatClient::loadingHistory() const { return impl_->engine.loadingHistory(); }
uint64_t ChatClient::version() const { return impl_->version; }

}  // namespace chat::client
