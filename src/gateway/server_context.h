// Everything a connection needs, owned by the Server: configuration, the log, the fan-out hub,
// the transport-independent core, authentication and connection limits.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>

#include "gateway/auth.h"
#include "gateway/config.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/limits.h"

namespace chat::gateway {

class WsSession;

struct ServerContext {
  ServerContext(boost::asio::io_context& ioContext, Config cfg, EventLog& eventLog,
                Authenticator& authenticator)
      : ioc(ioContext),
        config(std::move(cfg)),
        log(eventLog),
        core(ioContext, eventLog, hub, config.demoDelayMs),
        auth(authenticator),
        connections(std::make_shared<ConnectionCounter>(config.maxConnectionsPerAddress)) {}

  boost::asio::io_context& ioc;
  Config config;
  EventLog& log;
  Hub hub;
  GatewayCore core;
  Authenticator& auth;
  std::shared_ptr<ConnectionCounter> connections;
  std::set<WsSession*> wsSessions;  // open WebSockets, closed with 1001 on shutdown
  bool stopping = false;
};

}  // namespace chat::gateway
