#include "gateway/openai_agent.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <boost/asio/post.hpp>

#include "core/protocol/codec.h"
#include "gateway/agent_events.h"
#include "gateway/conversation.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace ev = agent_events;

namespace {

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

std::optional<std::vector<std::string>> parseModelList(const std::string& body,
                                                       const std::string& defaultModel) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("data") || !j["data"].is_array()) return std::nullopt;
  std::vector<std::string> models;
  if (!defaultModel.empty()) models.push_back(defaultModel);
  for (const auto& m : j["data"]) {
    if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) continue;
    std::string id = m["id"].get<std::string>();
    if (!id.empty() && std::find(models.begin(), models.end(), id) == models.end())
      models.push_back(std::move(id));
  }
  return models;
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
  if (modelsRequest_) modelsRequest_->cancel();
}

void OpenAiAgent::listModels(ModelsHandler done) {
  constexpr auto kFresh = std::chrono::seconds(60);
  if (!models_.empty() && std::chrono::steady_clock::now() - modelsFetchedAt_ < kFresh)
    return done(models_, "");
  modelsWaiting_.push_back(std::move(done));
  if (modelsRequest_) return;  // one request answers everyone waiting
  modelsBody_.clear();
  modelsRequest_ = client_.get(
      "/models",
      [this](std::string_view bytes) {
        if (modelsBody_.size() < 4 * 1024 * 1024) modelsBody_.append(bytes);
      },
      [this](const UpstreamOutcome& outcome) {
        modelsRequest_.reset();
        std::string error;
        std::vector<std::string> models{options_.defaultModel};
        if (outcome.kind == UpstreamOutcome::Kind::HttpError) {
          error = upstreamErrorMessage(outcome.status, outcome.body);
        } else if (outcome.kind != UpstreamOutcome::Kind::Ok) {
          error = outcome.message;
        } else if (auto list = parseModelList(modelsBody_, options_.defaultModel)) {
          models = std::move(*list);
          models_ = models;
          modelsFetchedAt_ = std::chrono::steady_clock::now();
        } else {
          error = "the upstream's /models is not a model list";
        }
        auto waiting = std::move(modelsWaiting_);
        modelsWaiting_.clear();
        for (auto& handler : waiting) handler(models, error);
      });
}

OpenAiAgent::Turn* OpenAiAgent::find(const std::string& requestId) {
  auto it = turns_.find(requestId);
  return it == turns_.end() ? nullptr : it->second.get();
}

std::vector<proto::GatewayMessage> OpenAiAgent::start(const std::string& sessionId,
                                               const std::string& requestId,
                                               const std::string& prompt,
                                               const std::string& model) {
  auto turn = std::make_unique<Turn>();
  turn->sessionId = sessionId;
  turn->requestId = requestId;
  turn->prompt = prompt;
  turn->model = model.empty() ? options_.defaultModel : model;
  turn->retryTimer = std::make_unique<boost::asio::steady_timer>(ioc_);
  auto first = ev::streamStart(requestId, turn->model);
  turns_[requestId] = std::move(turn);
  return {std::move(first)};
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
  std::vector<proto::GatewayMessage> history;
  if (hooks_.history) history = hooks_.history(turn->sessionId);
  bool echoed = std::any_of(history.begin(), history.end(), [&](const proto::GatewayMessage& e) {
    const auto* m = std::get_if<proto::ChatMessageEvent>(&e);
    return m && m->messageId == requestId;
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
  // Reasoning and reply text each become one event per read, in the order they came (a
  // model that interleaves them gets one event per run of each kind).
  std::vector<proto::GatewayMessage> events;
  std::string text;
  std::string reasoning;
  auto flush = [&] {
    if (!reasoning.empty()) events.push_back(ev::streamReasoning(requestId, std::move(reasoning)));
    if (!text.empty()) events.push_back(ev::streamDelta(requestId, std::move(text)));
    reasoning.clear();
    text.clear();
  };
  for (const auto& d : data) {
    auto r = turn->reply->apply(d);
    if (!r.error.empty()) {
      turn->streamError = r.error;
      break;
    }
    if (!r.reasoning.empty() && !text.empty()) flush();  // reasoning after text: keep the order
    reasoning += r.reasoning;
    text += r.content;
    if (turn->reply->done()) break;
  }
  flush();
  if (!events.empty()) emit(*turn, std::move(events));
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
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", waitMs / 1000.0);
  emit(turn, {ev::error(turn.requestId,
                        outcome.status == 429 ? proto::code::kRateLimited : proto::code::kInternal,
                        upstreamErrorMessage(outcome.status, outcome.body) + "; retrying in " +
                            seconds + " s (attempt " + std::to_string(turn.attempt + 1) +
                            " of " + std::to_string(options_.maxRetries + 1) + ")")});
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
    const std::string name = call.name.empty() ? "unknown" : call.name;
    emit(turn, {ev::toolCall(turn.requestId, call.id, name, checked.args),
                ev::toolError(turn.requestId, call.id, name, checked.error)});
    toolFinished(turn, call.id, "error: " + checked.error);
    return;
  }
  if (tools_.needsApproval(turn.sessionId, call.name)) {
    turn.pendingApproval = call.id;
    turn.pendingArgs = checked.args;
    turn.toolInFlight = call.id;
    turn.toolInFlightName = call.name;
    turnOfToolCall_[call.id] = turn.requestId;
    emit(turn, {ev::approvalRequest(turn.requestId, call.id, call.name, checked.args,
                                    tools_.risk(call.name))});
    return;
  }
  runTool(turn, call, checked.args);
}

void OpenAiAgent::runTool(Turn& turn, const AssembledToolCall& call, const nlohmann::json& args) {
  emit(turn, {ev::toolCall(turn.requestId, call.id, call.name, args)});
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
        emit(*t, {ev::toolOutput(id, callId, text)});
      },
      [this, id, callId, name](const ToolRunner::Result& r) {
        Turn* t = find(id);
        if (!t) return;
        t->toolRun.reset();
        if (r.ok) {
          emit(*t, {ev::toolResult(id, callId, name, r.result)});
          toolFinished(*t, callId, r.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        } else {
          emit(*t, {ev::toolError(id, callId, name, r.error)});
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
  emit(*turn, {ev::approvalResolved(toolCallId, approved, sessionApprove)});
  if (approved && sessionApprove) tools_.approveForSession(turn->sessionId, call.name);
  if (!approved) {
    emit(*turn, {ev::toolError(turn->requestId, toolCallId, call.name, "denied by user")});
    toolFinished(*turn, toolCallId, "error: the user denied this call");
    return Resolution::Resolved;
  }
  runTool(*turn, call, turn->pendingArgs);
  return Resolution::Resolved;
}

void OpenAiAgent::fail(Turn& turn, const std::string& code, const std::string& message) {
  end(turn, "error", {ev::error(turn.requestId, code, message)});
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
                      std::vector<proto::GatewayMessage> events) {
  stopWork(turn);
  std::vector<proto::GatewayMessage> out;
  if (!turn.toolInFlight.empty()) {  // a tool running or waiting for approval ends with the turn
    out.push_back(ev::toolError(turn.requestId, turn.toolInFlight, turn.toolInFlightName,
                                stopReason == "cancelled" ? "cancelled by user" : "the turn ended"));
  }
  for (auto& e : events) out.push_back(std::move(e));
  ev::Totals totals;
  totals.inputTokens = turn.inputTokens;
  totals.outputTokens = turn.outputTokens;
  // A model missing from --prices has an unknown cost, never a made-up $0.
  totals.priced = false;
  if (auto price = options_.prices.find(turn.model)) {
    totals.priced = true;
    totals.inputCost = turn.inputTokens * price->inputPerMillion / 1e6;
    totals.outputCost = turn.outputTokens * price->outputPerMillion / 1e6;
  }
  out.push_back(ev::streamEnd(turn.requestId, totals, stopReason));
  const std::string sessionId = turn.sessionId;
  const std::string requestId = turn.requestId;
  emit(turn, std::move(out));
  turns_.erase(requestId);  // `turn` is gone from here on
  if (hooks_.onDone) hooks_.onDone(sessionId, requestId);
}

void OpenAiAgent::emit(Turn& turn, std::vector<proto::GatewayMessage> events) {
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
