// Test helpers for the chat reducer suites: builders for gateway events and a Session driver
// that numbers each session's events 1, 2, 3, ... like the gateway does.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "core/chat/chat_state.h"
#include "core/chat/intents.h"
#include "core/chat/reducer.h"
#include "core/protocol/messages.h"

namespace chat::core::testing {

// Feeds messages through reduce() and keeps the resulting state and the last Reduced fields.
class Driver {
 public:
  ChatState state;
  Outcome lastOutcome = Outcome::Applied;
  std::string lastGapSessionId;
  int64_t lastResumeFromSeq = 0;

  std::vector<Effect> lastEffects;

  Outcome feed(const proto::GatewayMessage& m) {
    Reduced r = reduce(std::move(state), m);
    state = std::move(r.state);
    lastOutcome = r.outcome;
    lastEffects = r.effects;
    lastGapSessionId.clear();
    lastResumeFromSeq = 0;
    for (const Effect& e : r.effects) {
      if (const auto* gap = std::get_if<GapDetected>(&e)) {
        lastGapSessionId = gap->sessionId;
        lastResumeFromSeq = gap->resumeFromSeq;
      }
    }
    return r.outcome;
  }

  // The text streamed so far into the session's current reply ("" before its first delta).
  std::string streamText(const std::string& sid) {
    const SessionState& s = session(sid);
    const std::size_t i = s.streamingReplyIndex();
    return i == SIZE_MAX ? std::string() : s.messages[i].content;
  }

  // The shown error's text, "" when there is none.
  std::string errorText() const { return state.error ? state.error->text() : std::string(); }

  // The next seq of a session, as the gateway would number it.
  int64_t next(const std::string& sessionId) { return ++seqs_[sessionId]; }

  // Event builders that take the session's next seq and feed the event.
  Outcome created(const std::string& sid) {
    return feed(proto::SessionCreated{sid, next(sid), "key-" + sid});
  }
  Outcome userEcho(const std::string& sid, const std::string& messageId,
                   const std::string& content, int64_t ts = 1000) {
    return feed(proto::ChatMessageEvent{sid, next(sid), messageId, "user", content, ts});
  }
  Outcome start(const std::string& sid, const std::string& req, const std::string& model = "m1") {
    return feed(proto::StreamStart{sid, next(sid), req, model, std::nullopt});
  }
  Outcome delta(const std::string& sid, const std::string& req, const std::string& text) {
    return feed(proto::StreamDelta{sid, next(sid), req, text});
  }
  Outcome reasoning(const std::string& sid, const std::string& req, const std::string& text) {
    return feed(proto::StreamReasoning{sid, next(sid), req, text});
  }
  Outcome end(const std::string& sid, const std::string& req, proto::Usage u = {},
              proto::Cost c = {}, const std::string& stopReason = "end") {
    return feed(proto::StreamEnd{sid, next(sid), req, u, c, stopReason});
  }
  Outcome approvalRequest(const std::string& sid, const std::string& req,
                          const std::string& callId, const std::string& tool = "shell",
                          const std::string& risk = "high") {
    return feed(proto::ToolApprovalRequest{sid, next(sid), req, callId, tool,
                                           nlohmann::json{{"cmd", "ls"}}, risk});
  }
  Outcome approvalResolved(const std::string& sid, const std::string& callId, bool approved,
                           bool sessionApprove = false) {
    return feed(proto::ToolApprovalResolved{sid, next(sid), callId, approved, sessionApprove});
  }
  Outcome toolCall(const std::string& sid, const std::string& req, const std::string& callId,
                   const std::string& tool = "shell",
                   nlohmann::json args = nlohmann::json{{"cmd", "ls"}}) {
    return feed(proto::ToolCall{sid, next(sid), req, callId, tool, std::move(args)});
  }
  Outcome toolOutput(const std::string& sid, const std::string& req, const std::string& callId,
                     const std::string& text) {
    return feed(proto::ToolOutput{sid, next(sid), req, callId, text});
  }
  Outcome toolResult(const std::string& sid, const std::string& req, const std::string& callId,
                     nlohmann::json result, const std::string& tool = "shell") {
    return feed(proto::ToolResult{sid, next(sid), req, callId, tool, std::move(result)});
  }
  Outcome toolError(const std::string& sid, const std::string& req, const std::string& callId,
                    const std::string& error, const std::string& tool = "shell") {
    return feed(proto::ToolError{sid, next(sid), req, callId, tool, error});
  }
  Outcome sessionError(const std::string& sid, const std::string& code,
                       const std::string& message,
                       std::optional<std::string> requestId = std::nullopt) {
    proto::ErrorEvent e;
    e.requestId = std::move(requestId);
    e.code = code;
    e.message = message;
    e.sessionId = sid;
    e.seq = next(sid);
    return feed(e);
  }

  // Applies sendMessage to the driver's state. The returned result's state is moved back
  // into the driver (read it through `state`), so long histories are never copied.
  IntentResult send(const std::string& id, const std::string& text, int64_t now = 5000) {
    IntentResult r = sendMessage(std::move(state), id, text, now);
    state = std::move(r.state);
    r.state = ChatState{};
    return r;
  }

  const SessionState& session(const std::string& sid) const { return state.sessions.at(sid); }

 private:
  std::map<std::string, int64_t> seqs_;
};

// A state whose current session is `sid` (known to the client, no events yet).
inline ChatState stateWithSession(const std::string& sid) {
  ChatState s;
  s.currentSessionId = sid;
  s.sessions[sid].sessionId = sid;
  return s;
}

}  // namespace chat::core::testing
