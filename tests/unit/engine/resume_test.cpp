// Resume: after a drop mid-stream nothing is lost or doubled; a gap asks for a resume from
// the last applied seq.
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

// The concatenated deltas the sink applied for a session.
std::string appliedText(RecordingSink& sink, const std::string& session) {
  std::string text;
  for (const std::string& f : sink.applied[session]) {
    nlohmann::json j = nlohmann::json::parse(f);
    if (j["type"] == "chat.stream.delta") text += j["delta"].get<std::string>();
  }
  return text;
}

TEST(EngineResume, DropMidStreamLosesAndDoublesNothing) {
  Harness h;
  h.cfg.apiBase = "";  // the socket alone has to recover the stream
  h.gateway.deltasPerTurn = 10;
  h.startLive();
  h.engine->send(chatSend("c-1", "tell me"));
  h.settle();
  for (int i = 0; i < 5; ++i) h.gateway.stepAgent();  // start + 4 deltas
  h.gateway.pump();
  h.gateway.stepAgent();
  h.gateway.stepAgent();  // two more deltas queued...
  h.gateway.dropSocket();  // ...and lost with the socket
  for (int i = 0; i < 3; ++i) h.gateway.stepAgent();  // emitted while we are away
  h.run(1500);
  ASSERT_EQ(h.phase(), Phase::Live);
  h.gateway.runAgentToEnd();
  h.settle();
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(appliedText(h.sink, "s-test"), h.gateway.replyTextFor("c-1"));
  EXPECT_EQ(h.gateway.resumes.back(), "s-test@7");
}

TEST(EngineResume, GapTriggersResumeFromLastAppliedSeq) {
  Harness h;
  h.startLive();
  h.engine->send(chatSend("c-1", "x"));
  h.settle();  // seq 1 (created) and 2 (echo) applied
  ASSERT_EQ(h.sink.lastSeq["s-test"], 2);
  h.gateway.autoDeliver = false;
  h.gateway.stepAgent();  // seq 3 queued
  h.gateway.stepAgent();  // seq 4
  h.gateway.stepAgent();  // seq 5
  // seq 3 is lost in transit: 4 and 5 arrive, both beyond lastSeq+1.
  h.gateway.deliver(0);
  const std::size_t resumesBefore = h.gateway.resumes.size();
  {
    // Deliver 4 and 5 by hand, skipping 3.
    std::vector<std::string> log = h.gateway.log["s-test"];
    h.ws.deliver(log[3]);
    h.ws.deliver(log[4]);
  }
  EXPECT_EQ(h.sink.gaps, 2);
  h.gateway.autoDeliver = true;
  h.gateway.pump();  // reads the resume the gap caused (one, not two) and replays
  h.settle();
  ASSERT_EQ(h.gateway.resumes.size(), resumesBefore + 1);
  EXPECT_EQ(h.gateway.resumes.back(), "s-test@2");
  h.gateway.runAgentToEnd();
  h.settle();
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineResume, DuplicatedFramesAreAppliedOnce) {
  Harness h;
  h.startLive();
  h.gateway.autoDeliver = false;
  h.engine->send(chatSend("c-1", "x"));
  h.gateway.pump();
  h.gateway.runAgentToEnd();
  h.gateway.deliver(100, /*duplicate=*/true);
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(h.sink.duplicates, static_cast<int>(h.gateway.log["s-test"].size()));
}

TEST(EngineResume, SwitchSessionWhileLiveResumesTheNewSession) {
  Harness h;
  h.startLive();
  h.sink.lastSeq["s-two"] = 3;
  h.engine->switchSession("s-two");
  h.settle();
  EXPECT_EQ(h.gateway.resumes.back(), "s-two@3");
  EXPECT_EQ(h.engine->sessionId(), "s-two");
  h.engine->switchSession("bad id!");  // invalid: ignored
  EXPECT_EQ(h.engine->sessionId(), "s-two");
}

TEST(EngineResume, GatewayRestartIsRecoveredFromTheLog) {
  Harness h;
  h.startLive();
  h.engine->send(chatSend("c-1", "before restart"));
  h.settle();
  h.gateway.runAgentToEnd();
  h.gateway.dropSocket(1001);  // shutdown; the log survives
  h.gateway.down = true;
  h.run(20000, 1000);
  h.gateway.down = false;
  h.engine->send(chatSend("c-2", "after restart"));
  h.run(40000, 1000);
  h.gateway.runAgentToEnd();
  h.run(2000);
  EXPECT_EQ(h.phase(), Phase::Live);
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(h.gateway.userMessages, (std::vector<std::string>{"c-1", "c-2"}));
}

}  // namespace
}  // namespace chat::testing
