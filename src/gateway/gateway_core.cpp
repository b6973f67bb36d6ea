#include "gateway/gateway_core.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/protocol/codec.h"
#include "gateway/demo_agent.h"
#include "gateway/demo_script.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {

// Whether `events` hold their turn's chat.stream.end (its lease is let go once they are
// committed). The tool in flight needs no telling: the append script records it with the tool
// events themselves (redis_event_store.cpp), so a routed approval finds the turn as soon as
// its request is logged.
bool endsTurn(const std::vector<proto::GatewayMessage>& events) {
  for (const auto& event : events)
    if (std::holds_alternative<proto::StreamEnd>(event)) return true;
  return false;
}

}  // namespace

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

GatewayCore::GatewayCore(boost::asio::io_context& ioc, EventLog& log, EventFanout& hub,
                         int64_t demoDelayMs)
    : GatewayCore(ioc, log, hub, [&ioc, demoDelayMs](Agent::Hooks hooks) -> std::unique_ptr<Agent> {
        return std::make_unique<DemoAgent>(ioc, demoDelayMs, std::move(hooks.emit),
                                           std::move(hooks.onDone),
                                           std::move(hooks.persistedApprovals));
      }) {}

GatewayCore::GatewayCore(boost::asio::io_context& ioc, EventLog& log, EventFanout& hub,
                         const AgentFactory& makeAgent, EventStore* store,
                         SessionListStore* sessions, GrantStore* grants)
    : ioc_(ioc),
      log_(log),
      store_(store ? *store : static_cast<EventStore&>(log)),
      sessions_(sessions),
      grants_(grants),
      hub_(hub),
      commits_(ioc, store_, hub, wallClockMs) {
  Agent::Hooks hooks;
  // An agent's step joins the next group commit; if that commit fails, the turn stops.
  // With leases (several nodes), the turn's lease is let go once its end is committed, and
  // dropped (left for a sweep to close) when the turn stops without it.
  hooks.emit = [this](const std::string& sessionId, const std::string& requestId,
                      const std::vector<proto::GatewayMessage>& events) {
    CommitQueue::Committed onCommitted;
    if (leases_ && endsTurn(events))
      onCommitted = [this, requestId](const std::vector<LoggedEvent>&) { leases_->release(requestId); };
    commits_.enqueue(AppendRequest{sessionId, events, std::nullopt, std::nullopt},
                     [this, requestId] {
                       agent_->abandon(requestId);
                       if (leases_) leases_->drop(requestId);
                     },
                     std::move(onCommitted));
  };
  hooks.onDone = [this](const std::string& sessionId, const std::string& requestId) {
    onTurnDone(sessionId, requestId);
  };
  hooks.persistedApprovals = [this](const std::string& sessionId) {
    if (!grants_) return log_.sessionApprovedTools(sessionId);
    try {
      return grants_->approvedTools(sessionId);
    } catch (const std::exception& e) {  // unreachable: the agent asks again (and grants it locally)
      logLine(std::string("session grants: ") + e.what());
      return std::set<std::string>{};
    }
  };
  hooks.history = [this](const std::string& sessionId) {
    std::vector<proto::GatewayMessage> events;
    for (const auto& e : store_.eventsAfter(sessionId, 0, SIZE_MAX)) {
      auto decoded = proto::decodeGatewayMessage(std::string_view(e.json));
      if (decoded) events.push_back(std::move(decoded.value()));  // the log holds only these
    }
    return events;
  };
  agent_ = makeAgent(std::move(hooks));
}

GatewayCore::Result GatewayCore::error(const std::string& requestId, const std::string& code,
                                       const std::string& message) {
  Result r;
  r.frames.push_back(encodeError(requestId, code, message));
  r.isError = true;
  r.errorCode = code;
  return r;
}

GatewayCore::Result GatewayCore::ackOf(const std::string& id) {
  Result r;
  r.frames.push_back(encodeAck(id));
  return r;
}

GatewayCore::Result GatewayCore::handle(const proto::ClientMessage& message) {
  // Shared, not on this stack: an answer that still came later would find it alive.
  auto out = std::make_shared<std::optional<Result>>();
  handle(message, [out](Result r) { *out = std::move(r); });
  // A message may wait for another's commit first (a cancel of a chat.send still in flight):
  // commit until it is answered.
  while (!*out && commits_.pending() > 0) {
    try {
      commits_.flush();  // a failed commit answers through the message's onFailed
    } catch (const std::exception&) {
    }
  }
  if (!*out) return error(proto::messageId(message), proto::code::kInternal, "internal error");
  return std::move(**out);
}

void GatewayCore::handle(const proto::ClientMessage& message, Reply reply) {
  // Exactly once, whatever happens below.
  auto answered = std::make_shared<bool>(false);
  Reply once = [answered, reply = std::move(reply)](Result r) {
    if (*answered) return;
    *answered = true;
    reply(std::move(r));
  };
  try {
    dispatch(message, once);
  } catch (const std::exception& e) {
    logLine(std::string("error handling ") + proto::typeName(message) + ": " + e.what());
    once(error(proto::messageId(message), proto::code::kInternal, "internal error"));
  }
}

void GatewayCore::dispatch(const proto::ClientMessage& message, const Reply& reply) {
  if (auto* m = std::get_if<proto::ChatSend>(&message)) return chatSend(*m, reply);
  if (auto* m = std::get_if<proto::ChatCancel>(&message)) return chatCancel(*m, reply);
  if (auto* m = std::get_if<proto::ToolApprovalResponse>(&message)) return approval(*m, reply);
  if (auto* m = std::get_if<proto::SessionResume>(&message)) {
    if (!isValidSessionId(m->sessionId))
      return reply(
          error(m->id, proto::code::kBadRequest, "sessionId: 1..64 chars of [A-Za-z0-9._:-]"));
    Result r = ackOf(m->id);
    r.frames.push_back(proto::encode(proto::GatewayMessage{
        proto::SessionResumed{m->sessionId, store_.lastSeq(m->sessionId)}}));
    return reply(std::move(r));
  }
  if (auto* m = std::get_if<proto::ModelListRequest>(&message)) {
    // The agent's models (the upstream's GET /models, or the demo's one): answered when it
    // has them, ack first like the other lists.
    return agent_->listModels(
        [id = m->id, reply](const std::vector<std::string>& models, const std::string& why) {
          proto::ModelList list;
          list.requestId = id;
          for (const std::string& model : models) list.models.push_back(proto::ModelInfo{model});
          if (!why.empty()) list.error = why;
          Result r = ackOf(id);
          r.frames.push_back(proto::encode(proto::GatewayMessage{std::move(list)}));
          reply(std::move(r));
        });
  }
  if (auto* m = std::get_if<proto::Ping>(&message)) {
    Result r;
    r.frames.push_back(proto::encode(proto::GatewayMessage{proto::Pong{m->id}}));
    return reply(std::move(r));
  }
  reply(error(proto::messageId(message), proto::code::kBadRequest,
              "auth is answered by the transport"));
}

bool GatewayCore::answeredAsResend(const std::string& id, const MessageIdUse& use,
                                   const Reply& reply) {
  auto conflict = [&](const MessageIdUse& first) {
    reply(error(id, proto::code::kConflict,
                "id " + id + " was already used for another " + first.type +
                    (first.type == "chat.send" && !first.target.empty() ? " (session " + first.target + ")" : "") +
                    ": nothing was applied; send it with a new id"));
    return true;
  };
  if (auto it = inFlight_.find(id); it != inFlight_.end()) {
    if (auto u = inFlightUse_.find(id); u != inFlightUse_.end() && !sameUse(u->second, use))
      return conflict(u->second);
    it->second.push_back(reply);  // same answer as the first copy, when it is committed
    return true;
  }
  auto stored = store_.processedReply(id);
  if (!stored) return false;
  ProcessedReply first = decodeProcessedReply(*stored);
  if (first.use && !sameUse(*first.use, use)) return conflict(*first.use);
  Result r;
  r.frames.push_back(first.frame);
  std::string sessionId = first.use && !first.use->target.empty() ? first.use->target : use.target;
  if (use.type == "chat.send" && !sessionId.empty()) {
    r.sessionId = sessionId;
    r.fromSeq = store_.lastSeq(sessionId);
  }
  reply(std::move(r));
  return true;
}

void GatewayCore::answerInFlight(const std::string& id, const Result& result) {
  auto it = inFlight_.find(id);
  if (it == inFlight_.end()) return;
  std::vector<Reply> waiting = std::move(it->second);
  inFlight_.erase(it);
  inFlightUse_.erase(id);
  for (const Reply& reply : waiting) reply(result);
}

void GatewayCore::commitProcessed(const std::string& id, const MessageIdUse& use,
                                  const Reply& reply) {
  inFlight_[id].push_back(reply);
  inFlightUse_[id] = use;
  commitProcessedRecord(id, use);
}

void GatewayCore::commitProcessedRecord(const std::string& id, const MessageIdUse& use) {
  std::string ack = encodeProcessedReply(encodeAck(id), use);
  commits_.enqueue(
      AppendRequest{"", {}, ProcessedRecord{id, ack}, std::nullopt},
      [this, id] { answerInFlight(id, error(id, proto::code::kInternal, "internal error")); },
      [this, id](const std::vector<LoggedEvent>&) { answerInFlight(id, ackOf(id)); });
}

void GatewayCore::chatSend(const proto::ChatSend& m, const Reply& reply) {
  if (m.sessionId && !isValidSessionId(*m.sessionId))
    return reply(
        error(m.id, proto::code::kBadRequest, "sessionId: 1..64 chars of [A-Za-z0-9._:-]"));
  if (m.content.empty() || m.content.size() > proto::kMaxContentBytes)
    return reply(error(m.id, proto::code::kBadRequest, "content: 1 byte to 32 KiB"));
  MessageIdUse use = *useOf(proto::ClientMessage{m});
  if (answeredAsResend(m.id, use, reply)) return;  // no second effect

  const std::string sessionId = m.sessionId ? *m.sessionId : "s-" + randomHex(kSecretBytes);
  if (sessions_ ? sessions_->isDeleted(sessionId) : log_.sessionDeleted(sessionId))
    return reply(error(m.id, proto::code::kNotFound, "this chat was deleted"));
  proto::ChatMessageEvent echo;
  echo.messageId = m.id;
  echo.role = "user";
  echo.content = m.content;
  echo.timestamp = wallClockMs();
  use.target = sessionId;  // a resend naming the session it created is the same message
  submitTurn(m.id, {std::move(echo)},
             QueuedTurn{sessionId, m.id, m.content, m.model.value_or(""), false}, use, reply);
}

void GatewayCore::submitTurn(const std::string& id, std::vector<proto::GatewayMessage> events,
                             QueuedTurn turn, const MessageIdUse& use, const Reply& reply) {
  const std::string sessionId = turn.sessionId;
  AppendRequest echo;
  echo.sessionId = sessionId;
  echo.events = std::move(events);
  echo.announceNewSession = true;  // session.created first, decided in the transaction
  // The echo, the dedup record and the waiting turn in one commit: once acked, the turn runs
  // (now, after the session's running turn, or after a restart).
  echo.processed = ProcessedRecord{id, encodeProcessedReply(encodeAck(id), use)};
  echo.queued = turn;
  const bool echoes = !echo.events.empty();
  const bool atOnce = startWithEcho(turn, echo);
  turns_.submitted(sessionId);
  inFlight_[id].push_back(reply);
  inFlightUse_[id] = use;
  commits_.enqueue(
      std::move(echo),
      [this, id, turn, atOnce] {
        turns_.committed(turn.sessionId);
        if (atOnce) {  // nothing of it was stored: the turn never started
          agent_->discard(turn.requestId);
          turns_.finished(turn.sessionId, turn.requestId);
          startWaitingTurns(turn.sessionId);
        }
        answerInFlight(id, error(id, proto::code::kInternal, "internal error"));
      },
      [this, id, turn, sessionId, echoes, atOnce](const std::vector<LoggedEvent>& stored) {
        turns_.committed(sessionId);
        if (echoes && stored.empty()) {
          // Only with a shared store (Redis): another node applied this id first, in the same
          // moment, and runs its turn. Answered like a resend, from the session's start.
          Result r = ackOf(id);
          r.sessionId = sessionId;
          answerInFlight(id, r);
          return;
        }
        if (atOnce) {
          agent_->run(turn.requestId);  // its start is committed: the rest of it follows
        } else {
          turns_.enqueue(turn);
          startWaitingTurns(sessionId);
        }
        Result r = ackOf(id);
        r.sessionId = sessionId;
        r.fromSeq = stored.empty() ? 0 : stored.front().seq - 1;  // from its first event
        r.eventsFollow = !stored.empty();
        answerInFlight(id, r);
      });
}

bool GatewayCore::startWithEcho(const QueuedTurn& turn, AppendRequest& echo) {
  // An idle session's turn starts in its message's own commit: chat.send -> chat.stream.start
  // is one group commit instead of two (the start used to be queued only once the echo's
  // commit was made known), and no waiting-turn record is written and deleted again. Only
  // this process decides (no shared store, no leases), and only for a session with nothing
  // running, waiting or on its way, so the order of a session's turns is kept.
  if (stopping_ || leases_ || turn.cancelled || &store_ != static_cast<EventStore*>(&log_) ||
      !turns_.idle(turn.sessionId))
    return false;
  std::vector<proto::GatewayMessage> first;
  try {
    first = agent_->start(turn.sessionId, turn.requestId, turn.content, turn.model);
  } catch (const std::exception& e) {
    logLine("cannot start turn " + turn.requestId + " with its message: " + e.what());
    agent_->discard(turn.requestId);
    return false;  // it waits in line like any other
  }
  for (auto& event : first) echo.events.push_back(std::move(event));
  echo.queued.reset();  // started in this very transaction: nothing waits
  turns_.startAtOnce(turn);
  return true;
}

void GatewayCore::stopSessionTurns(const std::string& sessionId) {
  for (const std::string& requestId : turns_.waitingIds(sessionId)) turns_.cancel(requestId);
  if (auto running = turns_.running(sessionId)) agent_->cancel(*running);
}

void GatewayCore::startWaitingTurns(const std::string& sessionId) {
  // A turn that ends inside this loop (cancelled while waiting, or done at once) re-enters
  // through onTurnDone: the loop below goes on with the next one instead.
  if (stopping_ || !starting_.insert(sessionId).second) return;
  while (!stopping_) {
    std::optional<QueuedTurn> next = turns_.startNext(sessionId);
    if (!next) break;
    if (leases_) {
      // Claimed first: the session counts as busy until the answer, which goes on from there.
      claimAndStart(*next);
      break;
    }
    if (!startTurn(*next)) break;
  }
  starting_.erase(sessionId);
}

bool GatewayCore::startTurn(const QueuedTurn& turn) {
  const std::string& sessionId = turn.sessionId;
  // Its first events join the next group commit. If that commit fails, the turn goes back
  // to the head of its line (the log still has it waiting, for the next start too).
  auto putBack = [this, turn] {
    agent_->discard(turn.requestId);
    turns_.putBack(turn);
    if (leases_) leases_->release(turn.requestId);  // still queued: claimable again
  };
  try {
    if (turn.cancelled) {
      // Cancelled while it waited: its start and its end {cancelled}, in its place.
      DemoTurn::Options options;
      options.requestId = turn.requestId;
      options.prompt = turn.content;
      options.model = turn.model;
      CommitQueue::Committed onCommitted;
      if (leases_)
        onCommitted = [this, id = turn.requestId](const std::vector<LoggedEvent>&) { leases_->release(id); };
      commits_.enqueue(AppendRequest{sessionId,
                                     DemoTurn(std::move(options)).stop("cancelled", "cancelled by user"),
                                     std::nullopt, std::nullopt},
                       putBack, std::move(onCommitted));
      turns_.finished(sessionId, turn.requestId);
      return true;
    }
    auto first = agent_->start(sessionId, turn.requestId, turn.content, turn.model);
    CommitQueue::Committed onCommitted;
    if (leases_ && endsTurn(first))
      onCommitted = [this, id = turn.requestId](const std::vector<LoggedEvent>&) { leases_->release(id); };
    commits_.enqueue(AppendRequest{sessionId, std::move(first), std::nullopt, std::nullopt},
                     putBack, std::move(onCommitted));
    agent_->run(turn.requestId);
    return true;
  } catch (const std::exception& e) {
    logLine("cannot start turn " + turn.requestId + ": " + e.what());
    agent_->discard(turn.requestId);
    turns_.putBack(turn);
    if (leases_) leases_->release(turn.requestId);
    return false;
  }
}

void GatewayCore::claimAndStart(const QueuedTurn& turn) {
  claiming_.insert(turn.requestId);
  leases_->claimQueued(turn.sessionId, turn.requestId, [this, turn](TurnLeases::Claim claim) {
    const std::string& sessionId = turn.sessionId;
    claiming_.erase(turn.requestId);
    // A cancel that came during the claim (chatCancel): it ends as cancelled, in its place.
    const bool cancelledMeanwhile = cancelAtStart_.erase(turn.requestId) != 0;
    const bool claimed = claim == TurnLeases::Claim::Run || claim == TurnLeases::Claim::RunCancelled;
    if (claim == TurnLeases::Claim::Busy) {
      // The session's turn runs on another node (or its earlier send waits there): this one
      // keeps its place and is claimed again shortly.
      turns_.putBack(turn);
      if (cancelledMeanwhile) turns_.cancel(turn.requestId);
      if (!stopping_) retryClaimLater(sessionId);
      return;
    }
    const bool adopted = adopted_.erase(turn.requestId) != 0;
    if (stopping_) {
      // Not started: it stays queued in the store for whichever node runs next.
      turns_.finished(sessionId, turn.requestId);
      if (claimed) leases_->release(turn.requestId);
      return;
    }
    if (!claimed) {
      // Another node runs it (or ran it: it is not waiting any more).
      turns_.finished(sessionId, turn.requestId);
      if (adopted) dropAdopted(sessionId);
      startWaitingTurns(sessionId);
      return;
    }
    QueuedTurn started = turn;
    // Cancelled while it waited, perhaps through another node: it ends as cancelled.
    if (claim == TurnLeases::Claim::RunCancelled || cancelledMeanwhile) started.cancelled = true;
    if (startTurn(started)) startWaitingTurns(sessionId);
  });
}

void GatewayCore::retryClaimLater(const std::string& sessionId) {
  auto& timer = claimRetries_[sessionId];
  if (timer) return;  // one retry pending per session
  timer = std::make_unique<boost::asio::steady_timer>(ioc_);
  const int64_t ms = std::clamp<int64_t>(leases_->leaseMs() / 8, 50, 250);
  timer->expires_after(std::chrono::milliseconds(ms));
  timer->async_wait([this, sessionId](const boost::system::error_code& ec) {
    if (ec) return;
    claimRetries_.erase(sessionId);
    startWaitingTurns(sessionId);
  });
}

void GatewayCore::adoptQueued(QueuedTurn turn) {
  if (stopping_ || turns_.isWaiting(turn.requestId) ||
      turns_.running(turn.sessionId) == turn.requestId)
    return;
  logLine("turn " + turn.requestId + " of session " + turn.sessionId +
          " waited on a node that is gone: queued here");
  adopted_.insert(turn.requestId);
  const std::string sessionId = turn.sessionId;
  turns_.enqueue(std::move(turn));
  startWaitingTurns(sessionId);
}

void GatewayCore::dropAdopted(const std::string& sessionId) {
  while (std::optional<QueuedTurn> next = turns_.startNext(sessionId)) {
    if (adopted_.erase(next->requestId) == 0) {
      turns_.putBack(std::move(*next));  // this node's own: it stays
      return;
    }
    turns_.finished(sessionId, next->requestId);
  }
}

void GatewayCore::useLeases(TurnLeases& leases) {
  leases_ = &leases;
  leases.onRouted([this](const std::string& payload) { onRouted(payload); });
  leases.onLeaseLost([this](const std::string& requestId) {
    // Another node may close it any moment: it stops here without logging more.
    agent_->abandon(requestId);
  });
  leases.onOrphanQueued([this](QueuedTurn turn) { adoptQueued(std::move(turn)); });
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
  agent_->stopAll(why);
  // Their ends go out now, before the connections are closed for the shutdown.
  commits_.flush();
}

void GatewayCore::chatCancel(const proto::ChatCancel& m, const Reply& reply, bool mayRoute) {
  const MessageIdUse use = *useOf(proto::ClientMessage{m});
  if (answeredAsResend(m.id, use, reply)) return;
  if (inFlight_.count(m.requestId)) {
    // Its chat.send waits for its commit: the cancel applies once that is done.
    inFlight_[m.requestId].push_back(
        [this, m, reply, mayRoute](const Result&) { chatCancel(m, reply, mayRoute); });
    return;
  }
  if (leases_ && (turns_.isWaiting(m.requestId) || claiming_.count(m.requestId))) {
    // The same, marked in the shared store (the node that adopts it should this one die ends
    // it too), the cancel's id recorded there. A turn being claimed ends cancelled as well.
    if (claiming_.count(m.requestId)) cancelAtStart_.insert(m.requestId);
    else turns_.cancel(m.requestId);
    inFlight_[m.id].push_back(reply);
    inFlightUse_[m.id] = use;
    return leases_->markCancelled(m.requestId, [this, id = m.id, use] { commitProcessedRecord(id, use); });
  }
  if (turns_.isWaiting(m.requestId)) {
    // Not started yet: it keeps its place and ends as soon as it starts (durably marked, so a
    // restart does not run it after all).
    log_.cancelQueuedTurn(m.requestId,
                          ProcessedRecord{m.id, encodeProcessedReply(encodeAck(m.id), use)},
                          wallClockMs());
    turns_.cancel(m.requestId);
    return reply(ackOf(m.id));
  }
  // Cancelling a turn that already ended is not an error: the user pressed stop as it ended.
  if (agent_->cancel(m.requestId) || !leases_ || !mayRoute)
    return commitProcessed(m.id, use, reply);  // with the turn's end
  // Not running here: the node that runs it cancels it; when none does, it has ended.
  routeToOwner(m.id, use, proto::ClientMessage{m}, m.requestId, "", reply,
               [this, id = m.id, use] { commitProcessedRecord(id, use); });
}

void GatewayCore::approval(const proto::ToolApprovalResponse& m, const Reply& reply,
                           bool mayRoute) {
  const MessageIdUse use = *useOf(proto::ClientMessage{m});
  if (answeredAsResend(m.id, use, reply)) return;
  if (agent_->resolveApproval(m.toolCallId, m.approved, m.sessionApprove) ==
      Agent::Resolution::NotFound) {
    Result notFound = error(m.id, proto::code::kNotFound,
                            "no tool call " + m.toolCallId + " is waiting for approval");
    if (!leases_ || !mayRoute) return reply(std::move(notFound));
    // Perhaps another node's turn waits for it: that node resolves it.
    return routeToOwner(m.id, use, proto::ClientMessage{m}, "", m.toolCallId, reply,
                        [this, id = m.id, notFound] { answerInFlight(id, notFound); });
  }
  commitProcessed(m.id, use, reply);  // with tool.approval.resolved
}

std::size_t GatewayCore::closeInterruptedTurns() {
  // All of them in one transaction (the flush at the end).
  auto open = log_.openTurns();
  const std::string why = "interrupted by gateway restart";
  for (const OpenTurn& turn : open) {
    std::vector<proto::GatewayMessage> events;
    if (!turn.toolCallId.empty()) {
      proto::ToolError toolError;
      toolError.requestId = turn.requestId;
      toolError.toolCallId = turn.toolCallId;
      toolError.toolName = turn.toolName;
      toolError.error = why;
      events.push_back(std::move(toolError));
    }
    proto::ErrorEvent error;
    error.requestId = turn.requestId;
    error.code = proto::code::kInternal;
    error.message = why;
    events.push_back(std::move(error));
    proto::StreamEnd end;  // usage and cost zero
    end.requestId = turn.requestId;
    end.stopReason = "error";
    events.push_back(std::move(end));
    commits_.enqueue(AppendRequest{turn.sessionId, std::move(events), std::nullopt, std::nullopt});
  }
  commits_.flush();
  return open.size();
}

}  // namespace chat::gateway
