// Randomized end-to-end runs against the FakeGateway: random drops, half-open sockets,
// outages, HTTP failures, delayed and duplicated frames, clock jumps, online/offline/visible
// reports, session switches and user sends. Fixed seeds, so every failure replays exactly.
// At the end, after the network heals, every session's applied events must equal the
// gateway's log frame for frame, and every user message must have been applied by the
// gateway exactly once, in send order.
#include <algorithm>
#include <random>
#include <set>

#include "core/client/chat_client.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

constexpr int kSteps = 500;
const char* const kSessions[] = {"s-alpha", "s-beta"};

// Applies one random fault or action; shared by the engine and the client runs.
template <class SendFn, class Engineish>
void randomStep(std::mt19937& rng, Harness& h, FakeGateway& gw, Engineish& target,
                SendFn send, int step) {
  const int roll = static_cast<int>(rng() % 100);
  if (roll < 12) {
    send(step);
  } else if (roll < 30) {
    gw.stepAgent();
  } else if (roll < 34) {
    gw.dropSocket();
  } else if (roll < 37) {
    gw.down = !gw.down;
  } else if (roll < 40) {
    gw.halfOpen = !gw.halfOpen;
  } else if (roll < 44) {
    gw.failHttp = static_cast<int>(rng() % 3) + 1;
  } else if (roll < 50) {
    gw.autoDeliver = !gw.autoDeliver;  // frames pile up (delay), then flow again
  } else if (roll < 55) {
    gw.deliver(rng() % 4, /*duplicate=*/rng() % 2 == 0);
  } else if (roll < 58) {
    h.clock.advance(static_cast<int64_t>(rng() % 90000));  // a sleep / throttled tab
  } else if (roll < 60) {
    target.notifyOnline();
  } else if (roll < 62) {
    target.notifyVisible();
  } else if (roll < 64) {
    target.switchSession(kSessions[rng() % 2]);
  } else if (roll < 66) {
    target.notifyOffline();  // right or wrong: the probe decides
  } else {
    h.clock.advance(static_cast<int64_t>(rng() % 3000));
  }
  target.tick();
  gw.pump();
  target.tick();
}

void heal(FakeGateway& gw) {
  gw.down = false;
  gw.halfOpen = false;
  gw.failHttp = 0;
  gw.autoDeliver = true;
  gw.acceptSockets = true;
}

class RandomizedEngine : public ::testing::TestWithParam<int> {};

TEST_P(RandomizedEngine, TranscriptEqualsGatewayLogAndEveryMessageOnce) {
  const int seed = GetParam();
  Harness h;
  h.random = FakeRandom::seeded(static_cast<uint32_t>(seed));
  h.cfg.sessionId = kSessions[0];
  h.gateway.deltasPerTurn = 2;
  std::mt19937 rng(static_cast<uint32_t>(seed) * 7919u);
  h.make().start();
  std::vector<std::string> sent;
  auto send = [&](int step) {
    const std::string id = "u-" + std::to_string(seed) + "-" + std::to_string(step);
    if (h.engine->send(chatSend(id, "msg " + id, h.engine->sessionId())).queued()) {
      sent.push_back(id);
    }
  };
  for (int step = 0; step < kSteps; ++step) randomStep(rng, h, h.gateway, *h.engine, send, step);

  heal(h.gateway);
  h.run(120000, 1000);
  h.gateway.runAgentToEnd();
  for (const char* session : kSessions) {
    h.engine->switchSession(session);
    h.run(40000, 1000);
  }
  ASSERT_EQ(h.phase(), Phase::Live) << "seed " << seed;
  EXPECT_EQ(h.engine->status().outboxSize, 0u);
  for (const auto& [session, events] : h.gateway.log) {
    EXPECT_EQ(h.sink.applied[session], events) << "seed " << seed << " session " << session;
  }
  EXPECT_EQ(h.gateway.userMessages, sent) << "seed " << seed;
  for (const std::string& id : sent) EXPECT_EQ(h.gateway.applyCount[id], 1) << id;
  EXPECT_FALSE(sent.empty());
  // The storm really exercised the machinery: reconnects, polling, HTTP sends.
  auto requests = [&](const std::string& part) {
    return std::count_if(h.http.log.begin(), h.http.log.end(),
                         [&](const auto& r) { return r.url.find(part) != std::string::npos; });
  };
  EXPECT_GT(h.ws.opens(), 5u);
  EXPECT_GT(requests("/events"), 0);
  EXPECT_GT(requests("/send"), 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedEngine, ::testing::Range(1, 21));

// The same storm through ChatClient: the reduced transcript must match the log.
struct ClientRig {
  FakeClock clock;
  FakeRandom random;
  FakeWebSocket ws;
  FakeHttp http{clock};
  FakeStorage storage;
  FakeGateway gateway{clock, ws, http};
  std::unique_ptr<client::ChatClient> chat;
};

class RandomizedClient : public ::testing::TestWithParam<int> {};

TEST_P(RandomizedClient, ReducedTranscriptMatchesTheGatewayLog) {
  const int seed = GetParam();
  ClientRig rig;
  rig.random = FakeRandom::seeded(static_cast<uint32_t>(seed) + 1000u);
  rig.gateway.deltasPerTurn = 2;
  EngineConfig cfg = defaultConfig();
  cfg.sessionId = kSessions[0];
  rig.chat = std::make_unique<client::ChatClient>(cfg, rig.clock, rig.random, rig.ws, rig.http,
                                                  rig.storage);
  rig.chat->start();
  // A Harness only for its clock-driving helpers' shape; the rig's clock is the one used.
  std::mt19937 rng(static_cast<uint32_t>(seed) * 104729u);
  std::vector<std::string> sent;
  auto send = [&](int step) {
    const std::string id = rig.chat->send("hello " + std::to_string(step));
    if (!id.empty()) sent.push_back(id);
  };
  Harness clockOnly;  // randomStep advances h.clock: point it at a throwaway and mirror it
  for (int step = 0; step < kSteps; ++step) {
    const int64_t before = clockOnly.clock.nowMs();
    randomStep(rng, clockOnly, rig.gateway, *rig.chat, send, step);
    rig.clock.advance(clockOnly.clock.nowMs() - before);
    rig.chat->tick();
    rig.gateway.pump();
  }
  heal(rig.gateway);
  auto runFor = [&](int64_t ms) {
    for (int64_t t = 0; t < ms; t += 1000) {
      rig.clock.advance(1000);
      for (int i = 0; i < 3; ++i) {
        rig.chat->tick();
        rig.gateway.pump();
      }
    }
  };
  runFor(120000);
  rig.gateway.runAgentToEnd();
  for (const char* session : kSessions) {
    rig.chat->switchSession(session);
    runFor(40000);
  }
  ASSERT_EQ(rig.chat->status().phase, Phase::Live) << "seed " << seed;
  EXPECT_EQ(rig.chat->status().outboxSize, 0u);
  EXPECT_EQ(rig.gateway.userMessages, sent);

  const core::ChatState& state = rig.chat->state();
  for (const auto& [sessionId, events] : rig.gateway.log) {
    auto it = state.sessions.find(sessionId);
    ASSERT_NE(it, state.sessions.end()) << sessionId;
    const core::SessionState& s = it->second;
    EXPECT_EQ(s.lastSeq, static_cast<int64_t>(events.size()));
    // Expected from the log (the reducer's rule): a user message sits where its echo was
    // logged, a reply where its first delta (or its end) was logged.
    std::vector<std::string> expected;
    std::set<std::string> placed;
    for (const std::string& frame : events) {
      nlohmann::json j = nlohmann::json::parse(frame);
      const std::string type = j["type"];
      if (type == "chat.message") expected.push_back("user:" + j["messageId"].get<std::string>());
      if (type == "chat.stream.delta" || type == "chat.stream.end") {
        const std::string rid = j["requestId"];
        if (placed.insert(rid).second) {
          expected.push_back("assistant:" + rig.gateway.replyTextFor(rid));
        }
      }
    }
    std::vector<std::string> actual;
    for (const core::Entry& e : s.timeline) {
      if (e.kind != core::EntryKind::Message) continue;
      ASSERT_LT(e.index, s.messages.size());
      const core::Message& m = s.messages[e.index];
      if (m.role == core::Role::User) {
        EXPECT_EQ(m.status, core::MessageStatus::Sent) << m.id;
        actual.push_back("user:" + m.id);
      } else if (m.role == core::Role::Assistant) {
        EXPECT_EQ(m.status, core::MessageStatus::Complete) << m.id;
        actual.push_back("assistant:" + m.content);
      }
    }
    EXPECT_EQ(actual, expected) << "seed " << seed << " session " << sessionId;
    EXPECT_FALSE(s.streaming.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedClient, ::testing::Range(1, 21));

}  // namespace
}  // namespace chat::testing
