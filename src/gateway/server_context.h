// Everything a connection needs, owned by the Server: configuration, the log, the fan-out hub,
// the transport-independent core, authentication and connection limits.
//
// Lifetime: pending handlers on the io_context hold connection objects (shared_ptr), and the
// io_context outlives this context (it is created first), so a handler can be destroyed after
// the context is gone. Every connection object that refers to the context is registered in
// `bound`; detaching it closes its socket and cuts it loose, and the context detaches all
// that are left when it is destroyed. So no connection ever touches a freed context.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "gateway/agent_factory.h"
#include "gateway/auth.h"
#include "gateway/config.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/limits.h"
#include "gateway/session_list_store.h"
#include "gateway/session_manager.h"
#include "gateway/session_catalog.h"
#include "gateway/tool_grants.h"

namespace chat::gateway {

class WsSession;

// A connection (HTTP or WebSocket) that refers to the ServerContext. detach() closes its socket
// and unregisters it; from then on the object never touches the context again: its handlers
// return at once (their operations fail on the closed socket) and its destructor leaves the
// context alone.
class ContextBound {
 public:
  virtual void detach(const std::string& why) = 0;

 protected:
  ~ContextBound() = default;
};

// Per-address and total connection limits from the flags and the open-file limit.
inline std::shared_ptr<ConnectionCounter> makeConnectionCounter(const Config& config) {
  ConnectionBudget budget = connectionBudgetFor(openFileLimit());
  int perAddress = config.maxConnectionsPerAddress > 0 ? config.maxConnectionsPerAddress
                                                       : budget.perAddress;
  return std::make_shared<ConnectionCounter>(perAddress, budget.total);
}

// The event store and fan-out several nodes share (--redis); both null: this process's SQLite
// log and Hub. Likewise the session list and the session grants (null: the log's).
struct SharedEvents {
  EventStore* store = nullptr;
  EventFanout* fanout = nullptr;
  SessionListStore* sessions = nullptr;
  GrantStore* grants = nullptr;
};

struct ServerContext {
  ServerContext(boost::asio::io_context& ioContext, Config cfg, EventLog& eventLog,
                Authenticator& authenticator, SharedEvents shared = {})
      : ioc(ioContext),
        config(std::move(cfg)),
        log(eventLog),
        hub(shared.fanout ? *shared.fanout : static_cast<EventFanout&>(localHub)),
        store(shared.store ? *shared.store : static_cast<EventStore&>(eventLog)),
        sessionList(shared.sessions ? *shared.sessions
                                    : static_cast<SessionListStore&>(eventLog.catalog())),
        core(ioContext, eventLog, hub, makeAgentFactory(ioContext, config), shared.store,
             shared.sessions, shared.grants),
        sessions(core, localHub, sessionList),
        auth(authenticator),
        connections(makeConnectionCounter(config)),
        httpSends(effectiveHttpSendRate(config), effectiveHttpSendBurst(config)) {}
  ~ServerContext() { detachAll("gateway stopped"); }
  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;

  // Where a channel's live events come from: the session list feed is this node's Hub (fed
  // by its SessionManager from the session list store, every node's with --redis), session
  // events may come from every node.
  EventFanout& fanoutOf(const std::string& channel) {
    return channel == SessionManager::kListChannel ? static_cast<EventFanout&>(localHub) : hub;
  }

  // Cuts every registered connection (sockets closed: their pending operations complete with
  // errors the next time the io_context runs).
  void detachAll(const std::string& why) {
    std::vector<ContextBound*> all(bound.begin(), bound.end());
    for (ContextBound* connection : all) connection->detach(why);
    bound.clear();
  }

  boost::asio::io_context& ioc;
  Config config;
  EventLog& log;      // SQLite: the events, or with --redis only this node's leftovers
  Hub localHub;       // this process's subscribers and the session list feed
  EventFanout& hub;   // live session events: localHub, or every node's through Redis
  EventStore& store;  // the events (replay, long polls): log, or Redis
  SessionListStore& sessionList;  // the list, its feed, search: log's catalog, or Redis
  GatewayCore core;
  SessionManager sessions;  // the session list: pages, feed, rename/archive/delete, search
  Authenticator& auth;
  std::shared_ptr<ConnectionCounter> connections;
  AddressRateLimiter httpSends;     // POST /api/send per client address
  std::set<WsSession*> wsSessions;  // open WebSockets, closed with 1001 on shutdown
  std::set<ContextBound*> bound;    // every connection object that may still touch this context
  bool stopping = false;
};

}  // namespace chat::gateway
