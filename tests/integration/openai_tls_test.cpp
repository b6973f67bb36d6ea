// An https:// upstream: the fake OpenAI-compatible server behind a real TLS server (tls_front.h)
// whose certificate a CA made for the test signed. With --upstream-ca naming that CA the chat
// works; with another CA the certificate is refused, the turn ends with stopReason "error" and
// the error event says why (shown in the client, kept in the log).
#include <gtest/gtest.h>

#include "fake_upstream.h"
#include "fixture.h"
#include "tls_front.h"

namespace chat::itest {
namespace {

using json = nlohmann::json;

class OpenAiTlsTest : public GatewayTest {
 protected:
  void SetUp() override {
    pki = makeTestPki(dir.path(), "good");
    ASSERT_TRUE(pki.error.empty()) << pki.error;
    front = std::make_unique<TlsFront>(pki, upstream.port());
  }

  bool start(const std::string& caFile) {
    GatewayOptions o;
    o.extraArgs = {"--upstream", "https://127.0.0.1:" + std::to_string(front->port()) + "/v1",
                   "--model", "fake-model", "--upstream-ca", caFile};
    if (!startGateway(o)) return false;
    ws = std::make_unique<RawWs>(loop);
    return ws->open(gateway->wsUrl()) && ws->authenticate("test");
  }

  // The turn's frames up to its chat.stream.end.
  std::vector<json> turn(const std::string& id, const std::string& content) {
    ws->send({{"type", "chat.send"}, {"id", id}, {"sessionId", session}, {"content", content}});
    std::vector<json> frames;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto f = ws->next(1s);
      if (!f || !f->is_object() || f->value("sessionId", "") != session) continue;
      frames.push_back(*f);
      if (f->value("type", "") == "chat.stream.end" && f->value("requestId", "") == id) return frames;
    }
    ADD_FAILURE() << "no chat.stream.end for " << id;
    return frames;
  }
  static std::string joined(const std::vector<json>& frames, const std::string& type,
                            const char* field) {
    std::string s;
    for (const auto& f : frames)
      if (f.value("type", "") == type) s += f.value(field, "");
    return s;
  }

  TempDir dir;
  FakeUpstream upstream;
  TestPki pki;
  std::unique_ptr<TlsFront> front;
  std::unique_ptr<RawWs> ws;
  std::string session = newSessionId();
};

TEST_F(OpenAiTlsTest, HttpsUpstreamVerifiedAgainstTheGivenCa) {
  ASSERT_TRUE(start(pki.caCert));
  auto frames = turn("c-1", "hello over tls");
  EXPECT_EQ(joined(frames, "chat.stream.delta", "delta"),
            "You said: hello over tls. I have seen 1 messages.");
  EXPECT_EQ(frames.back().value("stopReason", ""), "end") << joined(frames, "error", "message");
  EXPECT_EQ(front->failedHandshakes(), 0);
  ASSERT_FALSE(upstream.requests().empty());
  EXPECT_EQ(upstream.requests().back().target, "/v1/chat/completions");
}

TEST_F(OpenAiTlsTest, ACertificateFromAnotherCaIsRefusedVisibly) {
  TestPki other = makeTestPki(dir.path(), "other");
  ASSERT_TRUE(other.error.empty()) << other.error;
  ASSERT_TRUE(start(other.caCert));
  auto frames = turn("c-1", "hello over tls");
  EXPECT_EQ(frames.back().value("stopReason", ""), "error");
  const std::string errors = joined(frames, "error", "message");
  EXPECT_NE(errors.find("TLS handshake with 127.0.0.1"), std::string::npos) << errors;
  EXPECT_NE(errors.find("certificate verify failed"), std::string::npos) << errors;
  EXPECT_TRUE(upstream.requests().empty());  // nothing reached the model
  // Kept in the log: a reload shows the same error.
  std::string logged;
  for (const auto& e : api().events(session))
    if (e.value("type", "") == "error") logged += e.value("message", "");
  EXPECT_EQ(logged, errors);
}

}  // namespace
}  // namespace chat::itest
