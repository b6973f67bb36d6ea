#include "gateway/demo_agent.h"

#include <chrono>

#include "gateway/util.h"

namespace chat::gateway {

DemoAgent::DemoAgent(boost::asio::io_context& ioc, int64_t delayMs, Emitter emit,
                     DoneHandler onDone, ApprovalSource persistedApprovals)
    : ioc_(ioc),
      delayMs_(delayMs),
      emit_(std::move(emit)),
      onDone_(std::move(onDone)),
      grants_(std::move(persistedApprovals)) {}

std::vector<proto::GatewayMessage> DemoAgent::start(const std::string& sessionId,
                                             const std::string& requestId,
                                             const std::string& prompt,
                                             const std::string& model) {
  DemoTurn::Options options;
  options.requestId = requestId;
  options.prompt = prompt;
  options.model = model;
  options.toolCallId = "tc-" + randomHex(8);
  options.sessionApprovedTools = grants_.grantedTools(sessionId);
  Running running;
  running.sessionId = sessionId;
  running.requestId = requestId;
  running.turn = std::make_unique<DemoTurn>(std::move(options));
  running.timer = std::make_unique<boost::asio::steady_timer>(ioc_);
  auto first = running.turn->step();
  turnOfToolCall_[running.turn->toolCallId()] = requestId;
  turns_[requestId] = std::move(running);
  return first;
}

void DemoAgent::run(const std::string& requestId) {
  finishIfDone(requestId);
  auto it = turns_.find(requestId);
  if (it != turns_.end() && it->second.turn->state() == DemoTurn::State::Running)
    schedule(requestId);
}

void DemoAgent::discard(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  it->second.timer->cancel();
  turnOfToolCall_.erase(it->second.turn->toolCallId());
  turns_.erase(it);
}

void DemoAgent::schedule(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  auto& timer = *it->second.timer;
  timer.expires_after(std::chrono::milliseconds(delayMs_));
  // The timer belongs to the turn: when the turn is erased, the timer's destructor cancels
  // the wait, and the handler finds no turn (or an aborted error) and does nothing.
  timer.async_wait([this, requestId](const boost::system::error_code& ec) {
    if (ec) return;
    tick(requestId);
  });
}

void DemoAgent::tick(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  Running& running = it->second;
  if (running.turn->state() != DemoTurn::State::Running) return;
  emitSafely(running, running.turn->step());
  run(requestId);
}

void DemoAgent::emitSafely(Running& running, const std::vector<proto::GatewayMessage>& events) {
  if (events.empty()) return;
  try {
    emit_(running.sessionId, running.requestId, events);
  } catch (const std::exception& e) {
    // The events could not even be queued: the turn cannot go on. It stays open in the log,
    // so the next start closes it with stopReason "error".
    logLine(std::string("demo agent: cannot log events: ") + e.what());
    running.turn->stop("error", "internal error");
  }
}

void DemoAgent::abandon(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  logLine("demo agent: the log refused events of " + requestId + "; the turn stops");
  it->second.timer->cancel();
  it->second.turn->stop("error", "internal error");  // not emitted: the log refuses writes
  finishIfDone(requestId);
}

void DemoAgent::finishIfDone(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end() || it->second.turn->state() != DemoTurn::State::Done) return;
  Running& running = it->second;
  if (running.turn->sessionApproved()) grants_.grant(running.sessionId, running.turn->toolName());
  turnOfToolCall_.erase(running.turn->toolCallId());
  running.timer->cancel();
  const std::string sessionId = running.sessionId;
  turns_.erase(it);
  // Last: the handler may start the session's next turn (and so change turns_).
  if (onDone_) onDone_(sessionId, requestId);
}

bool DemoAgent::cancel(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return false;
  it->second.timer->cancel();
  emitSafely(it->second, it->second.turn->stop("cancelled", "cancelled by user"));
  finishIfDone(requestId);
  return true;
}

DemoAgent::Resolution DemoAgent::resolveApproval(const std::string& toolCallId, bool approved,
                                                 bool sessionApprove) {
  auto t = turnOfToolCall_.find(toolCallId);
  if (t == turnOfToolCall_.end()) return Resolution::NotFound;
  std::string requestId = t->second;
  auto it = turns_.find(requestId);
  if (it == turns_.end() || it->second.turn->state() != DemoTurn::State::AwaitingApproval)
    return Resolution::NotFound;
  Running& running = it->second;
  emitSafely(running, running.turn->resolveApproval(approved, sessionApprove));
  // Remember a session approval now, so a turn started before this one ends is covered too.
  if (approved && sessionApprove) grants_.grant(running.sessionId, running.turn->toolName());
  run(requestId);
  return Resolution::Resolved;
}

void DemoAgent::stopAll(const std::string& why) {
  std::vector<std::string> ids;
  for (const auto& entry : turns_) ids.push_back(entry.first);
  for (const auto& id : ids) {
    auto it = turns_.find(id);
    if (it == turns_.end()) continue;
    it->second.timer->cancel();
    emitSafely(it->second, it->second.turn->stop("error", why));
    finishIfDone(id);
  }
}

}  // namespace chat::gateway
