// reduce(): applies the seq rule to session events and handles connection-level messages.
#include "core/chat/reducer.h"

#include <string>
#include <type_traits>
#include <utility>

#include "core/chat/session_events.h"
#include "core/chat/transcript.h"

namespace chat::core {

namespace {

using detail::applyEvent;

// The seq rule of DESIGN.md: apply N+1, drop <= N, report a gap beyond N+1 without applying.
template <typename Event>
void applyInOrder(Reduced& r, const Event& e, const std::string& sessionId) {
  auto it = r.state.sessions.find(sessionId);
  const int64_t lastSeq = it == r.state.sessions.end() ? 0 : it->second.lastSeq;
  if (e.seq <= lastSeq) {
    r.outcome = Outcome::Duplicate;
    return;
  }
  if (e.seq > lastSeq + 1) {
    r.outcome = Outcome::Gap;
    r.gapSessionId = sessionId;
    r.resumeFromSeq = lastSeq;
    return;
  }
  SessionState& session = detail::ensureSession(r.state, sessionId);
  applyEvent(r.state, session, e);
  session.lastSeq = e.seq;
  r.outcome = Outcome::Applied;
}

// Connection-level messages.
struct ConnectionHandler {
  Reduced& r;

  void operator()(const proto::AuthOk&) const { r.outcome = Outcome::Ignored; }

  void operator()(const proto::AuthFailed& m) const {
    r.state.lastError = m.code + ": " + m.message;
  }

  void operator()(const proto::Ack& m) const {
    Message* message = detail::findUserMessageAnywhere(r.state, m.requestId);
    // Acks of cancels, approvals, resumes... change nothing in the transcript.
    if (message == nullptr || !detail::markUserMessageSent(*message)) r.outcome = Outcome::Ignored;
  }

  void operator()(const proto::Pong&) const { r.outcome = Outcome::Ignored; }

  void operator()(const proto::SessionList& m) const {
    r.state.sessionList = m.sessions;
    // The gateway's titles win over the ones made from the first message.
    for (const proto::SessionInfo& info : m.sessions) {
      auto it = r.state.sessions.find(info.sessionId);
      if (it != r.state.sessions.end() && !info.title.empty()) it->second.title = info.title;
    }
  }

  void operator()(const proto::ThreadList& m) const { r.state.threadList = m.threads; }

  void operator()(const proto::SessionResumed& m) const {
    const bool known = r.state.sessions.count(m.sessionId) != 0;
    if (!known) detail::ensureSession(r.state, m.sessionId);
    if (r.state.currentSessionId.empty()) {
      r.state.currentSessionId = m.sessionId;
    } else if (known) {
      r.outcome = Outcome::Ignored;
    }
  }

  // An error without (sessionId, seq): shown as the connection's last error. If it answers a
  // chat.send still waiting in the transcript, that message failed.
  void connectionError(const proto::ErrorEvent& m) const {
    r.state.lastError = m.code + ": " + m.message;
    if (!m.requestId) return;
    Message* message = detail::findUserMessageAnywhere(r.state, *m.requestId);
    if (message != nullptr && message->status == MessageStatus::Sending) {
      message->status = MessageStatus::Failed;
      message->error = r.state.lastError;
    }
  }
};

}  // namespace

Reduced reduce(ChatState state, const proto::GatewayMessage& msg) {
  Reduced r;
  r.state = std::move(state);
  ConnectionHandler connection{r};
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, proto::ErrorEvent>) {
          if (m.sessionId && m.seq > 0) {
            applyInOrder(r, m, *m.sessionId);
          } else {
            connection.connectionError(m);
          }
        } else if constexpr (std::is_same_v<T, proto::AuthOk> ||
                             std::is_same_v<T, proto::AuthFailed> ||
                             std::is_same_v<T, proto::Ack> || std::is_same_v<T, proto::Pong> ||
                             std::is_same_v<T, proto::SessionList> ||
                             std::is_same_v<T, proto::ThreadList> ||
                             std::is_same_v<T, proto::SessionResumed>) {
          connection(m);
        } else {
          applyInOrder(r, m, m.sessionId);
        }
      },
      msg);
  return r;
}

}  // namespace chat::core
