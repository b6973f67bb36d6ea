#include "gateway/gateway_core.h"

#include "core/protocol/codec.h"
#include "gateway/demo_script.h"
#include "gateway/util.h"

namespace chat::gateway {

std::string encodeAck(const std::string& requestId) {
  return proto::encode(proto::GatewayMessage{proto::Ack{requestId}});
}

std::string encodeError(const std::optional<std::string>& requestId, const std::string& code,
                        const std::string& message) {
  proto::ErrorEvent e;
  e.requestId = requestId;
  e.code = code;
  e.message = message;
  return proto::encode(proto::GatewayMessage{e});
}

std::optional<std::string> extractMessageId(const std::string& frame) {
  auto j = nlohmann::json::parse(frame, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find("id");
  if (it == j.end() || !it->is_string()) return std::nullopt;
  auto id = it->get<std::string>();
  if (id.empty() || id.size() > proto::kMaxIdChars) return std::nullopt;
  return id;
}

GatewayCore::GatewayCore(boost::asio::io_context& ioc, EventLog& log, Hub& hub,
                         int64_t demoDelayMs)
    : log_(log),
      hub_(hub),
      demo_(ioc, demoDelayMs,
            [this](const std::string& sessionId, const std::vector<nlohmann::json>& events) {
              emit(sessionId, events);
            },
            [this](const std::string& sessionId, const std::string& requestId) {
              onTurnDone(sessionId, requestId);
            }) {}

std::vector<LoggedEvent> GatewayCore::emit(const std::string& sessionId,
                                           const std::vector<nlohmann::json>& events,
                                           const std::optional<ProcessedRecord>& processed,
                                           const std::optional<QueuedTurn>& queued) {
  auto logged = log_.append(sessionId, events, wallClockMs(), processed, queued);
  hub_.publish(sessionId, logged);
  return logged;
}

GatewayCore::Result GatewayCore::error(const std::string& requestId, const std::string& code,
                                       const std::string& message) {
  Result r;
  r.frames.push_back(encodeError(requestId, code, message));
  r.isError = true;
  r.errorCode = code;
  return r;
}

GatewayCore::Result GatewayCore::handle(const proto::ClientMessage& message) {
  try {
    if (auto* m = std::get_if<proto::ChatSend>(&message)) return chatSend(*m);
    if (auto* m = std::get_if<proto::ChatCancel>(&message)) return chatCancel(*m);
    if (auto* m = std::get_if<proto::ToolApprovalResponse>(&message)) return approval(*m);
    if (auto* m = std::get_if<proto::SessionListRequest>(&message)) {
      Result r;
      r.frames.push_back(encodeAck(m->id));
      r.frames.push_back(proto::encode(
          proto::GatewayMessage{proto::SessionList{m->id, log_.listSessions(false)}}));
      return r;
    }
    if (auto* m = std::get_if<proto::ThreadListRequest>(&message)) {
      Result r;
      r.frames.push_back(encodeAck(m->id));
      r.frames.push_back(proto::encode(proto::GatewayMessage{
          proto::ThreadList{m->id, log_.listSessions(m->includeArchived)}}));
      return r;
    }
    if (auto* m = std::get_if<proto::SessionResume>(&message)) {
      if (!isValidSessionId(m->sessionId))
        return error(m->id, proto::code::kBadRequest, "sessionId: 1..64 chars of [A-Za-z0-9._:-]");
      Result r;
      r.frames.push_back(encodeAck(m->id));
      r.frames.push_back(proto::encode(proto::GatewayMessage{
          proto::SessionResumed{m->sessionId, log_.lastSeq(m->sessionId)}}));
      return r;
    }
    if (auto* m = std::get_if<proto::Ping>(&message)) {
      Result r;
      r.frames.push_back(proto::encode(proto::GatewayMessage{proto::Pong{m->id}}));
      return r;
    }
    const std::string& id = proto::messageId(message);
    return error(id, proto::code::kBadRequest, "auth is answered by the transport");
  } catch (const std::exception& e) {
    logLine(std::string("error handling ") + proto::typeName(message) + ": " + e.what());
    return error(proto::messageId(message), proto::code::kInternal, "internal error");
  }
}

GatewayCore::Result GatewayCore::chatSend(const proto::ChatSend& m) {
  if (m.sessionId && !isValidSessionId(*m.sessionId))
    return error(m.id, proto::code::kBadRequest, "sessionId: 1..64 chars of [A-Za-z0-9._:-]");
  if (m.content.empty() || m.content.size() > proto::kMaxContentBytes)
    return error(m.id, proto::code::kBadRequest, "content: 1 byte to 32 KiB");
  if (auto reply = log_.processedReply(m.id)) {  // a resend: same answer, no second effect
    Result r;
    r.frames.push_back(*reply);
    if (m.sessionId) {
      r.sessionId = m.sessionId;
      r.fromSeq = log_.lastSeq(*m.sessionId);
    }
    return r;
  }

  const std::string sessionId = m.sessionId ? *m.sessionId : "s-" + randomHex(8);
  Result r;
  r.sessionId = sessionId;
  r.fromSeq = log_.lastSeq(sessionId);

  std::vector<nlohmann::json> events;
  if (!log_.sessionExists(sessionId))
    events.push_back({{"type", "session.created"}, {"sessionKey", sessionId}});
  events.push_back({{"type", "chat.message"},
                    {"messageId", m.id},
                    {"role", "user"},
                    {"content", m.content},
                    {"timestamp", wallClockMs()}});

  // The echo, the dedup record and the waiting turn in one commit: once acked, the turn runs
  // (now, after the session's running turn, or after a restart).
  QueuedTurn turn{sessionId, m.id, m.content, m.model.value_or(""), false};
  std::string ack = encodeAck(m.id);
  emit(sessionId, events, ProcessedRecord{m.id, ack}, turn);
  turns_.enqueue(std::move(turn));
  startWaitingTurns(sessionId);
  r.frames.push_back(ack);
  return r;
}

void GatewayCore::startWaitingTurns(const std::string& sessionId) {
  // A turn that ends inside this loop (cancelled while waiting, or done at once) re-enters
  // through onTurnDone: the loop below goes on with the next one instead.
  if (stopping_ || !starting_.insert(sessionId).second) return;
  while (!stopping_) {
    std::optional<QueuedTurn> next = turns_.startNext(sessionId);
    if (!next) break;
    try {
      if (next->cancelled) {
        // Cancelled while it waited: its start and its end {cancelled}, in its place.
        DemoTurn::Options options;
        options.requestId = next->requestId;
        options.prompt = next->content;
        options.model = next->model;
        emit(sessionId, DemoTurn(std::move(options)).stop("cancelled", "cancelled by user"));
        turns_.finished(sessionId, next->requestId);
        continue;
      }
      auto first = demo_.start(sessionId, next->requestId, next->content, next->model);
      try {
        emit(sessionId, first);
      } catch (...) {
        demo_.discard(next->requestId);
        throw;
      }
      demo_.run(next->requestId);
    } catch (const std::exception& e) {
      logLine("cannot start turn " + next->requestId + ": " + e.what());
      turns_.putBack(std::move(*next));
      break;
    }
  }
  starting_.erase(sessionId);
}

void GatewayCore::onTurnDone(const std::string& sessionId, const std::string& requestId) {
  turns_.finished(sessionId, requestId);
  startWaitingTurns(sessionId);
}

std::size_t GatewayCore::resumeQueuedTurns() {
  auto queued = log_.queuedTurns();
  for (auto& turn : queued) turns_.enqueue(std::move(turn));
  for (const auto& sessionId : turns_.sessionsWithWaitingTurns()) startWaitingTurns(sessionId);
  return queued.size();
}

void GatewayCore::stopAllTurns(const std::string& why) {
  stopping_ = true;
  demo_.stopAll(why);
}

GatewayCore::Result GatewayCore::chatCancel(const proto::ChatCancel& m) {
  Result r;
  if (auto reply = log_.processedReply(m.id)) {
    r.frames.push_back(*reply);
    return r;
  }
  std::string ack = encodeAck(m.id);
  if (turns_.isWaiting(m.requestId)) {
    // Not started yet: it keeps its place and ends as soon as it starts (durably marked, so a
    // restart does not run it after all).
    log_.cancelQueuedTurn(m.requestId, ProcessedRecord{m.id, ack}, wallClockMs());
    turns_.cancel(m.requestId);
  } else {
    // Cancelling a turn that already ended is not an error: the user pressed stop as it ended.
    demo_.cancel(m.requestId);
    log_.markProcessed(ProcessedRecord{m.id, ack}, wallClockMs());
  }
  r.frames.push_back(ack);
  return r;
}

GatewayCore::Result GatewayCore::approval(const proto::ToolApprovalResponse& m) {
  Result r;
  if (auto reply = log_.processedReply(m.id)) {
    r.frames.push_back(*reply);
    return r;
  }
  if (demo_.resolveApproval(m.toolCallId, m.approved, m.sessionApprove) ==
      DemoAgent::Resolution::NotFound) {
    return error(m.id, proto::code::kNotFound,
                 "no tool call " + m.toolCallId + " is waiting for approval");
  }
  std::string ack = encodeAck(m.id);
  log_.markProcessed(ProcessedRecord{m.id, ack}, wallClockMs());
  r.frames.push_back(ack);
  return r;
}

std::size_t GatewayCore::closeInterruptedTurns() {
  auto open = log_.openTurns();
  const std::string why = "interrupted by gateway restart";
  for (const OpenTurn& turn : open) {
    std::vector<nlohmann::json> events;
    if (!turn.toolCallId.empty()) {
      events.push_back({{"type", "tool.error"},
                        {"requestId", turn.requestId},
                        {"toolCallId", turn.toolCallId},
                        {"toolName", turn.toolName},
                        {"error", why}});
    }
    events.push_back({{"type", "error"},
                      {"requestId", turn.requestId},
                      {"code", proto::code::kInternal},
                      {"message", why}});
    events.push_back({{"type", "chat.stream.end"},
                      {"requestId", turn.requestId},
                      {"usage", {{"inputTokens", 0}, {"outputTokens", 0}, {"totalTokens", 0}}},
                      {"cost", {{"inputCost", 0.0}, {"outputCost", 0.0}, {"totalCost", 0.0}}},
                      {"stopReason", "error"}});
    emit(turn.sessionId, events);
  }
  return open.size();
}

}  // namespace chat::gateway
