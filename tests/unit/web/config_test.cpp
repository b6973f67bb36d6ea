#include <gtest/gtest.h>

#include "page/config.h"
#include "page/url.h"

using namespace chat::web;

TEST(Url, PercentDecodeQueryAndFragment) {
  EXPECT_EQ(percentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(percentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percentDecode("100%", true), "100%");
  EXPECT_EQ(percentDecode("%zz%4", true), "%zz%4");
  EXPECT_EQ(percentDecode("%E4%BD%A0", true), "\xE4\xBD\xA0");
}

TEST(Url, ParseParamsSkipsEmptyPiecesAndKeepsLastValue) {
  auto p = parseParams("?a=1&&b&=x&a=2", true);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].first, "b");
  EXPECT_EQ(p[1].second, "");
  EXPECT_EQ(findParam(p, "a"), std::optional<std::string>("2"));
  EXPECT_FALSE(findParam(p, "zz").has_value());
}

TEST(Url, NormalizeOrigin) {
  EXPECT_EQ(normalizeOrigin("HTTPS://Example.COM:8443/"), std::optional<std::string>("https://example.com:8443"));
  EXPECT_EQ(normalizeOrigin("http://127.0.0.1:8080"), std::optional<std::string>("http://127.0.0.1:8080"));
  EXPECT_FALSE(normalizeOrigin("https://example.com/path"));
  EXPECT_FALSE(normalizeOrigin("javascript:alert(1)"));
  EXPECT_FALSE(normalizeOrigin("ftp://example.com"));
  EXPECT_FALSE(normalizeOrigin("https://user@example.com"));
  EXPECT_FALSE(normalizeOrigin("null"));
  EXPECT_FALSE(normalizeOrigin("https://"));
}

TEST(AppConfig, DefaultsComeFromThePageOrigin) {
  AppConfig c = parseAppConfig({"http://127.0.0.1:8080", "", ""});
  EXPECT_EQ(c.wsUrl, "ws://127.0.0.1:8080/gateway");
  EXPECT_EQ(c.apiBase, "http://127.0.0.1:8080/api");
  EXPECT_EQ(c.theme, ThemeChoice::Auto);
  EXPECT_TRUE(c.sessionId.empty());
  EXPECT_TRUE(c.parentOrigin.empty());
  EXPECT_FALSE(c.secretInFragment);
  EXPECT_TRUE(c.warnings.empty());

  AppConfig s = parseAppConfig({"https://chat.example.com", "", ""});
  EXPECT_EQ(s.wsUrl, "wss://chat.example.com/gateway");
  EXPECT_EQ(s.apiBase, "https://chat.example.com/api");
}

TEST(AppConfig, ReadsEveryParameter) {
  AppConfig c = parseAppConfig({"http://localhost:3000",
                                "?gateway=ws%3A%2F%2F10.0.0.2%3A9000%2Fgateway&api=http://10.0.0.2:9000/api/"
                                "&session=s-0123456789abcdef&theme=Dark&parentOrigin=https%3A%2F%2FHost.example",
                                "#token=abc+def"});
  EXPECT_EQ(c.wsUrl, "ws://10.0.0.2:9000/gateway");
  EXPECT_EQ(c.apiBase, "http://10.0.0.2:9000/api");
  EXPECT_EQ(c.sessionId, "s-0123456789abcdef");
  EXPECT_EQ(c.theme, ThemeChoice::Dark);
  EXPECT_EQ(c.parentOrigin, "https://host.example");
  EXPECT_EQ(c.token, "abc+def");  // '+' is literal in the fragment
  EXPECT_TRUE(c.secretInFragment);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(AppConfig, RelativeAndHttpGatewayUrls) {
  AppConfig c = parseAppConfig({"https://h.example", "?gateway=/ws&api=/v1/api", ""});
  EXPECT_EQ(c.wsUrl, "wss://h.example/ws");
  EXPECT_EQ(c.apiBase, "https://h.example/v1/api");
  AppConfig d = parseAppConfig({"https://h.example", "?gateway=https://g.example/gateway", ""});
  EXPECT_EQ(d.wsUrl, "wss://g.example/gateway");
}

TEST(AppConfig, PinInFragment) {
  AppConfig c = parseAppConfig({"http://h", "", "#pin=1234"});
  EXPECT_EQ(c.pin, "1234");
  EXPECT_TRUE(c.token.empty());
  EXPECT_TRUE(c.secretInFragment);
}

TEST(AppConfig, BadValuesAreIgnoredWithAWarning) {
  AppConfig c = parseAppConfig({"http://h:1", "?gateway=javascript:x&api=//evil&session=bad%20id&theme=neon"
                                              "&parentOrigin=https://h/x&token=leak",
                                "#token="});
  EXPECT_EQ(c.wsUrl, "ws://h:1/gateway");
  EXPECT_EQ(c.apiBase, "http://h:1/api");
  EXPECT_TRUE(c.sessionId.empty());
  EXPECT_EQ(c.theme, ThemeChoice::Auto);
  EXPECT_TRUE(c.parentOrigin.empty());
  EXPECT_TRUE(c.token.empty());  // never from the query, and an empty fragment value is nothing
  EXPECT_FALSE(c.secretInFragment);
  EXPECT_EQ(c.warnings.size(), 6u);
}

TEST(AppConfig, FilePageNeedsAnExplicitGateway) {
  AppConfig none = parseAppConfig({"null", "", ""});
  EXPECT_TRUE(none.wsUrl.empty());
  AppConfig c = parseAppConfig({"null", "?gateway=wss://g.example:8443/gateway", ""});
  EXPECT_EQ(c.wsUrl, "wss://g.example:8443/gateway");
  EXPECT_EQ(c.apiBase, "https://g.example:8443/api");
}

TEST(AppConfig, SessionIdRules) {
  EXPECT_TRUE(isValidSessionId("s-0123456789abcdef"));
  EXPECT_TRUE(isValidSessionId("A.b_c:d-e"));
  EXPECT_FALSE(isValidSessionId(""));
  EXPECT_FALSE(isValidSessionId(std::string(65, 'a')));
  EXPECT_FALSE(isValidSessionId("a/b"));
}
