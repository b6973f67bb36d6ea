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
#include "core/net/ids.h"

namespace chat::client {

struct ChatClient::Impl : net::EngineSink {
  Impl(net::EngineConfig config, net::Clock& c, net::Random& r, net::WebSocketTransport& ws,
       net::HttpTransport& http, net::Storage& storage)
      : clock(c), random(r), store(storage), engine(std::move(config), c, r, ws, http, storage, *this) {
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
  net::ConnectionEngine engine;  // last: it is built on the members above

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
    core::Reduced r = core::reduce(std::move(state), m);
    state = std::move(r.state);
    ++version;
    deliver(r.effects);
    return r.outcome;
  }

  int64_t lastAppliedSeq(const std::string& sessionId) override {
    const core::SessionState* s = state.session(sessionId);
    return s ? s->lastSeq : 0;
  }

  void onStatus(const net::Status& s) override {
    ++version;
    if (observers.onStatus) observers.onStatus(s);
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
void ChatClient::start() { impl_->engine.start(); }
void ChatClient::stop() { impl_->engine.stop(); }
void ChatClient::tick() { impl_->engine.tick(); }

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

std::string ChatClient::refreshSessions() {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::refreshSessions(std::move(d.state), id), id);
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
