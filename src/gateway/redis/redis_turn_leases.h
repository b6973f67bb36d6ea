// Turns owned by a lease (--redis): the node that accepted a chat.send runs its agent and holds
// the turn's lease, renewing it while the turn runs. Every node sweeps the open turns; a turn
// whose lease has expired (its node died) is closed by the first node to see it, with the
// events a restart writes today (tool.error when a tool was in flight, error "interrupted",
// chat.stream.end {stopReason: "error"}), so its clients see it end and can retry it. The
// close is an append with a dedup id of its own per turn: two nodes sweeping together close
// it once.
//
// Timing: renewals every lease/3; sweeps every lease/2; a turn whose node died is closed at
// most lease (expiry after the last renewal) + lease/2 (the next sweep) later: within 2x lease.
//
// Approvals and cancels reach the owner: sendToOwner() publishes on the owning node's channel
// (looked up from the lease in the same script; sendToToolOwner() finds the turn by the tool
// call in flight first); each node hands what arrives on its channel to onRouted.
//
// The gateway (GatewayCore, through turn_leases.h) claims with claimQueued: only a turn still
// in the `queued` hash (echoed, its chat.stream.start not logged) can be claimed, so a turn two
// nodes both find waiting (a restart's recovery, below) runs once, and it answers Busy while
// another node runs a turn of the same session or has an earlier send to it waiting (one turn
// per session at a time, in the order the sends were echoed). A claimed turn whose node dies
// before its start is logged is not closed by the sweep but left to be started again.
//
// Waiting turns of a dead node: every node marks itself alive (`alive:<node>`, PX lease,
// renewed with the leases), and the append script records the node that queued each turn
// (RedisEventStoreOptions::runId). A sweep that finds a queued turn whose node is not alive
// hands it to onOrphanQueued, which queues it here; claimQueued then decides which node runs
// it. `nodeId` here is that run id: one per process (the --node-id and a random part), so a
// node restarted under the same --node-id adopts what its previous run left waiting.
//
// Not fenced: a node that stalls past its lease (a long pause, not a death) finds its renewal
// refused and is told (onLeaseLost) so it stops the turn, but an append it makes before it
// notices could land after the close.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/event_store.h"  // QueuedTurn
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_event_log.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/turn_leases.h"

namespace chat::gateway::redis {

class RedisTurnLeases : public TurnLeases {
 public:
  // `client` for commands, `subscriber` (subscriber mode) for this node's channel.
  RedisTurnLeases(boost::asio::io_context& ioc, RedisClient& client, RedisClient& subscriber,
                  RedisEventLog& log, std::string nodeId, int64_t leaseMs);
  ~RedisTurnLeases() override;

  // Starts renewing, sweeping and listening on this node's channel.
  void start();
  void stop();

  // This node runs turn `requestId` of `sessionId`: false when another node holds it already.
  void claim(const std::string& sessionId, const std::string& requestId,
             std::function<void(bool)> done);
  // The same, but only while the turn waits in `queued` (or this node holds it already).
  void claimQueued(const std::string& sessionId, const std::string& requestId,
                   std::function<void(Claim)> done) override;
  // The turn's tool in flight ("" when none), so a close can end it with tool.error. (The
  // gateway's store records it with the tool events instead: redis_event_store.cpp.)
  void setTool(const std::string& requestId, const std::string& toolCallId,
               const std::string& toolName);
  // The turn ended here normally (its chat.stream.end is logged).
  void release(const std::string& requestId) override;
  // This node lets go of the turn without its end logged: the sweep closes it.
  void drop(const std::string& requestId) override;
  bool owns(const std::string& requestId) const { return owned_.count(requestId) != 0; }

  // Publishes `payload` to the node running turn `requestId`. done(true) when that node's
  // channel had a listener; false when no node holds the turn (ended, or its node died).
  void sendToOwner(const std::string& requestId, const std::string& payload,
                   std::function<void(bool)> done) override;
  void cancelAtOwner(const std::string& requestId, const std::string& payload,
                     std::function<void(bool)> done) override;
  void markCancelled(const std::string& requestId, std::function<void()> done) override;
  // The same for the turn whose tool call `toolCallId` is in flight (setTool).
  void sendToToolOwner(const std::string& toolCallId, const std::string& payload,
                       std::function<void(bool)> done) override;
  void sendToNode(const std::string& nodeId, const std::string& payload) override;

  void onRouted(std::function<void(const std::string& payload)> handler) override {
    onRouted_ = std::move(handler);
  }
  // A lease this node held was found expired or taken: stop running that turn.
  void onLeaseLost(std::function<void(const std::string& requestId)> handler) override {
    onLeaseLost_ = std::move(handler);
  }
  // A queued turn whose node is gone (see above): queue it here (claimQueued decides).
  void onOrphanQueued(std::function<void(QueuedTurn)> handler) override {
    onOrphanQueued_ = std::move(handler);
  }
  // A turn of a dead node closed by this node (sessionId, requestId): tests and logs.
  void onClosedOrphan(std::function<void(const std::string&, const std::string&)> handler) {
    onClosedOrphan_ = std::move(handler);
  }

  const std::string& nodeId() const override { return nodeId_; }
  int64_t leaseMs() const override { return leaseMs_; }

 private:
  void renewAll();
  void sweep();
  void sweepQueued();
  void closeOrphan(const std::string& requestId, const std::string& value);
  void every(boost::asio::steady_timer& timer, int64_t ms, void (RedisTurnLeases::*what)());

  boost::asio::io_context& ioc_;
  RedisClient& client_;
  RedisClient& subscriber_;
  RedisEventLog& log_;
  std::string nodeId_;
  int64_t leaseMs_;
  std::map<std::string, std::string> owned_;  // requestId -> sessionId
  boost::asio::steady_timer renewTimer_, sweepTimer_;
  bool running_ = false;
  std::function<void(const std::string&)> onRouted_;
  std::function<void(const std::string&)> onLeaseLost_;
  std::function<void(const std::string&, const std::string&)> onClosedOrphan_;
  std::function<void(QueuedTurn)> onOrphanQueued_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chat::gateway::redis
