#include "gateway/redis/redis_url.h"

#include <cctype>

namespace chat::gateway::redis {
namespace {

RedisUrlResult refuse(std::string why) { return RedisUrlResult{std::nullopt, std::move(why)}; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoding of the user-info part (a password may hold '@' or ':' only when encoded).
std::optional<std::string> percentDecode(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Decimal digits only, at most `max`.
std::optional<long> smallNumber(const std::string& s, long max) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

bool validHostName(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string RedisEndpoint::describe() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port) + "/" + std::to_string(db);
}

RedisUrlResult parseRedisUrl(const std::string& url, const std::string& envPassword) {
  const std::string scheme = "redis://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    return refuse("expected redis://[:password@]host:port[/db]");
  std::string rest = url.substr(scheme.size());
  if (rest.find_first_of("?#") != std::string::npos)
    return refuse("query and fragment are not supported");

  RedisEndpoint ep;
  // The path: "/db" or "/" or nothing.
  std::string path;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash + 1);
    rest.resize(slash);
  }
  if (!path.empty()) {
    auto db = smallNumber(path, 1000000);
    if (!db) return refuse("the database must be a number (redis://host:port/2)");
    ep.db = static_cast<int>(*db);
  }
  // User info: "[user]:password@" (the last '@': an unencoded '@' belongs to the password).
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string userInfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userInfo.find(':');
    if (colon == std::string::npos) return refuse("write the password as :password@ (or user:password@)");
    std::string user = colon == std::string::npos ? "" : userInfo.substr(0, colon);
    std::string pass = colon == std::string::npos ? userInfo : userInfo.substr(colon + 1);
    auto u = percentDecode(user);
    auto p = percentDecode(pass);
    if (!u || !p) return refuse("bad percent-encoding in the user or password");
    ep.username = *u;
    ep.password = *p;
  }
  // Host and port.
  std::string portText;
  if (!rest.empty() && rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) return refuse("unclosed [ in the IPv6 host");
    ep.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return refuse("expected :port after the IPv6 host");
      portText = after.substr(1);
      if (portText.empty()) return refuse("empty port");
    }
    if (ep.host.empty() || ep.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      return refuse("bad IPv6 host");
  } else {
    auto colon = rest.find(':');
    ep.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      portText = rest.substr(colon + 1);
      if (portText.empty()) return refuse("empty port");
    }
    if (ep.host.empty()) return refuse("missing host");
    if (!validHostName(ep.host)) return refuse("bad host name");
  }
  if (!portText.empty()) {
    auto port = smallNumber(portText, 65535);
    if (!port || *port == 0) return refuse("the port must be 1..65535");
    ep.port = static_cast<uint16_t>(*port);
  }
  if (ep.password.empty()) ep.password = envPassword;
  if (!ep.username.empty() && ep.password.empty())
    return refuse("a user name needs a password");
  return RedisUrlResult{std::move(ep), ""};
}

}  // namespace chat::gateway::redis
