// Review findings 3 and 6: the header checks that keep other sites out (DNS rebinding through
// Host, cross-site state changes through Origin, non-JSON bodies that need no preflight).
#include <gtest/gtest.h>

#include "gateway/config.h"
#include "gateway/request_guard.h"

using namespace chat::gateway;

TEST(RequestGuard, HostNames) {
  EXPECT_EQ(hostNameOf("Example.COM:8080"), "example.com");
  EXPECT_EQ(hostNameOf("[::1]:80"), "::1");
  EXPECT_EQ(hostNameOf("localhost."), "localhost");
  EXPECT_EQ(hostNameOf("a.b:x"), "");
  EXPECT_EQ(hostNameOf("[::1"), "");
  EXPECT_EQ(hostNameOf("evil/x"), "");
}

TEST(RequestGuard, OnlyKnownHostsAreServed) {
  Config c;
  EXPECT_TRUE(hostAllowed("127.0.0.1:8080", c));
  EXPECT_TRUE(hostAllowed("localhost:8080", c));
  EXPECT_TRUE(hostAllowed("app.localhost", c));
  EXPECT_TRUE(hostAllowed("[::1]:8080", c));
  EXPECT_TRUE(hostAllowed("192.168.1.20:8080", c)) << "an IP literal cannot be rebound";
  EXPECT_TRUE(hostAllowed("", c)) << "HTTP/1.0 tools send no Host";
  EXPECT_FALSE(hostAllowed("attacker.example:8080", c)) << "DNS rebinding";
  EXPECT_FALSE(hostAllowed("localhost.attacker.example", c));
  EXPECT_FALSE(hostAllowed("bad host", c));
  c.host = "chat.lan";
  EXPECT_TRUE(hostAllowed("chat.lan:8080", c));
  c.allowedHosts = {"Chat.Example.org"};
  EXPECT_TRUE(hostAllowed("chat.example.org", c));
  EXPECT_FALSE(hostAllowed("other.example.org", c));
}

TEST(RequestGuard, CrossSiteStateChangesAreRefused) {
  Config c;
  c.allowOrigins = {"https://app.example.com"};
  EXPECT_TRUE(stateChangeAllowed("", "", "127.0.0.1:8080", c)) << "not a browser";
  EXPECT_TRUE(stateChangeAllowed("http://127.0.0.1:8080", "same-origin", "127.0.0.1:8080", c));
  EXPECT_TRUE(stateChangeAllowed("https://app.example.com", "cross-site", "127.0.0.1:8080", c));
  EXPECT_FALSE(stateChangeAllowed("https://evil.example", "cross-site", "127.0.0.1:8080", c));
  EXPECT_FALSE(stateChangeAllowed("null", "", "127.0.0.1:8080", c));
  EXPECT_FALSE(stateChangeAllowed("", "cross-site", "127.0.0.1:8080", c));
  EXPECT_FALSE(stateChangeAllowed("http://127.0.0.1:9999", "", "127.0.0.1:8080", c));
}

TEST(RequestGuard, OnlyJsonBodies) {
  EXPECT_TRUE(isJsonContentType("application/json"));
  EXPECT_TRUE(isJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(isJsonContentType("text/plain"));
  EXPECT_FALSE(isJsonContentType("application/x-www-form-urlencoded"));
  EXPECT_FALSE(isJsonContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(isJsonContentType(""));
  EXPECT_FALSE(isJsonContentType("application/jsonp"));
}
