// Where the gateway's shared state lives in Redis (all under one prefix, so several
// deployments can share a Redis database without touching each other's keys).
#pragma once

#include <string>

namespace chat::gateway::redis {

struct RedisKeys {
  std::string prefix = "chat:";

  // The session's log: a Stream whose entry ids are "<seq>-0", field "f" = the frame.
  std::string log(const std::string& sessionId) const { return prefix + "log:" + sessionId; }
  // The session's head: a hash with "seq" (the last seq given), "title", "createdAt",
  // "updatedAt" (ms).
  std::string head(const std::string& sessionId) const { return prefix + "head:" + sessionId; }
  // A client message id already applied: the reply to answer its resends with (expires).
  std::string messageId(const std::string& id) const { return prefix + "mid:" + id; }
  // An append already applied (its first seq), so a retried append is not applied twice.
  std::string appendToken(const std::string& token) const { return prefix + "tok:" + token; }
  // Every appended batch, published by the append script: see redis_event_log.h for the format.
  std::string eventsChannel() const { return prefix + "events"; }
  // Sessions by last update time (zset, score = ms), by their latest change number (zset), and
  // the change counter the push feed counts with.
  std::string sessionsByUpdate() const { return prefix + "sessions"; }
  std::string sessionsByChange() const { return prefix + "changed"; }
  std::string changeCounter() const { return prefix + "changes"; }
  // The list feed's channel: the change counter, published by every write that moved it.
  std::string listChannel() const { return prefix + "list"; }
  // What search reads of a session (redis_session_text.h): a hash seq -> "role\nid\ntext".
  std::string sessionText(const std::string& sessionId) const { return prefix + "text:" + sessionId; }
  // A reply's text while it streams (appended delta by delta, moved into sessionText at its end).
  std::string replyText(const std::string& sessionId, const std::string& requestId) const {
    return prefix + "reply:" + sessionId + ":" + requestId;
  }
  // The tools approved "for the session" (a set).
  std::string grants(const std::string& sessionId) const { return prefix + "grants:" + sessionId; }
  // Wrong PINs/tokens: per throttle key (a hash), and of all addresses together.
  std::string pinBudget(const std::string& throttleKey) const { return prefix + "pin:" + throttleKey; }
  std::string pinBudgetGlobal() const { return prefix + "pin*"; }
  // The turns echoed but not started yet: requestId -> JSON (redis_event_store.cpp).
  std::string queuedTurns() const { return prefix + "queued"; }
  // A running turn's lease: the id of the node running it, expiring unless renewed.
  std::string lease(const std::string& requestId) const { return prefix + "lease:" + requestId; }
  // The open turns of all nodes: requestId -> openTurnValue() (below).
  std::string openTurns() const { return prefix + "turns"; }
  // Messages for one node (approvals and cancels of the turns it runs).
  std::string nodeChannelPrefix() const { return prefix + "node:"; }
  std::string nodeChannel(const std::string& nodeId) const { return nodeChannelPrefix() + nodeId; }
  // A node that runs: set with the lease's expiry, renewed with its leases (its queued turns
  // are adopted by other nodes once it is gone).
  std::string alivePrefixKey() const { return prefix + "alive:"; }
  std::string alive(const std::string& nodeId) const { return alivePrefixKey() + nodeId; }
};

// An open turn's value in openTurns(): "sessionId\n<toolCallId length>:toolCallId toolName"
// (session ids hold no newline; tool ids may hold anything, hence the length). Written by the
// claim and by the append script as the turn's tool events are logged.
inline std::string openTurnValue(const std::string& sessionId, const std::string& toolCallId,
                                 const std::string& toolName) {
  return sessionId + "\n" + std::to_string(toolCallId.size()) + ":" + toolCallId + toolName;
}

}  // namespace chat::gateway::redis
