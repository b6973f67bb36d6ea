// Test harness for the engine suites: fakes + FakeGateway + RecordingSink + one engine, and
// loops that advance the fake clock in steps, ticking the engine and pumping the gateway.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/net/connection_engine.h"
#include "fakes/fake_gateway.h"
#include "fakes/fake_platform.h"
#include "fakes/recording_sink.h"

namespace chat::testing {

using fakes::FakeClock;
using fakes::FakeGateway;
using fakes::FakeHttp;
using fakes::FakeRandom;
using fakes::FakeStorage;
using fakes::FakeWebSocket;
using fakes::RecordingSink;
using net::ConnectionEngine;
using net::EngineConfig;
using net::Health;
using net::Phase;

inline EngineConfig defaultConfig() {
  EngineConfig cfg;
  cfg.wsUrl = "ws://gateway.test/gateway";
  cfg.apiBase = "http://gateway.test/api";
  cfg.token = "secret";
  cfg.sessionId = "s-test";
  cfg.pollWaitMs = 25000;
  return cfg;
}

struct Harness {
  FakeClock clock;
  FakeRandom random{0.0};
  FakeWebSocket ws;
  FakeHttp http{clock};
  FakeStorage storage;
  RecordingSink sink;
  FakeGateway gateway{clock, ws, http};
  EngineConfig cfg = defaultConfig();
  std::unique_ptr<ConnectionEngine> engine;

  ConnectionEngine& make() {
    engine = std::make_unique<ConnectionEngine>(cfg, clock, random, ws, http, storage, sink);
    return *engine;
  }
  // Ticks and pumps without moving the clock until nothing more happens.
  void settle(int rounds = 20) {
    for (int i = 0; i < rounds; ++i) {
      engine->tick();
      gateway.pump();
    }
    engine->tick();
  }
  // Moves the clock by `ms` in steps of `stepMs`, ticking and pumping at each step.
  void run(int64_t ms, int64_t stepMs = 100) {
    for (int64_t t = 0; t < ms; t += stepMs) {
      clock.advance(stepMs);
      settle(3);
    }
  }
  ConnectionEngine& startLive() {
    if (!engine) make();
    engine->start();
    settle();
    EXPECT_EQ(engine->status().phase, Phase::Live);
    return *engine;
  }
  Phase phase() const { return engine->status().phase; }
};

inline proto::ChatSend chatSend(const std::string& id, const std::string& content,
                                const std::string& sessionId = "s-test") {
  proto::ChatSend m;
  m.id = id;
  m.content = content;
  m.sessionId = sessionId;
  return m;
}

}  // namespace chat::testing
