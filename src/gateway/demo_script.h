// The demo agent's turns as a pure, deterministic state machine (no clock, no I/O), so every
// behaviour is unit tested; demo_agent.h paces it with timers.
//
// A turn is driven by calling step() while state() == Running (the driver waits the demo delay
// between steps); each call returns the next events (typed, without sessionId/seq: the event log
// stamps them). The
// events of one chat.send are: chat.stream.start, tool events if any, chat.stream.delta* (one
// word each), chat.stream.end, in that order (see the shared decisions).
//
// Prompts:
//   anything else        a reply quoting the prompt
//   /tool time           tool.call + tool.result with the gateway's time (low risk, no approval)
//   /tool shell TEXT     tool.approval.request (risk high, args {command:TEXT}); once approved,
//                        simulated tool.output lines then tool.result {exitCode:0, output}; when
//                        denied, tool.error "denied by user". NOTHING is ever run on the host.
//                        "Approve for session" (sessionApprove) approves the tool for the rest
//                        of the session: later calls skip the approval request entirely (the
//                        gateway keeps it in its event log, so also after a restart).
//   /fail                tool.call + tool.error, then a short reply
//   /long N              exactly N words (N capped at kMaxLongWords)
//   /markdown            a reply with a fenced ```cpp block and a bullet list
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"

namespace chat::gateway {

constexpr int64_t kMaxLongWords = 100000;
constexpr const char* kDemoModel = "demo-1";

struct Price {
  double inputPerMillion = 0;
  double outputPerMillion = 0;
};
// The price table: demo-1 $3 / $15 per million tokens; unknown models cost as demo-1.
Price priceOf(const std::string& model);

// Splits text into streaming chunks of one word each, the whitespace before a word kept with
// it, so that the chunks concatenate back to exactly `text`.
std::vector<std::string> splitWords(const std::string& text);

class DemoTurn {
 public:
  enum class State { Running, AwaitingApproval, Done };

  struct Options {
    std::string requestId;
    std::string prompt;
    std::string model;  // "" = kDemoModel
    std::string toolCallId;                       // id for this turn's tool call, if any
    std::set<std::string> sessionApprovedTools;   // tools approved for the whole session
    std::function<int64_t()> wallClockMs;         // for /tool time
  };

  explicit DemoTurn(Options options);

  State state() const { return state_; }
  // The next events (Running only; otherwise empty).
  std::vector<proto::GatewayMessage> step();
  // Resolves the pending approval (AwaitingApproval only; otherwise empty). The returned events
  // follow at once (tool.approval.resolved, tool.call or tool.error, ...).
  std::vector<proto::GatewayMessage> resolveApproval(bool approved, bool sessionApprove);
  // Ends the turn now with stopReason (cancelled/error): closes a tool in flight with
  // tool.error, then chat.stream.end. Empty when already done.
  std::vector<proto::GatewayMessage> stop(const std::string& stopReason, const std::string& why);

  const std::string& requestId() const { return o_.requestId; }
  const std::string& toolCallId() const { return o_.toolCallId; }
  const std::string& toolName() const { return toolName_; }
  // Set when the user chose "Approve for session" for this turn's tool.
  bool sessionApproved() const { return sessionApproved_; }
  int64_t outputWords() const { return outputWords_; }

 private:
  enum class Phase { Start, ToolOutput, ToolResult, Words, End, Finished };
  proto::StreamStart start() const;
  proto::ToolCall toolCall() const;
  proto::ToolError toolError(const std::string& error) const;
  proto::StreamEnd end(const std::string& stopReason) const;
  std::string nextWord();
  bool wordsLeft() const;

  Options o_;
  State state_ = State::Running;
  Phase phase_ = Phase::Start;
  std::string toolName_;
  nlohmann::json toolArgs_ = nlohmann::json::object();
  bool toolInFlight_ = false;
  bool sessionApproved_ = false;
  std::vector<std::string> outputLines_;
  std::size_t outputIndex_ = 0;
  std::vector<std::string> words_;  // the reply (not used by /long, which generates words)
  std::size_t wordIndex_ = 0;
  int64_t longWords_ = -1;  // /long N: N; otherwise -1
  int64_t inputWords_ = 0;
  int64_t outputWords_ = 0;
};

}  // namespace chat::gateway
