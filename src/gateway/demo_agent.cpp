#include "gateway/demo_agent.h"

#include <algorithm>
#include <chrono>

#include "gateway/util.h"

namespace chat::gateway {

DemoAgent::DemoAgent(boost::asio::io_context& ioc, int64_t delayMs, Emitter emit,
                     DoneHandler onDone, ApprovalSource persistedApprovals)
    : ioc_(ioc),
      delayMs_(delayMs),
      emit_(std::move(emit)),
      onDone_(std::move(onDone)),
      timer_(ioc),
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
  auto first = running.turn->step();
  turnOfToolCall_[running.turn->toolCallId()] = requestId;
  turns_[requestId] = std::move(running);
  return first;
}

void DemoAgent::run(const std::string& requestId) {
  finishIfDone(requestId);
  auto it = turns_.find(requestId);
  if (it != turns_.end() && it->second.turn->state() == DemoTurn::State::Running) schedule(it);
}

void DemoAgent::discard(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  turnOfToolCall_.erase(it->second.turn->toolCallId());
  turns_.erase(it);  // its queued step, if any, finds no turn
}

void DemoAgent::schedule(Turns::iterator it) {
  it->second.waitingStep = ++nextStep_;
  due_.push_back(DueStep{std::chrono::steady_clock::now() + std::chrono::milliseconds(delayMs_),
                         it->first, nextStep_});
  armTimer();
}

void DemoAgent::armTimer() {
  if (timerArmed_ || due_.empty()) return;
  timerArmed_ = true;
  timer_.expires_at(due_.front().at);
  // The timer belongs to this agent: its destructor cancels the wait, and the handler then
  // returns before touching anything.
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    timerArmed_ = false;
    runDueSteps();
    armTimer();
  });
}

void DemoAgent::runDueSteps() {
  // Only the steps due now: those they schedule wait for a later expiry (with a delay of 0,
  // the next turn of the loop), so every turn gets one step per expiry.
  const auto now = std::chrono::steady_clock::now();
  std::size_t n = 0;
  while (n < due_.size() && due_[n].at <= now) ++n;
  std::vector<DueStep> steps(std::make_move_iterator(due_.begin()),
                             std::make_move_iterator(due_.begin() + static_cast<std::ptrdiff_t>(n)));
  due_.erase(due_.begin(), due_.begin() + static_cast<std::ptrdiff_t>(n));
  for (const DueStep& step : steps) {
    auto it = turns_.find(step.requestId);
    // Gone (ended, cancelled, discarded) or waiting for another step since: skipped.
    if (it == turns_.end() || it->second.waitingStep != step.step) continue;
    it->second.waitingStep = 0;
    tick(it);
  }
}

void DemoAgent::tick(Turns::iterator it) {
  // One lookup per step (the caller's): emitting only queues, so `it` stays valid until the
  // turn is finished below.
  Running& running = it->second;
  if (running.turn->state() != DemoTurn::State::Running) return;
  emitSafely(running, running.turn->step());
  if (running.turn->state() == DemoTurn::State::Done) {
    const std::string requestId = running.requestId;  // a copy: finishing erases the turn
    return finishIfDone(requestId);
  }
  if (running.turn->state() == DemoTurn::State::Running) schedule(it);
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
  it->second.waitingStep = 0;
  it->second.turn->stop("error", "internal error");  // not emitted: the log refuses writes
  finishIfDone(requestId);
}

void DemoAgent::finishIfDone(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end() || it->second.turn->state() != DemoTurn::State::Done) return;
  Running& running = it->second;
  if (running.turn->sessionApproved()) grants_.grant(running.sessionId, running.turn->toolName());
  turnOfToolCall_.erase(running.turn->toolCallId());
  const std::string sessionId = running.sessionId;
  turns_.erase(it);
  // Last: the handler may start the session's next turn (and so change turns_).
  if (onDone_) onDone_(sessionId, requestId);
}

bool DemoAgent::cancel(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return false;
  it->second.waitingStep = 0;
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
  std::sort(ids.begin(), ids.end());  // the same order whatever the hash table's
  for (const auto& id : ids) {
    auto it = turns_.find(id);
    if (it == turns_.end()) continue;
    it->second.waitingStep = 0;
    emitSafely(it->second, it->second.turn->stop("error", why));
    finishIfDone(id);
  }
}

}  // namespace chat::gateway
