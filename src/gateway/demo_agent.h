// Runs demo turns (demo_script.h) in time: one step every --demo-delay-ms on the io_context,
// handing each step's events to the emitter (which queues them for the next group commit;
// they are sent once committed). If that commit fails, the owner calls abandon().
// One timer for all turns: every step waits in one queue ordered by when it is due (the delay
// is the same for every turn, so appending keeps the order), and each expiry runs every step
// due by then. 1,000 streaming turns cost one timer wait per loop turn, not 1,000.
// A tool approved "for the session" is asked no more in that session: the grants ledger the
// agents share (tool_grants.h) holds the log's grants and this process's answers.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "gateway/agent.h"
#include "gateway/demo_script.h"
#include "gateway/tool_grants.h"

namespace chat::gateway {

class DemoAgent : public Agent {
 public:
  DemoAgent(boost::asio::io_context& ioc, int64_t delayMs, Emitter emit, DoneHandler onDone = {},
            ApprovalSource persistedApprovals = {});

  // Creates the turn of chat.send `requestId` and returns its first events (chat.stream.start,
  // ...), which the caller commits together with the user's message; then the caller calls
  // run(requestId) to pace the rest, or discard(requestId) if the commit failed.
  std::vector<proto::GatewayMessage> start(const std::string& sessionId, const std::string& requestId,
                                    const std::string& prompt, const std::string& model) override;
  void run(const std::string& requestId) override;
  void discard(const std::string& requestId) override;

  // Stops a running turn (stopReason "cancelled"). False when no such turn is running.
  bool cancel(const std::string& requestId) override;

  Resolution resolveApproval(const std::string& toolCallId, bool approved,
                             bool sessionApprove) override;

  // The log refused events of turn `requestId`: it cannot go on. It stops at once without
  // emitting more (its start stays open in the log, so the next gateway start closes it with
  // stopReason "error"). Nothing when the turn has already ended.
  void abandon(const std::string& requestId) override;

  // Ends every running turn with stopReason "error" and `why` (clean shutdown).
  void stopAll(const std::string& why) override;

  std::size_t runningTurns() const override { return turns_.size(); }
  void listModels(ModelsHandler done) override { done({kDemoModel}, ""); }

 private:
  struct Running {
    std::string sessionId;
    std::string requestId;
    std::unique_ptr<DemoTurn> turn;
    uint64_t waitingStep = 0;  // the queued step it waits for (0: none; a stale one is skipped)
  };
  struct DueStep {
    std::chrono::steady_clock::time_point at;
    std::string requestId;
    uint64_t step;
  };
  using Turns = std::unordered_map<std::string, Running>;  // by requestId
  void schedule(Turns::iterator turn);
  void armTimer();
  void runDueSteps();
  void tick(Turns::iterator turn);
  void emitSafely(Running& running, const std::vector<proto::GatewayMessage>& events);
  void finishIfDone(const std::string& requestId);

  boost::asio::io_context& ioc_;
  int64_t delayMs_;
  Emitter emit_;
  DoneHandler onDone_;
  Turns turns_;
  std::deque<DueStep> due_;                                      // oldest first = due first
  boost::asio::steady_timer timer_;                              // armed for due_.front()
  bool timerArmed_ = false;
  uint64_t nextStep_ = 0;
  std::map<std::string, std::string> turnOfToolCall_;            // toolCallId -> requestId
  ToolGrants grants_;  // "Approve for session": the log's and this process's (tool_grants.h)
};

}  // namespace chat::gateway
