#include "gateway/openai_agent.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <boost/asio/post.hpp>

#include "core/protocol/codec.h"
#include "gateway/conversation.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {

nlohmann::json event(const char* type, const std::string& requestId) {
  return {{"type", type}, {"requestId", requestId}};
}

std::string clip(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n) + "..."; }

// Retry-After in seconds (the HTTP-date form is rare from APIs: treated as absent).
std::optional<int64_t> retryAfterMs(const std::string& value) {
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || seconds < 0) return std::nullopt;
  return static_cast<int64_t>(seconds * 1000);
}

}  // namespace

std::string upstreamErrorMessage(int status, const std::string& body) {
  std::string message;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object()) {
    auto e = j.find("error");
    if (e != j.end() && e->is_object() && e->contains("message") && (*e)["message"].is_string())
      message = (*e)["message"].get<std::string>();
    else if (e != j.end() && e->is_string())
      message = e->get<std::string>();
    else if (j.contains("message") && j["message"].is_string())
      message = j["message"].get<std::string>();
  }
  if (message.empty()) message = clip(body, 200);
  std::string out = "the upstream answered HTTP " + std::to_string(status);
  return message.empty() ? out : out + ": " + clip(message, 1000);
}

OpenAiAgent::OpenAiAgent(boost::asio::io_context& ioc, OpenAiAgentOptions options, Hooks hooks,
                         std::function<int64_t()> wallClockMs)
    : ioc_(ioc),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      now_(std::move(wallClockMs)),
      client_(ioc, options_.upstream),
      tools_(ioc, options_.tools, hooks_.persistedApprovals, now_) {}

OpenAiAgent::~OpenAiAgent() {
  for (auto& [id, turn] : turns_) stopWork(*turn);
}

OpenAiAgent::Turn* OpenAiAgent::find(const std::string& requestId) {
  auto it = turns_.find(requestId);
  return it == turns_.end() ? nullptr : it->second.get();
}

std::vector<nlohmann::json> OpenAiAgent::start(const std::string& sessionId,
                                               const std::string& requestId,
                                               const std::string& prompt,
                                               const std::string& model) {
  auto turn = std::make_unique<Turn>();
  turn->sessionId = sessionId;
  turn->requestId = requestId;
  turn->prompt = prompt;
  turn->model = model.empty() ? options_.defaultModel : model;
  turn->retryTimer = std::make_unique<boost::asio::steady_timer>(ioc_);
  nlohmann::json first = event("chat.stream.start", requestId);
  first["model"] = turn->model;
  turns_[requestId] = std::move(turn);
  return {first};
}

void OpenAiAgent::run(const std::string& requestId) {
  // After the events already queued are committed (the previous turn's end, this turn's
  // start): the conversation is read from the log.
  boost::asio::post(ioc_, [this, requestId] { begin(requestId); });
}

void OpenAiAgent::discard(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  stopWork(*it->second);
  turns_.erase(it);
}

void OpenAiAgent::begin(const std::string& requestId) {
  Turn* turn = find(requestId);
  if (!turn || turn->request) return;
  std::vector<nlohmann::json> history;
  if (hooks_.history) history = hooks_.history(turn->sessionId);
  bool echoed = std::any_of(history.begin(), history.end(), [&](const nlohmann::json& e) {
    return e.value("type", "") == "chat.message" && e.value("messageId", "") == requestId;
  });
  turn->messages = buildConversation(history, requestId, options_.systemPrompt,
                                     options_.contextTokens);
  if (!echoed) turn->messages.push_back({{"role", "user"}, {"content", turn->prompt}});
  send(*turn);
}

void OpenAiAgent::send(Turn& turn) {
  nlohmann::json body = {{"model", turn.model},
                         {"messages", turn.messages},
                         {"stream", true},
                         {"stream_options", {{"include_usage", true}}}};
  nlohmann::json tools = tools_.definitions();
  if (!tools.empty()) body["tools"] = std::move(tools);
  turn.sse = std::make_unique<SseParser>();
  turn.reply = std::make_unique<CompletionAssembler>();
  turn.streamError.clear();
  const std::string id = turn.requestId;
  turn.request = client_.post(
      "/chat/completions", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      [this, id](std::string_view bytes) { onBody(id, bytes); },
      [this, id](const UpstreamOutcome& outcome) { onDone(id, outcome); });
}

void OpenAiAgent::onBody(const std::string& requestId, std::string_view bytes) {
  Turn* turn = find(requestId);
  if (!turn) return;
  std::vector<std::string> data;
  turn->sse->feed(bytes, data);
  // Everything one read brought becomes one delta event: fewer, larger events when the
  // upstream is fast, one per token when it is slow.
  std::string text;
  for (const auto& d : data) {
    auto r = turn->reply->apply(d);
    if (!r.error.empty()) {
      turn->streamError = r.error;
      break;
    }
    text += r.content;
    if (turn->reply->done()) break;
  }
  if (!text.empty()) {
    nlohmann::json delta = event("chat.stream.delta", requestId);
    delta["delta"] = std::move(text);
    emit(*turn, {std::move(delta)});
  }
  if (!turn->streamError.empty() || turn->reply->done()) {
    // Nothing after [DONE] (or an error) matters: close the connection and go on.
    auto request = std::move(turn->request);
    request->cancel();
    UpstreamOutcome ok;
    onDone(requestId, ok);
  }
}

void OpenAiAgent::onDone(const std::string& requestId, const UpstreamOutcome& outcome) {
  Turn* turn = find(requestId);
  if (!turn) return;
  turn->request.reset();
  if (auto usage = turn->reply->usage()) {
    turn->inputTokens += usage->promptTokens;
    turn->outputTokens += usage->completionTokens;
  }
  using Kind = UpstreamOutcome::Kind;
  if (outcome.kind == Kind::Ok && turn->streamError.empty()) return afterReply(*turn);
  if (!turn->streamError.empty()) return fail(*turn, proto::code::kInternal, "the upstream: " + turn->streamError);
  if (outcome.kind == Kind::HttpError) {
    if (retry(*turn, outcome)) return;
    return fail(*turn,
                outcome.status == 429 ? proto::code::kRateLimited : proto::code::kInternal,
                upstreamErrorMessage(outcome.status, outcome.body));
  }
  fail(*turn, proto::code::kInternal, outcome.message);
}

bool OpenAiAgent::retry(Turn& turn, const UpstreamOutcome& outcome) {
  const bool retriable = outcome.status == 429 || outcome.status >= 500;
  if (!retriable || turn.attempt >= options_.maxRetries) return false;
  ++turn.attempt;
  int64_t waitMs = options_.retryBaseMs << (turn.attempt - 1);
  if (auto after = retryAfterMs(outcome.retryAfter)) waitMs = *after;
  waitMs = std::min(waitMs, options_.maxRetryWaitMs);
  nlohmann::json notice = event("error", turn.requestId);
  notice["code"] = outcome.status == 429 ? proto::code::kRateLimited : proto::code::kInternal;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", waitMs / 1000.0);
  notice["message"] = upstreamErrorMessage(outcome.status, outcome.body) + "; retrying in " +
                      seconds + " s (attempt " + std::to_string(turn.attempt + 1) + " of " +
                      std::to_string(options_.maxRetries + 1) + ")";
  emit(turn, {std::move(notice)});
  const std::string id = turn.requestId;
  turn.retryTimer->expires_after(std::chrono::milliseconds(waitMs));
  turn.retryTimer->async_wait([this, id](const boost::system::error_code& ec) {
    if (ec) return;
    if (Turn* t = find(id)) send(*t);
  });
  return true;
}

void OpenAiAgent::afterReply(Turn& turn) {
  turn.attempt = 0;
  turn.calls = turn.reply->toolCalls();
  if (turn.calls.empty()) return end(turn, "end");
  if (turn.round >= options_.maxToolRounds) {
    return fail(turn, proto::code::kInternal,
                "the model asked for tools after " + std::to_string(options_.maxToolRounds) +
                    " rounds (--max-tool-rounds); stopped");
  }
  ++turn.round;
  nlohmann::json calls = nlohmann::json::array();
  for (const auto& c : turn.calls)
    calls.push_back({{"id", c.id},
                     {"type", "function"},
                     {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
  nlohmann::json assistant = {{"role", "assistant"}, {"tool_calls", calls}};
  assistant["content"] = turn.reply->content().empty() ? nlohmann::json(nullptr)
                                                       : nlohmann::json(turn.reply->content());
  turn.messages.push_back(std::move(assistant));
  turn.nextCall = 0;
  nextToolCall(turn);
}

void OpenAiAgent::nextToolCall(Turn& turn) {
  if (turn.nextCall >= turn.calls.size()) return send(turn);  // every result in: next round
  const AssembledToolCall call = turn.calls[turn.nextCall++];
  auto checked = tools_.check(call.name, call.arguments);
  if (!checked.error.empty()) {
    // Shown, and sent back to the model so it can correct itself.
    nlohmann::json shown = event("tool.call", turn.requestId);
    shown["toolCallId"] = call.id;
    shown["toolName"] = call.name.empty() ? "unknown" : call.name;
    shown["args"] = checked.args;
    nlohmann::json error = event("tool.error", turn.requestId);
    error["toolCallId"] = call.id;
    error["toolName"] = shown["toolName"];
    error["error"] = checked.error;
    emit(turn, {std::move(shown), std::move(error)});
    toolFinished(turn, call.id, "error: " + checked.error);
    return;
  }
  if (tools_.needsApproval(turn.sessionId, call.name)) {
    nlohmann::json ask = event("tool.approval.request", turn.requestId);
    ask["toolCallId"] = call.id;
    ask["toolName"] = call.name;
    ask["args"] = checked.args;
    ask["risk"] = tools_.risk(call.name);
    turn.pendingApproval = call.id;
    turn.pendingArgs = checked.args;
    turn.toolInFlight = call.id;
    turn.toolInFlightName = call.name;
    turnOfToolCall_[call.id] = turn.requestId;
    emit(turn, {std::move(ask)});
    return;
  }
  runTool(turn, call, checked.args);
}

void OpenAiAgent::runTool(Turn& turn, const AssembledToolCall& call, const nlohmann::json& args) {
  nlohmann::json shown = event("tool.call", turn.requestId);
  shown["toolCallId"] = call.id;
  shown["toolName"] = call.name;
  shown["args"] = args;
  emit(turn, {std::move(shown)});
  turn.toolInFlight = call.id;
  turn.toolInFlightName = call.name;
  const std::string id = turn.requestId;
  const std::string callId = call.id;
  const std::string name = call.name;
  turn.toolRun = tools_.run(
      call.name, args,
      [this, id, callId](const std::string& text) {
        Turn* t = find(id);
        if (!t) return;
        nlohmann::json out = event("tool.output", id);
        out["toolCallId"] = callId;
        out["delta"] = text;
        emit(*t, {std::move(out)});
      },
      [this, id, callId, name](const ToolRunner::Result& r) {
        Turn* t = find(id);
        if (!t) return;
        t->toolRun.reset();
        if (r.ok) {
          nlohmann::json result = event("tool.result", id);
          result["toolCallId"] = callId;
          result["toolName"] = name;
          result["result"] = r.result;
          emit(*t, {std::move(result)});
          toolFinished(*t, callId, r.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        } else {
          nlohmann::json error = event("tool.error", id);
          error["toolCallId"] = callId;
          error["toolName"] = name;
          error["error"] = r.error;
          emit(*t, {std::move(error)});
          toolFinished(*t, callId, "error: " + r.error);
        }
      });
}

void OpenAiAgent::toolFinished(Turn& turn, const std::string& toolCallId,
                               const std::string& content) {
  turn.toolInFlight.clear();
  turn.toolInFlightName.clear();
  turn.messages.push_back({{"role", "tool"}, {"tool_call_id", toolCallId}, {"content", content}});
  nextToolCall(turn);
}

Agent::Resolution OpenAiAgent::resolveApproval(const std::string& toolCallId, bool approved,
                                               bool sessionApprove) {
  auto t = turnOfToolCall_.find(toolCallId);
  if (t == turnOfToolCall_.end()) return Resolution::NotFound;
  Turn* turn = find(t->second);
  turnOfToolCall_.erase(t);
  if (!turn || turn->pendingApproval != toolCallId) return Resolution::NotFound;
  turn->pendingApproval.clear();
  const AssembledToolCall call = turn->calls[turn->nextCall - 1];
  nlohmann::json resolved = {{"type", "tool.approval.resolved"},
                             {"toolCallId", toolCallId},
                             {"approved", approved},
                             {"sessionApprove", approved && sessionApprove}};
  emit(*turn, {std::move(resolved)});
  if (approved && sessionApprove) tools_.approveForSession(turn->sessionId, call.name);
  if (!approved) {
    nlohmann::json error = event("tool.error", turn->requestId);
    error["toolCallId"] = toolCallId;
    error["toolName"] = call.name;
    error["error"] = "denied by user";
    emit(*turn, {std::move(error)});
    toolFinished(*turn, toolCallId, "error: the user denied this call");
    return Resolution::Resolved;
  }
  runTool(*turn, call, turn->pendingArgs);
  return Resolution::Resolved;
}

void OpenAiAgent::fail(Turn& turn, const std::string& code, const std::string& message) {
  nlohmann::json error = event("error", turn.requestId);
  error["code"] = code;
  error["message"] = message;
  end(turn, "error", {std::move(error)});
}

void OpenAiAgent::stopWork(Turn& turn) {
  if (turn.request) turn.request->cancel();
  turn.request.reset();
  if (turn.toolRun) turn.toolRun->stop();
  turn.toolRun.reset();
  turn.retryTimer->cancel();
  if (!turn.pendingApproval.empty()) turnOfToolCall_.erase(turn.pendingApproval);
  turn.pendingApproval.clear();
}

void OpenAiAgent::end(Turn& turn, const std::string& stopReason,
                      std::vector<nlohmann::json> events) {
  stopWork(turn);
  std::vector<nlohmann::json> out;
  if (!turn.toolInFlight.empty()) {  // a tool running or waiting for approval ends with the turn
    nlohmann::json error = event("tool.error", turn.requestId);
    error["toolCallId"] = turn.toolInFlight;
    error["toolName"] = turn.toolInFlightName;
    error["error"] = stopReason == "cancelled" ? "cancelled by user" : "the turn ended";
    out.push_back(std::move(error));
  }
  for (auto& e : events) out.push_back(std::move(e));
  nlohmann::json endEvent = event("chat.stream.end", turn.requestId);
  const int64_t in = turn.inputTokens, outTokens = turn.outputTokens;
  endEvent["usage"] = {{"inputTokens", in}, {"outputTokens", outTokens}, {"totalTokens", in + outTokens}};
  auto price = options_.prices.find(turn.model);
  const double inCost = price ? in * price->inputPerMillion / 1e6 : 0;
  const double outCost = price ? outTokens * price->outputPerMillion / 1e6 : 0;
  endEvent["cost"] = {{"inputCost", inCost}, {"outputCost", outCost}, {"totalCost", inCost + outCost}};
  endEvent["stopReason"] = stopReason;
  out.push_back(std::move(endEvent));
  const std::string sessionId = turn.sessionId;
  const std::string requestId = turn.requestId;
  emit(turn, std::move(out));
  turns_.erase(requestId);  // `turn` is gone from here on
  if (hooks_.onDone) hooks_.onDone(sessionId, requestId);
}

void OpenAiAgent::emit(Turn& turn, std::vector<nlohmann::json> events) {
  if (events.empty() || !hooks_.emit) return;
  try {
    hooks_.emit(turn.sessionId, turn.requestId, events);
  } catch (const std::exception& e) {
    logLine(std::string("openai agent: cannot log events: ") + e.what());
  }
}

bool OpenAiAgent::cancel(const std::string& requestId) {
  Turn* turn = find(requestId);
  if (!turn) return false;
  end(*turn, "cancelled");
  return true;
}

void OpenAiAgent::abandon(const std::string& requestId) {
  auto it = turns_.find(requestId);
  if (it == turns_.end()) return;
  logLine("openai agent: the log refused events of " + requestId + "; the turn stops");
  const std::string sessionId = it->second->sessionId;
  stopWork(*it->second);
  turns_.erase(it);
  if (hooks_.onDone) hooks_.onDone(sessionId, requestId);
}

void OpenAiAgent::stopAll(const std::string& why) {
  std::vector<std::string> ids;
  for (const auto& entry : turns_) ids.push_back(entry.first);
  for (const auto& id : ids)
    if (Turn* turn = find(id)) fail(*turn, proto::code::kInternal, why);
}

}  // namespace chat::gateway
