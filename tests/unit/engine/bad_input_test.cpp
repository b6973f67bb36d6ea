// Bad input never crashes the engine or stalls it: garbage frames, garbage HTTP answers,
// invalid UTF-8, corrupt persisted state.
#include "engine_harness.h"

namespace chat::testing {
namespace {

TEST(EngineBadInput, GarbageFramesAreIgnoredAndTheSocketStaysLive) {
  Harness h;
  h.startLive();
  for (const char* junk : {"", "not json", "{", "[]", "42", R"({"type":"nope"})",
                           R"({"type":"chat.stream.delta","seq":"x"})", "\xff\xfe"}) {
    h.ws.deliver(junk);
  }
  h.ws.deliver(std::string(300 * 1024, 'x'));
  EXPECT_EQ(h.phase(), Phase::Live);
  h.engine->send(chatSend("c-1", "still works"));
  h.settle();
  EXPECT_EQ(h.gateway.applyCount["c-1"], 1);
}

TEST(EngineBadInput, GarbagePollAnswersBackOffInsteadOfLooping) {
  Harness h;
  h.gateway.autoDeliver = false;
  h.make().start();
  h.ws.accept();
  h.ws.serverClose(1006);
  h.engine->tick();
  ASSERT_NE(h.http.find("/events"), nullptr);
  h.http.respondTo("/events", 200, "<html>proxy error</html>");
  h.engine->tick();
  EXPECT_EQ(h.http.find("/events"), nullptr);  // waits its backoff
  h.clock.advance(1000);
  h.engine->tick();
  EXPECT_NE(h.http.find("/events"), nullptr);
}

TEST(EngineBadInput, InvalidUtf8NeverThrows) {
  Harness h;
  h.gateway.down = true;
  h.make().start();
  EXPECT_NO_THROW(h.engine->send(chatSend("c-1", "bad \xc3\x28 bytes")));
  EXPECT_NO_THROW(h.engine->setCredentials("", "\xff\xff"));
  EXPECT_NO_THROW(h.run(5000));
}

TEST(EngineBadInput, CorruptPersistedStateStartsClean) {
  Harness h;
  h.storage.data["chat.outbox"] = "{{{{";
  h.storage.data["chat.session"] = "not a valid id!";
  h.cfg.sessionId = "";
  h.make();
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  EXPECT_EQ(h.engine->sessionId().rfind("s-", 0), 0u);
  EXPECT_EQ(h.engine->sessionId().size(), 18u);
}

}  // namespace
}  // namespace chat::testing
