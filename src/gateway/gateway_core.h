// What the gateway does with a client message, independent of the transport (WebSocket frame
// or POST /api/send): dedup by id, commit events before publishing them, drive the demo agent
// one turn per session at a time (turn_queue.h). Transports handle auth and
// session.resume replay themselves.
//
// Commits (commit_queue.h): everything is grouped, one transaction per turn of the io_context:
// the demo agent's steps, and a client message's effects (echo, dedup record, cancel,
// approval; only the mark on a cancelled waiting turn is its own small transaction, answered
// at once). A message is answered only once its effects are committed (an ack must never
// promise what a SIGKILL could still take back), so handle() answers through a callback.
// A resend of an id whose first copy is still waiting for its commit gets the same answer
// when it comes: an id is applied at most once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"
#include "gateway/commit_queue.h"
#include "gateway/agent.h"
#include "gateway/event_log.h"
#include "gateway/event_fanout.h"
#include "gateway/message_id_use.h"
#include "gateway/session_list_store.h"
#include "gateway/tool_grants.h"
#include "gateway/turn_leases.h"
#include "gateway/turn_queue.h"

namespace chat::gateway {

// Encoded frames of connection-level answers (through the core codec).
std::string encodeAck(const std::string& requestId);
std::string encodeError(const std::optional<std::string>& requestId, const std::string& code,
                        const std::string& message);

// The `id` of a frame that failed to decode, when it has a usable one (1..64 chars), so the
// error can name the request it answers.
std::optional<std::string> extractMessageId(const std::string& frame);

class GatewayCore {
 public:
  struct Result {
    std::vector<std::string> frames;  // answers to the sender, in order (the last is the main one)
    bool isError = false;              // the main answer is an error frame
    std::string errorCode;
    // The session this message acted on: a WebSocket sender gets subscribed to it (live from
    // `fromSeq`) so it sees the events it caused even without a prior session.resume.
    std::optional<std::string> sessionId;
    int64_t fromSeq = 0;
    // The events after `fromSeq` are this answer's commit's own, published right after it:
    // a subscriber can go live at `fromSeq` without reading the log.
    bool eventsFollow = false;
  };

  // Called exactly once per message, at once or after the commit holding its effects.
  using Reply = std::function<void(Result)>;

  // With the demo agent (steps every demoDelayMs).
  GatewayCore(boost::asio::io_context& ioc, EventLog& log, EventFanout& hub, int64_t demoDelayMs);
  // With the agent `makeAgent` makes (agent_factory.h picks it from the flags). `store`, when
  // given (Redis, --redis), holds the events, the message ids and the replay reads instead of
  // `log`. `sessions` and `grants`, when given (--redis), say which sessions are deleted and
  // which tools a session approved, instead of the log.
  GatewayCore(boost::asio::io_context& ioc, EventLog& log, EventFanout& hub,
              const AgentFactory& makeAgent, EventStore* store = nullptr,
              SessionListStore* sessions = nullptr, GrantStore* grants = nullptr);

  // Every client message except auth (and, on WebSocket, session.resume).
  void handle(const proto::ClientMessage& message, Reply reply);
  // The same, committing at once instead of with the next group (tests, tools).
  Result handle(const proto::ClientMessage& message);

  // At start, first: every turn left open by a killed process gets its tool.error (if a tool
  // was in flight), an error event "interrupted by gateway restart" and chat.stream.end {error}.
  std::size_t closeInterruptedTurns();
  // At start, second: the turns that were echoed but still waiting for their session's
  // previous turn are queued again and run, in their order (cancelled ones as start + end).
  std::size_t resumeQueuedTurns();

  // One of several nodes on a shared store (--redis), before the first message: every turn is
  // claimed before it starts (so it runs on one node, a session's turns one at a time), its
  // lease let go once its end is committed (a dead node's turn is closed by another,
  // redis_turn_leases.h), a lost lease stops the turn, queued turns of dead nodes are adopted, and approvals and
  // cancels of a turn another node runs are sent there and answered once it has applied
  // them (gateway_core_routing.cpp). Not used: closeInterruptedTurns/resumeQueuedTurns (the
  // leases' sweep does their job for every node).
  void useLeases(TurnLeases& leases);

  // Clean shutdown: ends the running turns (stopReason error) and starts no more; waiting
  // turns stay in the log for the next start.
  void stopAllTurns(const std::string& why);

  // Queues turn `turn` (answering message `id`, first used as `use`): `events` (its user
  // message echo, or none when it answers the session's last user message again: a regenerate
  // or retry) are committed with the dedup record and the waiting turn; answered once
  // committed. Used by chat.send and by the session manager (regenerate, edit).
  void submitTurn(const std::string& id, std::vector<proto::GatewayMessage> events, QueuedTurn turn,
                  const MessageIdUse& use, const Reply& reply);
  // The session is going away (deleted): its waiting turns end at once, its running one stops.
  void stopSessionTurns(const std::string& sessionId);
  // Whether a turn of the session runs or waits.
  bool sessionBusy(const std::string& sessionId) const {
    return turns_.running(sessionId).has_value() || turns_.waiting(sessionId) > 0;
  }
  static Result error(const std::string& requestId, const std::string& code,
                      const std::string& message);
  static Result ackOf(const std::string& id);
  // A message already applied, or waiting for its commit: answered like the first copy; an id
  // first used for another message (message_id_use.h) is answered `conflict`.
  bool answeredAsResend(const std::string& id, const MessageIdUse& use, const Reply& reply);

  EventLog& log() { return log_; }
  EventStore& store() { return store_; }  // the events: `log` or the shared store
  CommitQueue& commits() { return commits_; }
  EventFanout& hub() { return hub_; }
  Agent& agent() { return *agent_; }
  const TurnQueue& turns() const { return turns_; }

 private:
  void dispatch(const proto::ClientMessage& message, const Reply& reply);
  void chatSend(const proto::ChatSend& m, const Reply& reply);
  // mayRoute: a turn this node does not run is sent to the node that does (with leases);
  // false for what another node routed here.
  void chatCancel(const proto::ChatCancel& m, const Reply& reply, bool mayRoute = true);
  void approval(const proto::ToolApprovalResponse& m, const Reply& reply, bool mayRoute = true);
  // Routing (gateway_core_routing.cpp). Sends `message` (id `id`) to the node running turn
  // `requestId`, a cancel (marking the turn cancelled when it still waits on some node), or
  // the approval to the one whose tool call `toolCallId` is in flight; its answer answers
  // `reply` and every resend of `id`. noOwner() runs instead when no node runs the turn.
  void routeToOwner(const std::string& id, const MessageIdUse& use,
                    const proto::ClientMessage& message, const std::string& requestId,
                    const std::string& toolCallId, const Reply& reply,
                    std::function<void()> noOwner);
  void onRouted(const std::string& payload);
  void applyRouted(const proto::ClientMessage& message, const std::string& fromNode);
  void routedTimedOut(const std::string& id);
  // The commit of message `id`'s dedup record, answered to whoever waits in inFlight_.
  void commitProcessedRecord(const std::string& id, const MessageIdUse& use);
  // Starts `turn` in its message's commit `echo` when its session is idle (its first events
  // follow the echo, nothing is queued); false: it waits in line as usual.
  bool startWithEcho(const QueuedTurn& turn, AppendRequest& echo);
  // Starts one turn startNext() handed out. False when it could not (it is back in its line).
  bool startTurn(const QueuedTurn& turn);
  // With leases: claims the turn first; starts it when this node got it.
  void claimAndStart(const QueuedTurn& turn);
  // The session's next claim, a little later (the claim answered Busy).
  void retryClaimLater(const std::string& sessionId);
  // A queued turn of a node that is gone: queued here too (the claim decides who runs it).
  void adoptQueued(QueuedTurn turn);
  // Another node runs the session's adopted turns: the ones waiting here are let go.
  void dropAdopted(const std::string& sessionId);

  // Records message `id` applied (with the events queued before it) and answers ack once
  // committed.
  void commitProcessed(const std::string& id, const MessageIdUse& use, const Reply& reply);
  // Answers everyone waiting on message `id` (its first copy and resends) and forgets it.
  void answerInFlight(const std::string& id, const Result& result);
  // Starts the session's waiting turns while none of its turns runs. Never throws: a turn the
  // log refuses goes back to the head of its line (retried on the session's next chat.send,
  // or at the next start).
  void startWaitingTurns(const std::string& sessionId);
  void onTurnDone(const std::string& sessionId, const std::string& requestId);

  boost::asio::io_context& ioc_;
  EventLog& log_;
  EventStore& store_;
  SessionListStore* sessions_ = nullptr;  // null: the log's catalog
  GrantStore* grants_ = nullptr;          // null: the log's session approvals
  EventFanout& hub_;
  CommitQueue commits_;
  TurnQueue turns_;
  std::set<std::string> starting_;  // sessions inside startWaitingTurns (re-entry guard)
  std::map<std::string, std::vector<Reply>> inFlight_;  // message id -> waiting for its commit
  std::map<std::string, MessageIdUse> inFlightUse_;     // message id -> what it was sent for
  bool stopping_ = false;
  TurnLeases* leases_ = nullptr;  // several nodes (useLeases)
  std::set<std::string> adopted_;  // queued turns of dead nodes queued here (adoptQueued)
  std::set<std::string> claiming_;       // turns whose claim is in flight (claimAndStart)
  std::set<std::string> cancelAtStart_;  // of those, the ones a chat.cancel came for meanwhile
  // Messages routed to another node, waiting for its answer: id -> the time limit.
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> routed_;
  // Sessions whose next turn is claimed again shortly (retryClaimLater).
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> claimRetries_;
  std::unique_ptr<Agent> agent_;  // last: its hooks point into the members above
};

}  // namespace chat::gateway
