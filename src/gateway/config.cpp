#include "gateway/config.h"

#include <cerrno>
#include <cstdlib>
#include <functional>
#include <map>
#include <type_traits>

#include "gateway/client_address.h"

namespace chat::gateway {

namespace {

bool parseInt(const std::string& s, int64_t min, int64_t max, int64_t* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool parseDouble(const std::string& s, double min, double max, double* out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !(v >= min && v <= max)) return false;
  *out = v;
  return true;
}

// An origin is scheme://host[:port] with nothing after it: what browsers send in Origin.
bool looksLikeOrigin(const std::string& s) {
  auto p = s.find("://");
  if (p == std::string::npos || p == 0 || p + 3 >= s.size()) return false;
  return s.find('/', p + 3) == std::string::npos;
}

}  // namespace

std::string helpText() {
  return R"(chat-gateway: the reference chat gateway (protocol 1) with a built-in demo agent.

Usage: chat-gateway [flags]       (--flag VALUE or --flag=VALUE)

  --host HOST              address to listen on (default 127.0.0.1)
  --port PORT              port, 0 = any free port (default 8080). The first stdout line is
                           "listening on http://HOST:PORT".
  --static DIR             serve the web client from DIR (DIR/index.html at /)
  --db PATH                SQLite event log (default $XDG_DATA_HOME/chat-gateway/chat.db or
                           ~/.local/share/chat-gateway/chat.db; ":memory:" keeps nothing)
  --redis URL              run as one of several nodes on Redis: redis://[:pw@]host:port[/db]
                           (password also from REDIS_PASSWORD). The event log, live events
                           across nodes, replay, long polls, message-id dedup, the session
                           list and its push, search, session grants and the PIN budget use
                           Redis (--db keeps nothing shared); turns are leased,
                           approvals/cancels reach the node running the turn (see
                           src/gateway/redis/README.md)
  --node-id NAME           this node's name in Redis (default: host name and pid)
  --lease-ms MS            with --redis: a turn's lease; a node that dies mid-turn has its
                           turn closed by another node within 2x this (default 4000)
  --token TOKEN            clients authenticate with this token
  --pin PIN                clients may exchange this PIN for the token (POST /api/auth)
  --no-auth                no authentication at all (only on a trusted machine)
                           With neither --token nor --pin nor --no-auth a random token is made
                           and the URL to open is printed with it in the fragment (#token=...).
  --allow-origin ORIGIN    another origin allowed to open the WebSocket and call the API with
                           CORS (repeatable), e.g. https://example.com
  --trusted-proxy ADDR     a reverse proxy's IP address (repeatable): requests from it are
                           counted against the client address its X-Forwarded-For names
                           (send budget, PIN lockouts), and it is not held to
                           --max-conn-per-address (only to the total)
  --allowed-host NAME      another host name the gateway answers to (repeatable); without
                           it only IP addresses, localhost and --host are served (a page
                           whose name is rebound to this address gets 421)
  --embed-origin ORIGIN    a site allowed to embed the client in an iframe (repeatable); sent
                           as CSP frame-ancestors and returned by GET /api/config
  --heartbeat-ms MS        heartbeat interval told to clients (default 15000); a WebSocket
                           silent for 2.5 intervals is closed
  --demo-delay-ms MS       pace of the demo agent's word-by-word streaming (default 40)
  --rate-limit N           client messages per second per connection (default 50)
  --rate-burst N           burst of the rate limit (default 200)
  --http-send-rate N       POST /api/send per second per client address (default 4x
                           --rate-limit); over it: 429 {code:"rate_limited"}
  --http-send-burst N      burst of that limit (default 4x --rate-burst)
  --max-conn-per-address N connections per client address (default: half of what the
                           open-file limit allows once a reserve is kept; the soft limit
                           is raised to the hard one at start)
  --auth-timeout-ms MS     a WebSocket that has not authenticated by then is closed with
                           4008 (default 10000)
  --max-queue-bytes N      send queue bound per connection; a slower client is disconnected
                           and resumes later (default 4194304)
  --max-queue-frames N     the same bound in frames (default 10000)
  --idle-timeout-ms MS     idle HTTP keep-alive connections are closed (default 120000)
  --pin-attempts N         wrong PINs per address before a lockout (default 5)
  --pin-lockout-ms MS      length of the first lockout, doubled for each further one of
                           the same address (IPv6: the same /64), at most a day (default 60000)
  --pin-global-attempts N  wrong PINs or tokens from all addresses together before every PIN
                           login is locked out for the same backoff (default 100)
  --disable-websocket      refuse WebSocket upgrades (HTTP-only operation)
  --quiet                  no log line per connection (errors are still logged)
  --help                   this text
)" + agentHelpText();
}

double effectiveHttpSendRate(const Config& config) {
  return config.httpSendRatePerSec.value_or(config.rateLimitPerSec * kHttpSendTabsPerAddress);
}

double effectiveHttpSendBurst(const Config& config) {
  return config.httpSendBurst.value_or(config.rateBurst * kHttpSendTabsPerAddress);
}

std::string defaultDbPath() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/chat-gateway/chat.db";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/chat-gateway/chat.db";
  return "chat-gateway-data/chat.db";
}

ParseOutcome parseArgs(const std::vector<std::string>& args) {
  ParseOutcome out;
  Config& c = out.config;
  auto fail = [&out](std::string message) {
    out.kind = ParseOutcome::Kind::Error;
    out.error = std::move(message);
    return out;
  };

  using Setter = std::function<bool(const std::string&)>;
  auto intFlag = [](auto* field, int64_t min, int64_t max) -> Setter {
    return [field, min, max](const std::string& v) {
      int64_t n = 0;
      if (!parseInt(v, min, max, &n)) return false;
      *field = static_cast<std::remove_pointer_t<decltype(field)>>(n);
      return true;
    };
  };
  auto doubleFlag = [](double* field, double min, double max) -> Setter {
    return [field, min, max](const std::string& v) { return parseDouble(v, min, max, field); };
  };
  auto optionalDouble = [](std::optional<double>* field, double min, double max) -> Setter {
    return [field, min, max](const std::string& v) {
      double d = 0;
      if (!parseDouble(v, min, max, &d)) return false;
      *field = d;
      return true;
    };
  };
  auto nonEmpty = [](std::string* field) -> Setter {
    return [field](const std::string& v) {
      if (v.empty()) return false;
      *field = v;
      return true;
    };
  };
  auto optionalString = [](std::optional<std::string>* field) -> Setter {
    return [field](const std::string& v) {
      if (v.empty()) return false;
      *field = v;
      return true;
    };
  };
  auto originList = [](std::vector<std::string>* field) -> Setter {
    return [field](const std::string& v) {
      if (!looksLikeOrigin(v)) return false;
      field->push_back(v);
      return true;
    };
  };

  std::map<std::string, Setter> valued = {
      {"--host", nonEmpty(&c.host)},
      {"--port", intFlag(&c.port, 0, 65535)},
      {"--static", nonEmpty(&c.staticDir)},
      {"--db", nonEmpty(&c.dbPath)},
      {"--redis", nonEmpty(&c.redisUrl)},  // parsed (with REDIS_PASSWORD) by main
      {"--node-id", nonEmpty(&c.nodeId)},
      {"--lease-ms", intFlag(&c.leaseMs, 100, 600000)},
      {"--token", optionalString(&c.token)},
      {"--pin", optionalString(&c.pin)},
      {"--allow-origin", originList(&c.allowOrigins)},
      {"--embed-origin", originList(&c.embedOrigins)},
      {"--trusted-proxy", [&c](const std::string& v) {
         auto ip = canonicalIp(v);
         if (!ip) return false;
         c.trustedProxies.push_back(*ip);
         return true;
       }},
      {"--allowed-host", [&c](const std::string& v) {
         if (v.empty() || v.find_first_of("/: ") != std::string::npos) return false;
         c.allowedHosts.push_back(v);
         return true;
       }},
      {"--heartbeat-ms", intFlag(&c.heartbeatMs, 100, 3600000)},
      {"--demo-delay-ms", intFlag(&c.demoDelayMs, 0, 60000)},
      {"--rate-limit", doubleFlag(&c.rateLimitPerSec, 0.001, 1e9)},
      {"--rate-burst", doubleFlag(&c.rateBurst, 1, 1e9)},
      {"--http-send-rate", optionalDouble(&c.httpSendRatePerSec, 0.001, 1e9)},
      {"--http-send-burst", optionalDouble(&c.httpSendBurst, 1, 1e9)},
      {"--max-conn-per-address", intFlag(&c.maxConnectionsPerAddress, 1, 10000000)},
      {"--max-queue-bytes", intFlag(&c.maxQueueBytes, 64 * 1024, int64_t(1) << 40)},
      {"--max-queue-frames", intFlag(&c.maxQueueFrames, 16, int64_t(1) << 40)},
      {"--idle-timeout-ms", intFlag(&c.idleTimeoutMs, 1000, 86400000)},
      {"--auth-timeout-ms", intFlag(&c.authTimeoutMs, 100, 3600000)},
      {"--pin-attempts", intFlag(&c.pinMaxAttempts, 1, 1000000)},
      {"--pin-lockout-ms", intFlag(&c.pinLockoutMs, 0, 86400000)},
      {"--pin-global-attempts", intFlag(&c.pinGlobalAttempts, 1, 100000000)},
  };
  std::map<std::string, bool*> switches = {
      {"--no-auth", &c.noAuth},
      {"--disable-websocket", &c.disableWebSocket},
      {"--quiet", &c.quiet},
  };
  for (auto& [name, setter] : agentValuedFlags(&c.agent)) valued.emplace(name, setter);
  for (auto& [name, field] : agentSwitches(&c.agent)) switches.emplace(name, field);

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos && name.rfind("--", 0) == 0) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--help" || name == "-h") {
      out.kind = ParseOutcome::Kind::Help;
      return out;
    }
    if (auto s = switches.find(name); s != switches.end()) {
      if (value) return fail(name + " takes no value");
      *s->second = true;
      continue;
    }
    auto v = valued.find(name);
    if (v == valued.end()) return fail("unknown flag " + name + " (see --help)");
    if (!value) {
      if (i + 1 >= args.size()) return fail(name + " needs a value");
      value = args[++i];
    }
    if (!v->second(*value)) return fail("bad value for " + name + ": '" + *value + "'");
  }

  if (c.noAuth && (c.token || c.pin)) return fail("--no-auth cannot be combined with --token or --pin");
  if (std::string why = checkAgentConfig(c.agent); !why.empty()) return fail(why);
  return out;
}

}  // namespace chat::gateway
