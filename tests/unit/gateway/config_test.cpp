// Flag parsing of chat-gateway.
#include <gtest/gtest.h>

#include "gateway/config.h"

using chat::gateway::parseArgs;
using chat::gateway::ParseOutcome;

TEST(Config, DefaultsMatchTheDocumentation) {
  auto out = parseArgs({});
  ASSERT_EQ(out.kind, ParseOutcome::Kind::Run);
  EXPECT_EQ(out.config.host, "127.0.0.1");
  EXPECT_EQ(out.config.port, 8080);
  EXPECT_EQ(out.config.heartbeatMs, 15000);
  EXPECT_EQ(out.config.demoDelayMs, 40);
  EXPECT_EQ(out.config.maxConnectionsPerAddress, 0) << "derived from the open-file limit";
  EXPECT_FALSE(out.config.noAuth);
  EXPECT_FALSE(out.config.token.has_value());
}

TEST(Config, ParsesBothFlagFormsAndRepeatableOrigins) {
  auto out = parseArgs({"--port", "0", "--host=0.0.0.0", "--static", "/srv/www", "--db=:memory:",
                        "--token", "T", "--allow-origin", "https://a.example",
                        "--allow-origin=http://b.example:8000", "--embed-origin",
                        "https://host.example", "--heartbeat-ms", "500", "--demo-delay-ms=0",
                        "--quiet", "--disable-websocket", "--rate-limit", "2.5"});
  ASSERT_EQ(out.kind, ParseOutcome::Kind::Run) << out.error;
  const auto& c = out.config;
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.staticDir, "/srv/www");
  EXPECT_EQ(c.dbPath, ":memory:");
  EXPECT_EQ(c.token.value_or(""), "T");
  EXPECT_EQ(c.allowOrigins,
            (std::vector<std::string>{"https://a.example", "http://b.example:8000"}));
  EXPECT_EQ(c.embedOrigins, std::vector<std::string>{"https://host.example"});
  EXPECT_EQ(c.heartbeatMs, 500);
  EXPECT_EQ(c.demoDelayMs, 0);
  EXPECT_TRUE(c.quiet);
  EXPECT_TRUE(c.disableWebSocket);
  EXPECT_DOUBLE_EQ(c.rateLimitPerSec, 2.5);
}

TEST(Config, TrustedProxiesAreKeptAsCanonicalAddresses) {
  auto out = parseArgs({"--trusted-proxy", "10.0.0.5", "--trusted-proxy=::ffff:192.0.2.1",
                        "--trusted-proxy", "2001:DB8:0:0:0:0:0:1"});
  ASSERT_EQ(out.kind, ParseOutcome::Kind::Run) << out.error;
  EXPECT_EQ(out.config.trustedProxies,
            (std::vector<std::string>{"10.0.0.5", "192.0.2.1", "2001:db8::1"}));
}

TEST(Config, HelpWins) {
  EXPECT_EQ(parseArgs({"--port", "1", "--help"}).kind, ParseOutcome::Kind::Help);
  EXPECT_FALSE(chat::gateway::helpText().empty());
}

TEST(Config, RejectsBadInputWithAMessage) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--port", "70000"},
           {"--port", "12ab"},
           {"--port"},
           {"--bogus"},
           {"--heartbeat-ms", "-5"},
           {"--allow-origin", "example.com"},
           {"--allow-origin", "https://a.example/path"},
           {"--no-auth", "--token", "x"},
           {"--no-auth=yes"},
           {"--token", ""},
           {"--trusted-proxy", "proxy.example"},
           {"--trusted-proxy", "10.0.0.1/8"},
       }) {
    auto out = parseArgs(args);
    EXPECT_EQ(out.kind, ParseOutcome::Kind::Error) << args[0];
    EXPECT_FALSE(out.error.empty());
  }
}

TEST(Config, HttpSendBudgetIsFourConnectionsWorthUnlessGiven) {
  auto defaults = parseArgs({});
  EXPECT_EQ(chat::gateway::effectiveHttpSendRate(defaults.config), 200);
  EXPECT_EQ(chat::gateway::effectiveHttpSendBurst(defaults.config), 800);
  auto scaled = parseArgs({"--rate-limit", "10", "--rate-burst", "20"});
  EXPECT_EQ(chat::gateway::effectiveHttpSendRate(scaled.config), 40);
  EXPECT_EQ(chat::gateway::effectiveHttpSendBurst(scaled.config), 80);
  auto given = parseArgs({"--http-send-rate=5", "--http-send-burst", "7"});
  ASSERT_EQ(given.kind, ParseOutcome::Kind::Run);
  EXPECT_EQ(chat::gateway::effectiveHttpSendRate(given.config), 5);
  EXPECT_EQ(chat::gateway::effectiveHttpSendBurst(given.config), 7);
  EXPECT_EQ(parseArgs({"--http-send-burst", "0"}).kind, ParseOutcome::Kind::Error);
  EXPECT_EQ(parseArgs({"--http-send-rate", "fast"}).kind, ParseOutcome::Kind::Error);
}
