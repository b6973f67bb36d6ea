// Conversation events: session.created, chat.message, chat.stream.*, and session errors.
#include <string>
#include <utility>

#include "core/chat/session_events.h"
#include "core/chat/transcript.h"

namespace chat::core::detail {

namespace {

void addUsage(proto::Usage& total, const proto::Usage& u) {
  total.inputTokens += u.inputTokens;
  total.outputTokens += u.outputTokens;
  total.totalTokens += u.totalTokens;
}

void addCost(proto::Cost& total, const proto::Cost& c) {
  total.inputCost += c.inputCost;
  total.outputCost += c.outputCost;
  total.totalCost += c.totalCost;
}

Role roleFromWire(const std::string& role) {
  if (role == "assistant") return Role::Assistant;
  if (role == "system") return Role::System;
  return Role::User;  // the contract only sends "user"; anything else is shown as one
}

}  // namespace

void applyEvent(ChatState& state, SessionState& session, const proto::SessionCreated&, Step& step) {
  // A fresh client starts on the first session the gateway makes for it.
  if (state.currentSessionId.empty()) {
    state.currentSessionId = session.sessionId;
    step.emit(SessionOpened{session.sessionId});
  }
}

void applyEvent(ChatState&, SessionState& session, const proto::ChatMessageEvent& e, Step& step) {
  const Role role = roleFromWire(e.role);
  if (role == Role::User && !e.messageId.empty()) {
    auto found = session.messageById.find(e.messageId);
    if (found != session.messageById.end() && found->second < session.messages.size() &&
        session.messages[found->second].role == Role::User) {
      // Our own local echo coming back: the gateway now has it, and its place in the
      // transcript is where the gateway logged it (e.g. after a reply that was streaming
      // while the user typed), so the order matches every other tab and every reload.
      markUserMessageSent(step, session, session.messages[found->second]);
      moveMessageToEnd(session, found->second);
      return;
    }
  }
  Message m;
  m.id = e.messageId.empty() ? "msg-" + std::to_string(e.seq) : e.messageId;
  m.role = role;
  m.status = role == Role::User ? MessageStatus::Sent : MessageStatus::Complete;
  m.content = e.content;
  m.timestamp = e.timestamp;
  if (role == Role::User) defaultTitleFrom(session, m.content);
  const std::string key = m.id;
  step.completed(session, appendMessage(session, key, std::move(m)));
}

// The reply's message is created with its first delta (or its end, when it has no text): that
// is its place in the transcript, after the turn's tool cards (the demo agent and real agents
// run tools before they write), and before anything the user typed while it streamed.
static Message& startReply(SessionState& session, const std::string& requestId, const std::string& model) {
  if (Message* existing = findMessage(session, replyKey(requestId))) return *existing;
  Message m;
  m.id = requestId;
  m.role = Role::Assistant;
  m.status = MessageStatus::Streaming;
  m.requestId = requestId;
  m.model = model;
  return appendMessage(session, replyKey(requestId), std::move(m));
}

void applyEvent(ChatState& state, SessionState& session, const proto::StreamStart& e, Step&) {
  session.streaming = Streaming{e.requestId, e.model, e.seq};
  if (!e.model.empty()) state.currentModel = e.model;
}

void applyEvent(ChatState&, SessionState& session, const proto::StreamDelta& e, Step& step) {
  if (!session.streaming || session.streaming->requestId != e.requestId) {
    // A delta without its start (should not happen): keep the text rather than lose it.
    session.streaming = Streaming{e.requestId, std::string(), e.seq};
  }
  Message& reply = startReply(session, e.requestId, session.streaming->model);
  if (reply.status != MessageStatus::Streaming) return;  // already ended: never reopened
  reply.content += e.delta;
  step.revise(session, reply);
}

// Reasoning opens the reply like its first delta does (its place in the transcript), and grows
// the reply's reasoning, never its text.
void applyEvent(ChatState&, SessionState& session, const proto::StreamReasoning& e, Step& step) {
  if (!session.streaming || session.streaming->requestId != e.requestId) {
    session.streaming = Streaming{e.requestId, std::string(), e.seq};
  }
  Message& reply = startReply(session, e.requestId, session.streaming->model);
  if (reply.status != MessageStatus::Streaming) return;  // already ended: never reopened
  reply.reasoning += e.delta;
  step.revise(session, reply);
}

void applyEvent(ChatState&, SessionState& session, const proto::StreamEnd& e, Step& step) {
  const bool ownsStream = session.streaming && session.streaming->requestId == e.requestId;
  if (Message* done = findMessage(session, replyKey(e.requestId));
      done != nullptr && done->status != MessageStatus::Streaming) {
    // A second end for a finished reply (a gateway bug): never record or count a turn twice.
    if (ownsStream) session.streaming.reset();
    return;
  }
  // An end without its start (should not happen) still records the reply, at the end.
  Message& m = startReply(session, e.requestId, std::string());
  m.status = MessageStatus::Complete;
  m.stopReason = e.stopReason;
  m.usage = e.usage;
  m.cost = e.cost;
  if (ownsStream) {
    if (!session.streaming->model.empty()) m.model = std::move(session.streaming->model);
    session.streaming.reset();
  }
  // An empty cancelled reply is still recorded, so the UI can show that it was stopped.
  addUsage(session.totalUsage, e.usage);
  if (e.cost) {
    addCost(session.totalCost, *e.cost);
  } else {
    ++session.unpricedReplies;  // the totals say "unknown" rather than count it as $0
  }
  step.revise(session, m);
  step.completed(session, m);
}

void applyEvent(ChatState&, SessionState& session, const proto::ErrorEvent& e, Step& step) {
  // The stream this error belongs to is NOT ended here: chat.stream.end always follows.
  Message m;
  m.id = "err-" + std::to_string(e.seq);
  m.role = Role::Error;
  m.status = MessageStatus::Complete;
  m.content = e.code.empty() ? e.message : e.code + ": " + e.message;
  m.requestId = e.requestId.value_or(std::string());
  const std::string key = m.id;
  step.completed(session, appendMessage(session, key, std::move(m)));
}

}  // namespace chat::core::detail
