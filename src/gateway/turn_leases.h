// Who runs a turn when several gateway nodes share one event store (--redis): the interface
// GatewayCore drives, implemented on Redis by redis/redis_turn_leases.h. Without it (one node
// on SQLite) GatewayCore runs every turn it accepts and nothing here is used.
//
// A node claims a turn before it starts it (so a queued turn runs on one node only, and a
// session's turns one at a time in order), and lets go of it when its end is logged. Which
// tool is in flight (so a close ends it with tool.error, and an approval finds its turn) the
// shared store records with the tool events themselves. Approvals and cancels of a turn
// this node does not run are sent to the node that does (sendToOwner / sendToToolOwner); what
// other nodes send this one arrives through onRouted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "gateway/event_store.h"  // QueuedTurn

namespace chat::gateway {

class TurnLeases {
 public:
  virtual ~TurnLeases() = default;

  // This node is to run turn `requestId` of `sessionId`: done(true) when it now holds the
  // turn, false when another node does, or the turn is not waiting any more (started by
  // another node, or ended).
  enum class Claim {
    Refused,       // another node holds it, or it is not waiting any more
    Run,           // this node holds it now
    RunCancelled,  // this node holds it, and a chat.cancel came while it waited (any node)
    Busy,          // not yet: another node runs the session's turn, or its earlier send waits
                   // (or the store could not be reached); claim again a little later
  };
  virtual void claimQueued(const std::string& sessionId, const std::string& requestId,
                           std::function<void(Claim)> done) = 0;
  // The turn's chat.stream.end is logged: nobody holds it any more.
  virtual void release(const std::string& requestId) = 0;
  // This node stops running the turn without logging its end (it could not log its events):
  // it stays open, and a sweep closes it like a dead node's turn.
  virtual void drop(const std::string& requestId) = 0;

  // Sends `payload` to the node running turn `requestId` (or, for sendToToolOwner, the turn
  // whose tool call `toolCallId` is in flight). done(false) when no node runs it.
  virtual void sendToOwner(const std::string& requestId, const std::string& payload,
                           std::function<void(bool)> done) = 0;
  // A chat.cancel of turn `requestId`: sent to the node running it (done(true)), or, when the
  // turn still waits to start, marked cancelled where every node's claim sees it (done(false),
  // as when no node runs it).
  virtual void cancelAtOwner(const std::string& requestId, const std::string& payload,
                             std::function<void(bool)> done) = 0;
  // A chat.cancel of turn `requestId` waiting on this node: marked where every node's claim
  // sees it (should this node die before starting it). done() once written (or not possible).
  virtual void markCancelled(const std::string& requestId, std::function<void()> done) = 0;
  virtual void sendToToolOwner(const std::string& toolCallId, const std::string& payload,
                               std::function<void(bool)> done) = 0;
  // Sends `payload` to node `nodeId` (an answer to what it routed here).
  virtual void sendToNode(const std::string& nodeId, const std::string& payload) = 0;

  // What other nodes sent this one.
  virtual void onRouted(std::function<void(const std::string& payload)> handler) = 0;
  // A turn this node held was taken from it (its lease expired: it stalled, or Redis was away):
  // it must stop running it at once, without logging more.
  virtual void onLeaseLost(std::function<void(const std::string& requestId)> handler) = 0;
  // A turn that waited on a node that is gone (it died before starting it): queue it here.
  virtual void onOrphanQueued(std::function<void(QueuedTurn)> handler) = 0;

  virtual const std::string& nodeId() const = 0;
  virtual int64_t leaseMs() const = 0;
};

}  // namespace chat::gateway
