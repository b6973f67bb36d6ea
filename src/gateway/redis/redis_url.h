// `--redis redis://[:password@]host:port[/db]`: where the gateway's shared state lives when it
// runs as one of several nodes. Pure parsing (no network), so it is unit-tested on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace chat::gateway::redis {

struct RedisEndpoint {
  std::string host;
  uint16_t port = 6379;
  std::string password;  // "" = no AUTH
  std::string username;  // Redis 6 ACL user ("" = the default user; AUTH with the password only)
  int db = 0;            // SELECT when not 0

  // host:port/db for logs and errors: never the password.
  std::string describe() const;
};

struct RedisUrlResult {
  std::optional<RedisEndpoint> endpoint;
  std::string error;  // why the URL was refused, when endpoint is empty
};

// Parses a redis:// URL. The host may be a name, an IPv4 address or a bracketed IPv6 address;
// the port defaults to 6379 and the db to 0; user and password may be percent-encoded.
// `envPassword` (REDIS_PASSWORD) is used when the URL carries no password.
RedisUrlResult parseRedisUrl(const std::string& url, const std::string& envPassword = "");

}  // namespace chat::gateway::redis
