// The interface every agent the gateway hosts implements: the demo agent (demo_agent.h, the
// default: no flag, no network) and the OpenAI-compatible agent (openai_agent.h, --upstream).
// GatewayCore drives turns through it and never knows which one answers.
//
// A turn: start() returns its first events (chat.stream.start, ...), which the caller commits
// together with the turn's start; then run() lets it go on, or discard() drops it when that
// commit failed. Every later event goes through the Emitter (queued for the next group commit;
// sent once committed). If such a commit fails, the owner calls abandon(). Once a turn has
// handed its chat.stream.end to the emitter it is forgotten and DoneHandler is called, so the
// session's next turn can start.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"

namespace chat::gateway {

class Agent {
 public:
  using Emitter = std::function<void(const std::string& sessionId, const std::string& requestId,
                                     const std::vector<proto::GatewayMessage>& events)>;
  using DoneHandler =
      std::function<void(const std::string& sessionId, const std::string& requestId)>;
  // The tools the log says are approved for a session (EventLog::sessionApprovedTools).
  using ApprovalSource = std::function<std::set<std::string>(const std::string& sessionId)>;
  // The session's logged events, oldest first, decoded.
  using HistorySource =
      std::function<std::vector<proto::GatewayMessage>(const std::string& sessionId)>;

  // What the gateway gives every agent.
  struct Hooks {
    Emitter emit;
    DoneHandler onDone;
    ApprovalSource persistedApprovals;
    HistorySource history;
  };

  virtual ~Agent() = default;

  virtual std::vector<proto::GatewayMessage> start(const std::string& sessionId,
                                            const std::string& requestId,
                                            const std::string& prompt,
                                            const std::string& model) = 0;
  virtual void run(const std::string& requestId) = 0;
  virtual void discard(const std::string& requestId) = 0;

  // Stops a running turn (stopReason "cancelled"). False when no such turn is running.
  virtual bool cancel(const std::string& requestId) = 0;

  enum class Resolution { Resolved, NotFound };
  virtual Resolution resolveApproval(const std::string& toolCallId, bool approved,
                                     bool sessionApprove) = 0;

  // The log refused events of turn `requestId`: it stops at once without emitting more (its
  // start stays open in the log, so the next gateway start closes it with stopReason "error").
  virtual void abandon(const std::string& requestId) = 0;

  // Ends every running turn with stopReason "error" and `why` (clean shutdown).
  virtual void stopAll(const std::string& why) = 0;

  virtual std::size_t runningTurns() const = 0;

  // The models a client may pick (the default first). `done` runs exactly once, possibly
  // later; `error` is not empty when the list could not be fetched (the default model is
  // still listed).
  using ModelsHandler =
      std::function<void(const std::vector<std::string>& models, const std::string& error)>;
  virtual void listModels(ModelsHandler done) = 0;
};

// Makes the gateway's agent once the gateway's hooks exist (GatewayCore owns the agent).
using AgentFactory = std::function<std::unique_ptr<Agent>(Agent::Hooks hooks)>;

}  // namespace chat::gateway
