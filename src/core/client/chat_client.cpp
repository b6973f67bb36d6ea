// ChatClient: ChatState + reducer + intents on top of the ConnectionEngine.
//
// Gaps are handled by the engine itself (it sees the reducer's Outcome::Gap from apply() and
// resumes from lastAppliedSeq), so the client only reports outcomes. Observers run after the
// state is updated; they may call back into the client (e.g. send()).
#include "core/client/chat_client.h"

#include <cstdint>
#include <map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "core/chat/intents.h"
#include "core/chat/reducer.h"
#include "core/client/transcript_edit.h"
#include "core/net/ids.h"

namespace chat::client {

namespace {

bool isComplete(const core::Message& m) {
  switch (m.role) {
    case core::Role::User: return m.status == core::MessageStatus::Sent;
    case core::Role::Assistant: return m.status == core::MessageStatus::Complete;  // not Streaming
    case core::Role::System:
    case core::Role::Error: return m.status != core::MessageStatus::Sending;
  }
  return false;
}

}  // namespace

struct ChatClient::Impl : net::EngineSink {
  Impl(net::EngineConfig config, net::Clock& c, net::Random& r, net::WebSocketTransport& ws,
       net::HttpTransport& http, net::Storage& storage)
      : clock(c), random(r), engine(std::move(config), c, r, ws, http, storage, *this) {
    status = engine.status();
    core::IntentResult opened = core::switchSession(std::move(state), nextId(), engine.sessionId());
    state = std::move(opened.state);  // the engine resumes the session itself
    restorePending();
  }

  net::Clock& clock;
  net::Random& random;
  core::ChatState state;
  net::Status status;
  Observers observers;
  uint64_t version = 0;
  uint64_t counter = 0;
  // Echoes restored from the persisted outbox (message id -> session), kept at the end of
  // their session until the gateway's chat.message for them places them in the history.
  std::map<std::string, std::string> restored;
  // "session\nkey" of messages already reported complete. Hashed: a history load inserts one
  // per message, and these keys share long prefixes (session id, "reply:", client id stem).
  std::unordered_set<std::string> notified;
  net::ConnectionEngine engine;  // last: it is built on the members above

  std::string nextId() { return net::makeMessageId("c-", ++counter, random); }

  void restorePending() {
    const std::string current = state.currentSessionId;
    for (const proto::ClientMessage& m : engine.pendingMessages()) {
      const auto* send = std::get_if<proto::ChatSend>(&m);
      if (send == nullptr) continue;
      state.currentSessionId = send->sessionId.value_or(current);
      core::IntentResult r = core::sendMessage(std::move(state), send->id, send->content,
                                               clock.nowMs());
      state = std::move(r.state);
      if (r.error.empty()) restored[send->id] = state.currentSessionId;
    }
    state.currentSessionId = current;
  }

  core::SessionState* session(const std::string& id) {
    auto it = state.sessions.find(id);
    return it == state.sessions.end() ? nullptr : &it->second;
  }

  // ---- EngineSink
  core::Outcome apply(const proto::GatewayMessage& m) override {
    std::string sessionId;
    int64_t seq = 0;
    const bool isEvent = proto::sessionEventKey(m, &sessionId, &seq);

    std::vector<core::Message> held = isEvent ? detachRestored(sessionId) : std::vector<core::Message>();
    const core::SessionState* before = isEvent ? session(sessionId) : nullptr;
    const std::size_t oldSize = before ? before->messages.size() : 0;
    std::string ackedId;
    bool wasSent = false;
    if (auto* ack = std::get_if<proto::Ack>(&m)) {
      ackedId = ack->requestId;
      wasSent = userMessageSent(ackedId);
    }

    core::Reduced r = core::reduce(std::move(state), m);
    state = std::move(r.state);
    if (!ackedId.empty()) state = core::markAcked(std::move(state), ackedId);

    if (auto* echo = std::get_if<proto::ChatMessageEvent>(&m)) restored.erase(echo->messageId);
    if (auto* error = std::get_if<proto::ErrorEvent>(&m); error && error->requestId) {
      restored.erase(*error->requestId);  // refused: it will never be echoed
    }
    reattach(sessionId, std::move(held));
    ++version;

    notifyNewMessages(sessionId, isEvent ? oldSize : SIZE_MAX);
    if (auto* end = std::get_if<proto::StreamEnd>(&m)) {
      notifyKey(sessionId, replyKey(end->requestId));  // completed in place
    }
    if (auto* echo = std::get_if<proto::ChatMessageEvent>(&m)) notifyKey(sessionId, echo->messageId);
    if (!ackedId.empty() && !wasSent) notifyUserMessage(ackedId);
    if (r.outcome == core::Outcome::Applied) notifyApproval(m, sessionId);
    return r.outcome;
  }

  int64_t lastAppliedSeq(const std::string& sessionId) override {
    const core::SessionState* s = session(sessionId);
    return s ? s->lastSeq : 0;
  }

  void onStatus(const net::Status& s) override {
    status = s;
    ++version;
    if (observers.onStatus) observers.onStatus(s);
  }

  // ---- restored echoes
  std::vector<core::Message> detachRestored(const std::string& sessionId) {
    std::vector<core::Message> held;
    if (restored.empty()) return held;  // the usual case: nothing restored after a reload
    core::SessionState* s = session(sessionId);
    if (s == nullptr) return held;
    for (const auto& [id, sid] : restored) {
      if (sid != sessionId) continue;
      if (auto m = detachMessage(*s, id)) held.push_back(std::move(*m));
    }
    return held;
  }

  void reattach(const std::string& sessionId, std::vector<core::Message> held) {
    if (held.empty()) return;
    core::SessionState& s = state.sessions[sessionId];
    for (core::Message& m : held) {
      // Placed by the gateway's echo meanwhile: the reducer's copy is the real one.
      if (s.messageById.count(m.id) != 0 || restored.count(m.id) == 0) continue;
      appendMessage(s, std::move(m));
    }
  }

  // ---- observers
  bool userMessageSent(const std::string& id) {
    for (auto& [sid, s] : state.sessions) {
      auto it = s.messageById.find(id);
      if (it != s.messageById.end() && it->second < s.messages.size() &&
          s.messages[it->second].role == core::Role::User) {
        return s.messages[it->second].status == core::MessageStatus::Sent;
      }
    }
    return false;
  }

  // messageById keys (chat_state.h): user and error messages by id, replies by "reply:" + id.
  static std::string replyKey(const std::string& requestId) { return "reply:" + requestId; }
  static std::string keyOf(const core::Message& m) {
    return m.role == core::Role::Assistant ? replyKey(m.requestId) : m.id;
  }

  void notifyUserMessage(const std::string& id) {
    for (auto& [sid, s] : state.sessions) {
      auto it = s.messageById.find(id);
      if (it == s.messageById.end() || it->second >= s.messages.size()) continue;
      if (s.messages[it->second].role == core::Role::User) notifyKey(sid, id);
      return;
    }
  }

  void notifyKey(const std::string& sessionId, const std::string& key) {
    const core::SessionState* s = session(sessionId);
    if (s == nullptr) return;
    auto it = s->messageById.find(key);
    if (it == s->messageById.end() || it->second >= s->messages.size()) return;
    const core::Message m = s->messages[it->second];  // a copy: observers may change state
    if (isComplete(m)) fireComplete(sessionId, m);
  }

  void notifyNewMessages(const std::string& sessionId, std::size_t from) {
    const core::SessionState* s = session(sessionId);
    if (s == nullptr || from >= s->messages.size()) return;
    std::vector<core::Message> fresh(s->messages.begin() + static_cast<std::ptrdiff_t>(from),
                                     s->messages.end());
    for (const core::Message& m : fresh) {
      if (isComplete(m)) fireComplete(sessionId, m);
    }
  }

  // Once per message: a user message is confirmed by its ack and by its echo.
  void fireComplete(const std::string& sessionId, const core::Message& m) {
    if (!notified.insert(sessionId + "\n" + keyOf(m)).second) return;
    if (observers.onMessageComplete) observers.onMessageComplete(sessionId, m);
  }

  void notifyApproval(const proto::GatewayMessage& m, const std::string& sessionId) {
    std::string toolCallId;
    if (auto* req = std::get_if<proto::ToolApprovalRequest>(&m)) toolCallId = req->toolCallId;
    if (auto* res = std::get_if<proto::ToolApprovalResolved>(&m)) toolCallId = res->toolCallId;
    if (toolCallId.empty() || !observers.onApproval) return;
    const core::SessionState* s = session(sessionId);
    if (s == nullptr) return;
    auto it = s->approvalById.find(toolCallId);
    if (it == s->approvalById.end() || it->second >= s->approvals.size()) return;
    const core::ApprovalCard card = s->approvals[it->second];
    observers.onApproval(sessionId, card);
  }

  // ---- intents
  // Queues the intent's message; on refusal the reason becomes the visible error.
  std::string submit(core::IntentResult r, const std::string& id, bool isChatSend) {
    state = std::move(r.state);
    ++version;
    if (!r.error.empty() || !r.outgoing) {
      state.lastError = r.error.empty() ? "nothing to send" : r.error;
      return "";
    }
    const std::string refused = engine.send(*r.outgoing);
    if (!refused.empty()) {
      if (isChatSend) state = core::markSendFailed(std::move(state), id, refused);
      state.lastError = refused;
      ++version;
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
  return d.submit(core::sendMessage(std::move(d.state), id, text, d.clock.nowMs()), id, true);
}

std::string ChatClient::cancel() {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  return d.submit(core::cancelStream(std::move(d.state), id), id, false);
}

std::string ChatClient::respondToApproval(const std::string& toolCallId, bool approved,
                                          bool sessionApprove) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  if (!approved) return d.submit(core::denyTool(std::move(d.state), id, toolCallId), id, false);
  if (sessionApprove) {
    return d.submit(core::approveToolForSession(std::move(d.state), id, toolCallId), id, false);
  }
  return d.submit(core::approveTool(std::move(d.state), id, toolCallId), id, false);
}

std::string ChatClient::switchSession(const std::string& sessionId) {
  Impl& d = *impl_;
  const std::string id = d.nextId();
  core::IntentResult r = core::switchSession(std::move(d.state), id, sessionId);
  d.state = std::move(r.state);
  ++d.version;
  if (!r.error.empty()) {
    d.state.lastError = r.error;
    return "";
  }
  // The engine sends session.resume itself (now if live, else on the next connect/poll).
  d.engine.switchSession(sessionId);
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
  core::IntentResult r;
  r.state = std::move(d.state);
  r.outgoing = proto::SessionListRequest{id};
  return d.submit(std::move(r), id, false);
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
