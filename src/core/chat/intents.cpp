// User intents: each validates against the state, updates it, and names the message to send.
#include "core/chat/intents.h"

#include <utility>

#include "core/chat/message_text.h"
#include "core/chat/intent_result.h"
#include "core/chat/transcript.h"

namespace chat::core {

using detail::accept;
using detail::nothing;
using detail::refuse;

namespace {



// The approval card for this call: the current session's first, then any other session's.
std::pair<SessionState*, ApprovalCard*> findApprovalAnywhere(ChatState& state,
                                                             const std::string& toolCallId) {
  auto current = state.sessions.find(state.currentSessionId);
  if (current != state.sessions.end()) {
    if (ApprovalCard* card = detail::findApproval(current->second, toolCallId)) {
      return {&current->second, card};
    }
  }
  for (auto& [sessionId, session] : state.sessions) {
    if (ApprovalCard* card = detail::findApproval(session, toolCallId)) return {&session, card};
  }
  return {nullptr, nullptr};
}

IntentResult answerApproval(ChatState state, const std::string& id,
                            const std::string& toolCallId, bool approved, bool sessionApprove) {
  auto [session, card] = findApprovalAnywhere(state, toolCallId);
  if (card == nullptr) return refuse(std::move(state), "no such approval request");
  if (card->status != ApprovalStatus::Pending) {
    return refuse(std::move(state), "this approval was already resolved");
  }
  if (card->responseSent) return refuse(std::move(state), "this approval was already answered");
  card->responseSent = true;
  IntentResult r = accept(std::move(state), proto::ToolApprovalResponse{id, toolCallId, approved,
                                                                        sessionApprove});
  detail::Step(r.effects).revise(*session, *card);
  return r;
}

}  // namespace

IntentResult sendMessage(ChatState state, const std::string& id, const std::string& text,
                         int64_t nowMs) {
  if (state.currentSessionId.empty()) return refuse(std::move(state), "no session");
  if (std::string reason = detail::validateMessageText(text); !reason.empty()) {
    return refuse(std::move(state), std::move(reason));
  }
  SessionState& session = detail::ensureSession(state, state.currentSessionId);
  if (detail::findMessage(session, id) != nullptr) {
    return refuse(std::move(state), "duplicate message id");
  }
  Message m;
  m.id = id;
  m.role = Role::User;
  m.status = MessageStatus::Sending;
  m.content = text;
  m.timestamp = nowMs;
  detail::defaultTitleFrom(session, text);
  detail::appendMessage(session, id, std::move(m));
  proto::ChatSend send;
  send.id = id;
  send.content = text;
  send.sessionId = state.currentSessionId;
  if (!session.model.empty()) send.model = session.model;  // the session's pick, else the default
  return accept(std::move(state), std::move(send));
}

IntentResult cancelStream(ChatState state, const std::string& id) {
  auto it = state.sessions.find(state.currentSessionId);
  if (it == state.sessions.end() || !it->second.streaming) {
    return refuse(std::move(state), "nothing is streaming");
  }
  const std::string requestId = it->second.streaming->requestId;
  return accept(std::move(state), proto::ChatCancel{id, requestId});
}

IntentResult approveTool(ChatState state, const std::string& id, const std::string& toolCallId) {
  return answerApproval(std::move(state), id, toolCallId, true, false);
}

IntentResult denyTool(ChatState state, const std::string& id, const std::string& toolCallId) {
  return answerApproval(std::move(state), id, toolCallId, false, false);
}

IntentResult approveToolForSession(ChatState state, const std::string& id,
                                   const std::string& toolCallId) {
  return answerApproval(std::move(state), id, toolCallId, true, true);
}

IntentResult switchSession(ChatState state, const std::string& id, const std::string& sessionId) {
  if (!detail::isValidSessionId(sessionId)) return refuse(std::move(state), "invalid session id");
  state.currentSessionId = sessionId;
  const int64_t lastSeq = detail::ensureSession(state, sessionId).lastSeq;
  IntentResult r = accept(std::move(state), proto::SessionResume{id, sessionId, lastSeq});
  detail::Step step(r.effects);
  step.clearErrorIf(r.state, clearedBySessionSwitch);
  step.emit(SessionOpened{sessionId});
  return r;
}

IntentResult restorePendingSend(ChatState state, const proto::ChatSend& send, int64_t nowMs) {
  // Not shown (and no error raised: the outbox still holds and resends it) when it cannot be.
  auto skip = [&state](const char* why) {
    IntentResult r;
    r.state = std::move(state);
    r.error = why;
    return r;
  };
  const std::string sessionId = send.sessionId.value_or(state.currentSessionId);
  if (!detail::isValidSessionId(sessionId)) return skip("invalid session id");
  if (!detail::validateMessageText(send.content).empty()) return skip("invalid text");
  SessionState& session = detail::ensureSession(state, sessionId);
  if (detail::findMessage(session, send.id) != nullptr) return skip("duplicate message id");
  Message m;
  m.id = send.id;
  m.role = Role::User;
  m.status = MessageStatus::Sending;
  m.content = send.content;
  m.timestamp = nowMs;
  detail::defaultTitleFrom(session, send.content);
  detail::appendHeldMessage(session, std::move(m));
  IntentResult r;
  r.state = std::move(state);
  return r;
}

IntentResult refuseQueued(ChatState state, const std::string& id, const std::string& reason) {
  IntentResult r;
  r.state = std::move(state);
  r.error = reason;
  detail::Step step(r.effects);
  auto [session, m] = detail::findUserMessageWithSession(r.state, id);
  // Only a message the gateway has not confirmed can fail.
  if (m != nullptr && m->status == MessageStatus::Sending) {
    m->status = MessageStatus::Failed;
    m->error = reason;
    step.revise(*session, *m);
    step.failed(*session, *m);
  }
  step.raise(r.state, ChatError{ErrorKind::Refused, std::string(), reason});
  return r;
}

IntentResult toggleThinking(ChatState state, const std::string& requestId) {
  IntentResult r;
  r.state = std::move(state);
  auto current = r.state.sessions.find(r.state.currentSessionId);
  Message* reply = current == r.state.sessions.end()
                       ? nullptr
                       : detail::findMessage(current->second, detail::replyKey(requestId));
  if (reply == nullptr || reply->reasoning.empty()) {
    return refuse(std::move(r.state), "this reply has no reasoning to show");
  }
  reply->reasoningOpen = !reply->reasoningOpen;
  detail::Step(r.effects).revise(current->second, *reply);
  return r;
}

IntentResult chooseModel(ChatState state, const std::string& model) {
  if (state.currentSessionId.empty()) return refuse(std::move(state), "no session");
  IntentResult r;
  r.state = std::move(state);
  detail::ensureSession(r.state, r.state.currentSessionId).model = model;
  return r;
}

IntentResult refreshModels(ChatState state, const std::string& id) {
  return accept(std::move(state), proto::ModelListRequest{id});
}

}  // namespace chat::core
