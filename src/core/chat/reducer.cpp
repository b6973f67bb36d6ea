// reduce(): applies the seq rule to session events and handles connection-level messages.
#include "core/chat/reducer.h"

#include <string>
#include <type_traits>
#include <utility>

#include "core/chat/session_events.h"
#include "core/chat/session_list_reduce.h"
#include "core/chat/transcript.h"

namespace chat::core {

namespace {

using detail::applyEvent;

// The seq rule (core/protocol/seq_rule.h): apply N+1, drop <= N, report a gap beyond N+1
// without applying.
template <typename Event>
void applyInOrder(Reduced& r, detail::Step& step, const Event& e, const std::string& sessionId) {
  auto it = r.state.sessions.find(sessionId);
  const int64_t lastSeq = it == r.state.sessions.end() ? 0 : it->second.lastSeq;
  r.outcome = proto::seqOutcome(lastSeq, e.seq);
  if (r.outcome == Outcome::Duplicate) return;
  if (r.outcome == Outcome::Gap) {
    step.emit(GapDetected{sessionId, lastSeq});
    return;
  }
  SessionState& session = detail::ensureSession(r.state, sessionId);
  applyEvent(r.state, session, e, step);
  session.lastSeq = e.seq;
  r.outcome = Outcome::Applied;
}

// Connection-level messages.
struct ConnectionHandler {
  Reduced& r;
  detail::Step& step;

  // A signed-in connection: whatever went wrong before is over.
  void operator()(const proto::AuthOk&) const {
    step.clearErrorIf(r.state, [](const ChatError&) { return true; });
    r.outcome = Outcome::Ignored;
  }

  void operator()(const proto::AuthFailed& m) const {
    step.raise(r.state, ChatError{ErrorKind::Unauthorized, m.code, m.message});
  }

  void operator()(const proto::Ack& m) const {
    // The gateway accepts messages again: an error about an earlier one is over.
    step.clearErrorIf(r.state, clearedByAck);
    auto [session, message] = detail::findUserMessageWithSession(r.state, m.requestId);
    // Acks of cancels, approvals, resumes... change nothing in the transcript.
    if (message == nullptr || !detail::markUserMessageSent(step, *session, *message)) {
      r.outcome = Outcome::Ignored;
    }
  }

  void operator()(const proto::Pong&) const { r.outcome = Outcome::Ignored; }

  // The session list's pages, feed and search answers (session_list_reduce.h).
  void operator()(const proto::SessionList& m) const {
    if (!detail::applyListMessage(r.state, m)) r.outcome = Outcome::Ignored;
  }
  void operator()(const proto::SessionChanged& m) const {
    if (!detail::applyListMessage(r.state, m, step)) r.outcome = Outcome::Ignored;
  }
  void operator()(const proto::SessionSearchResult& m) const {
    if (!detail::applyListMessage(r.state, m)) r.outcome = Outcome::Ignored;
  }

  void operator()(const proto::ModelList& m) const {
    r.state.models.clear();
    for (const proto::ModelInfo& info : m.models) r.state.models.push_back(info.id);
    r.state.modelsError = m.error.value_or(std::string());
  }

  // No view lists threads yet.
  void operator()(const proto::ThreadList&) const { r.outcome = Outcome::Ignored; }

  void operator()(const proto::SessionResumed& m) const {
    const bool known = r.state.sessions.count(m.sessionId) != 0;
    if (!known) detail::ensureSession(r.state, m.sessionId);
    if (r.state.currentSessionId.empty()) {
      r.state.currentSessionId = m.sessionId;
      step.emit(SessionOpened{m.sessionId});
    } else if (known) {
      r.outcome = Outcome::Ignored;
    }
  }

  // An error without (sessionId, seq): shown as the connection's last error. If it answers a
  // chat.send still waiting in the transcript, that message failed.
  void connectionError(const proto::ErrorEvent& m) const {
    const ChatError error{ErrorKind::Gateway, m.code, m.message};
    step.raise(r.state, error);
    if (!m.requestId) return;
    detail::listRequestFailed(r.state, *m.requestId, error.text());
    auto [session, message] = detail::findUserMessageWithSession(r.state, *m.requestId);
    if (message != nullptr && message->status == MessageStatus::Sending) {
      message->status = MessageStatus::Failed;
      message->error = error.text();
      // Refused for good: it will never be echoed, so a restored echo is no longer held.
      if (message->heldAtEnd) detail::moveMessageToEnd(*session, detail::indexOf(*session, *message));
      step.revise(*session, *message);
      step.failed(*session, *message);
    }
  }
};

}  // namespace

Reduced reduce(ChatState state, const proto::GatewayMessage& msg) {
  Reduced r;
  r.state = std::move(state);
  detail::Step step(r.effects);
  ConnectionHandler connection{r, step};
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, proto::ErrorEvent>) {
          if (m.sessionId && m.seq > 0) {
            applyInOrder(r, step, m, *m.sessionId);
          } else {
            connection.connectionError(m);
          }
        } else if constexpr (std::is_same_v<T, proto::AuthOk> ||
                             std::is_same_v<T, proto::AuthFailed> ||
                             std::is_same_v<T, proto::Ack> || std::is_same_v<T, proto::Pong> ||
                             std::is_same_v<T, proto::SessionList> ||
                             std::is_same_v<T, proto::SessionChanged> ||
                             std::is_same_v<T, proto::SessionSearchResult> ||
                             std::is_same_v<T, proto::ThreadList> ||
                             std::is_same_v<T, proto::ModelList> ||
                             std::is_same_v<T, proto::SessionResumed>) {
          connection(m);
        } else {
          applyInOrder(r, step, m, m.sessionId);
        }
      },
      msg);
  return r;
}

}  // namespace chat::core
