#include <gtest/gtest.h>

#include "page/embed_policy.h"

using namespace chat::web;

TEST(EmbedOrigins, ParsesAndNormalizes) {
  auto o = parseEmbedOrigins(R"({"protocol":1,"embedOrigins":["HTTP://Localhost:8080/","*","bad",3,"https://x.example/path"]})");
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0], "http://localhost:8080");
  EXPECT_EQ(o[1], "*");
  EXPECT_TRUE(parseEmbedOrigins("not json").empty());
  EXPECT_TRUE(parseEmbedOrigins(R"({"embedOrigins":"http://a"})").empty());
  EXPECT_TRUE(parseEmbedOrigins("[]").empty());
}

TEST(EmbedPolicy, DisabledUntilTheAllowlistContainsTheParent) {
  EmbedPolicy p("http://localhost:8080");
  EXPECT_FALSE(p.enabled());
  EXPECT_FALSE(p.accepts("http://localhost:8080", true));  // allowlist not loaded yet
  p.setAllowlist({"https://other.example"});
  EXPECT_TRUE(p.allowlistLoaded());
  EXPECT_FALSE(p.enabled());
  p.setAllowlist({"https://other.example", "http://localhost:8080"});
  EXPECT_TRUE(p.enabled());
}

TEST(EmbedPolicy, AcceptsOnlyTheParentOriginFromTheParentWindow) {
  EmbedPolicy p("http://localhost:8080");
  p.setAllowlist({"http://localhost:8080"});
  EXPECT_TRUE(p.accepts("http://localhost:8080", true));
  EXPECT_FALSE(p.accepts("http://localhost:8080", false));  // e.g. a sibling frame
  EXPECT_FALSE(p.accepts("http://evil.example", true));
  EXPECT_FALSE(p.accepts("http://LOCALHOST:8080", true));   // browser origins are canonical
  EXPECT_FALSE(p.accepts("null", true));
}

TEST(EmbedPolicy, WildcardAllowlistStillRequiresTheConfiguredParent) {
  EmbedPolicy p("https://host.example");
  p.setAllowlist({"*"});
  EXPECT_TRUE(p.enabled());
  EXPECT_TRUE(p.accepts("https://host.example", true));
  EXPECT_FALSE(p.accepts("https://evil.example", true));
}

TEST(EmbedPolicy, NotEmbeddedMeansNeverEnabled) {
  EmbedPolicy p("");
  p.setAllowlist({"*"});
  EXPECT_FALSE(p.enabled());
  EXPECT_FALSE(p.accepts("", true));
}

TEST(HostCommand, ParsesEachType) {
  std::string err;
  auto send = parseHostCommand(R"({"source":"chat-host","v":1,"type":"send","text":"hi"})", &err);
  ASSERT_TRUE(send);
  EXPECT_EQ(send->kind, HostCommand::Kind::Send);
  EXPECT_EQ(send->text, "hi");

  auto approve = parseHostCommand(
      R"({"source":"chat-host","v":1,"type":"approve","toolCallId":"t1","approved":true,"sessionApprove":true})", &err);
  ASSERT_TRUE(approve);
  EXPECT_EQ(approve->kind, HostCommand::Kind::Approve);
  EXPECT_EQ(approve->toolCallId, "t1");
  EXPECT_TRUE(approve->approved);
  EXPECT_TRUE(approve->sessionApprove);

  auto theme = parseHostCommand(R"({"source":"chat-host","v":1,"type":"theme","theme":"LIGHT"})", &err);
  ASSERT_TRUE(theme);
  EXPECT_EQ(theme->theme, "light");

  auto session = parseHostCommand(R"({"source":"chat-host","v":1,"type":"session","sessionId":"s-1"})", &err);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->sessionId, "s-1");
  auto fresh = parseHostCommand(R"({"source":"chat-host","v":1,"type":"session"})", &err);
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->sessionId.empty());
}

TEST(HostCommand, IgnoresForeignTrafficAndReportsMalformedCommands) {
  std::string err;
  EXPECT_FALSE(parseHostCommand(R"({"source":"react-devtools","x":1})", &err));
  EXPECT_TRUE(err.empty());
  EXPECT_FALSE(parseHostCommand("garbage{", &err));
  EXPECT_TRUE(err.empty());
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":2,"type":"send","text":"x"})", &err));
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"send","text":""})", &err));
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"send","text":5})", &err));
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"approve"})", &err));
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"theme","theme":"neon"})", &err));
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"session","sessionId":"a b"})", &err));
  EXPECT_FALSE(parseHostCommand(R"({"source":"chat-host","v":1,"type":"rm -rf"})", &err));
  EXPECT_EQ(err, "type: unknown");
}

TEST(ClientEnvelope, WrapsFields) {
  auto j = nlohmann::json::parse(clientEnvelope("message", {{"id", "c-1"}, {"content", "x"}}));
  EXPECT_EQ(j["source"], "chat-client");
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["type"], "message");
  EXPECT_EQ(j["id"], "c-1");
  auto k = nlohmann::json::parse(clientEnvelope("ready", nlohmann::json::array()));
  EXPECT_EQ(k["type"], "ready");
}
