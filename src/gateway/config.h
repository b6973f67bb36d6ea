// Command-line flags of chat-gateway, parsed into a Config (pure: testable without a server).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/agent_config.h"

namespace chat::gateway {

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;               // 0 = any free port (printed on the first stdout line)
  std::string staticDir;              // "" = no static files (the API and WebSocket only)
  std::string dbPath;                 // "" = defaultDbPath(); ":memory:" allowed
  std::optional<std::string> token;   // --token
  std::optional<std::string> pin;     // --pin
  bool noAuth = false;                // --no-auth
  // Reverse proxies whose X-Forwarded-For names the client (client_address.h), canonical.
  std::vector<std::string> trustedProxies;
  std::vector<std::string> allowOrigins;  // WebSocket origins and CORS origins allowed
  std::vector<std::string> embedOrigins;  // parents allowed to frame the client
  std::vector<std::string> allowedHosts;  // Host names served besides localhost, IPs, --host
  int64_t heartbeatMs = 15000;        // a WS silent for 2.5x this is closed
  int64_t demoDelayMs = 40;           // pace of the demo agent's streaming
  double rateLimitPerSec = 50;        // client messages per second per connection...
  double rateBurst = 200;             // ...with this burst
  // POST /api/send per client address (all its tabs and connections together); unset: 4x the
  // per-connection values above (see effectiveHttpSend*).
  std::optional<double> httpSendRatePerSec;
  std::optional<double> httpSendBurst;
  // Connections per client address; 0 = half of what the open-file limit allows
  // (connectionBudgetFor in limits.h: loopback benchmarks open thousands where the limit is high).
  int maxConnectionsPerAddress = 0;
  int64_t authTimeoutMs = 10000;      // a WebSocket not authenticated by then is closed (4008)
  std::size_t maxQueueBytes = 4 * 1024 * 1024;  // per-connection send queue bound
  std::size_t maxQueueFrames = 10000;
  int64_t idleTimeoutMs = 120000;     // HTTP keep-alive connections idle longer are closed
  int pinMaxAttempts = 5;             // wrong PINs per address before a lockout
  int64_t pinLockoutMs = 60000;
  int pinGlobalAttempts = 100;        // wrong PINs/tokens from all addresses before a lockout
  bool disableWebSocket = false;      // refuse upgrades (HTTP-only operation, for tests)
  bool quiet = false;                 // no per-connection log lines
  AgentConfig agent;                  // --upstream and the other agent flags (agent_config.h)
  // --redis URL: the event log, live fan-out and message-id dedup on Redis (redis/README.md);
  // "" = SQLite only. The password may come from REDIS_PASSWORD instead of the URL.
  std::string redisUrl;
  std::string nodeId;  // --node-id: this node's name in Redis ("" = host name + pid)
  // --lease-ms: with --redis, how long a node's turn stays its own without a renewal; a dead
  // node's turn is closed by another within twice this (redis/redis_turn_leases.h).
  int64_t leaseMs = 4000;
};

struct ParseOutcome {
  enum class Kind { Run, Help, Error };
  Kind kind = Kind::Run;
  Config config;
  std::string error;  // for Kind::Error: what was wrong, one line
};

// Parses argv[1..]: `--flag value` and `--flag=value` forms. Never throws.
ParseOutcome parseArgs(const std::vector<std::string>& args);

// The per-address budget of POST /api/send: the --http-send-* flags, or the budget of four
// WebSocket connections (a user with a few tabs on HTTP fallback behind one address).
constexpr double kHttpSendTabsPerAddress = 4;
double effectiveHttpSendRate(const Config& config);
double effectiveHttpSendBurst(const Config& config);

// The --help text.
std::string helpText();

// $XDG_DATA_HOME/chat-gateway/chat.db, or ~/.local/share/chat-gateway/chat.db, or
// ./chat-gateway-data/chat.db when neither variable is set.
std::string defaultDbPath();

}  // namespace chat::gateway
