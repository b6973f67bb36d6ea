// The agent behind --upstream: any OpenAI-compatible Chat Completions API (Ollama,
// llama.cpp's llama-server, vLLM, LM Studio, OpenRouter, OpenAI).
//
// A turn: the conversation is rebuilt from the session's event log (conversation.h), sent as
// POST {upstream}/chat/completions with stream:true, and the streamed reply is relayed as
// chat.stream.delta events. Tool calls the model makes are run through the ToolRunner
// (approval when needed, output streamed as tool.output, result or error) and sent back as
// `tool` messages, up to --max-tool-rounds rounds. Failures each end the turn visibly:
// a non-2xx answer shows its JSON error message; 429 and 5xx are retried (Retry-After
// honoured, "retrying" shown as an error event); refused connections, a stalled upstream
// (--upstream-idle-s) and a stream cut mid-reply (the partial reply stays) end it with
// stopReason "error". Cancel closes the upstream connection at once (stopReason "cancelled").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "gateway/agent.h"
#include "gateway/completion_stream.h"
#include "gateway/price_table.h"
#include "gateway/sse_parser.h"
#include "gateway/tool_runner.h"
#include "gateway/upstream_client.h"

namespace chat::gateway {

struct OpenAiAgentOptions {
  UpstreamClient::Options upstream;
  std::string defaultModel;
  std::string systemPrompt;
  int64_t contextTokens = 0;  // 0 = no budget
  int maxToolRounds = 8;
  int maxRetries = 3;          // extra attempts after a 429 / 5xx
  int64_t retryBaseMs = 1000;  // backoff without Retry-After: 1, 2, 4 s
  int64_t maxRetryWaitMs = 60000;
  PriceTable prices;
  ToolRunner::Options tools;
};

class OpenAiAgent : public Agent {
 public:
  OpenAiAgent(boost::asio::io_context& ioc, OpenAiAgentOptions options, Hooks hooks,
              std::function<int64_t()> wallClockMs);
  ~OpenAiAgent() override;

  std::vector<nlohmann::json> start(const std::string& sessionId, const std::string& requestId,
                                    const std::string& prompt, const std::string& model) override;
  void run(const std::string& requestId) override;
  void discard(const std::string& requestId) override;
  bool cancel(const std::string& requestId) override;
  Resolution resolveApproval(const std::string& toolCallId, bool approved,
                             bool sessionApprove) override;
  void abandon(const std::string& requestId) override;
  void stopAll(const std::string& why) override;
  std::size_t runningTurns() const override { return turns_.size(); }
  // GET {upstream}/models, kept for a minute; callers asking meanwhile share one request.
  void listModels(ModelsHandler done) override;

  UpstreamClient& upstream() { return client_; }

 private:
  struct Turn {
    std::string sessionId;
    std::string requestId;
    std::string prompt;
    std::string model;
    nlohmann::json messages = nlohmann::json::array();
    int round = 0;     // tool rounds done
    int attempt = 0;   // retries of the current request
    std::shared_ptr<UpstreamRequest> request;
    std::unique_ptr<SseParser> sse;
    std::unique_ptr<CompletionAssembler> reply;
    std::string streamError;  // an in-stream error chunk
    std::unique_ptr<boost::asio::steady_timer> retryTimer;
    std::vector<AssembledToolCall> calls;  // of the current round
    std::size_t nextCall = 0;
    std::string pendingApproval;  // toolCallId waiting for the user ("" = none)
    nlohmann::json pendingArgs;
    std::string toolInFlight;     // toolCallId running or waiting ("" = none)
    std::string toolInFlightName;
    std::shared_ptr<ToolRun> toolRun;
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
  };

  void begin(const std::string& requestId);
  void send(Turn& turn);
  void onBody(const std::string& requestId, std::string_view bytes);
  void onDone(const std::string& requestId, const UpstreamOutcome& outcome);
  bool retry(Turn& turn, const UpstreamOutcome& outcome);
  void afterReply(Turn& turn);
  void nextToolCall(Turn& turn);
  void runTool(Turn& turn, const AssembledToolCall& call, const nlohmann::json& args);
  void toolFinished(Turn& turn, const std::string& toolCallId, const std::string& content);
  void fail(Turn& turn, const std::string& code, const std::string& message);
  void end(Turn& turn, const std::string& stopReason, std::vector<nlohmann::json> events = {});
  void emit(Turn& turn, std::vector<nlohmann::json> events);
  void stopWork(Turn& turn);
  Turn* find(const std::string& requestId);

  boost::asio::io_context& ioc_;
  OpenAiAgentOptions options_;
  Hooks hooks_;
  std::function<int64_t()> now_;
  UpstreamClient client_;
  ToolRunner tools_;
  std::map<std::string, std::unique_ptr<Turn>> turns_;   // by requestId
  std::map<std::string, std::string> turnOfToolCall_;    // pending approval -> requestId
  std::vector<std::string> models_;                       // the last list fetched
  std::chrono::steady_clock::time_point modelsFetchedAt_{};
  std::shared_ptr<UpstreamRequest> modelsRequest_;
  std::string modelsBody_;
  std::vector<ModelsHandler> modelsWaiting_;
};

// The ids of GET /models ({"data":[{"id"}, ...]}, OpenAI and every compatible server), with
// `defaultModel` first; nullopt when the body is not such a list.
std::optional<std::vector<std::string>> parseModelList(const std::string& body,
                                                       const std::string& defaultModel);

// The message of a non-2xx answer: {"error":{"message"}} / {"error":"..."} / {"message"},
// else the start of the body.
std::string upstreamErrorMessage(int status, const std::string& body);

}  // namespace chat::gateway
