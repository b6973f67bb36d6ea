// Fairness: one session flooding the gateway (chat.sends of 16 KiB as fast as their acks come
// back, 32 in flight) must not starve 100 sessions streaming at a 20 ms pace. The paced
// replies' delta inter-arrival p99 with the flooder is compared with the same run without it.
// The bound asserted here is loose (a shared 2-core machine runs these tests in parallel);
// the precise ratio is a figure of ./build.sh bench (chat-loadgen fairness). A pair of runs
// (alone, then flooded) that misses the bound is run again, up to three pairs: starvation
// misses it every time, while a compile that happened to share the machine with one flooded
// run does not stay for three. Every run's replies must end complete in any case.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture.h"

namespace chat::itest {
namespace {

using FairnessTest = GatewayTest;
using Clock = std::chrono::steady_clock;

constexpr int kPaced = 100;
constexpr int kWords = 60;
constexpr std::size_t kFloodBytes = 16 * 1024;
constexpr int kFloodWindow = 32;

struct Paced {
  std::unique_ptr<RawWs> ws;
  std::string requestId;
  Clock::time_point lastDelta{};
  int deltas = 0;
  bool ended = false;
};

double p99(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(v.size())))];
}

// Runs 100 paced /long replies, with or without a flooding session alongside; returns the
// delta inter-arrival gaps (ms) of the paced replies and counts the flooder's acks.
std::vector<double> pacedGaps(native::EventLoop& loop, const GatewayProcess& gateway, bool flood,
                              int* floodAcks, int attempt) {
  // Sessions and ids of their own in every attempt: each run starts fresh replies.
  const std::string tag = std::string(flood ? "flood" : "alone") + std::to_string(attempt);
  std::vector<Paced> paced(kPaced);
  for (int i = 0; i < kPaced; ++i) {
    paced[i].ws = std::make_unique<RawWs>(loop);
    EXPECT_TRUE(paced[i].ws->open(gateway.wsUrl()));
    EXPECT_TRUE(paced[i].ws->authenticate(gateway.options().token));
  }
  RawWs flooder(loop);
  int floodSent = 0;
  auto sendFlood = [&] {
    flooder.send({{"type", "chat.send"},
                  {"id", tag + "-flooder-" + std::to_string(floodSent++)},
                  {"sessionId", "fair-flooder-" + tag},
                  {"content", std::string(kFloodBytes, 'x')}});
  };
  if (flood) {
    EXPECT_TRUE(flooder.open(gateway.wsUrl()));
    EXPECT_TRUE(flooder.authenticate(gateway.options().token));
    for (int i = 0; i < kFloodWindow; ++i) sendFlood();
  }
  for (int i = 0; i < kPaced; ++i) {
    paced[i].requestId = "paced-" + tag + "-" + std::to_string(i);  // ids distinct from the flooder's
    paced[i].ws->send({{"type", "chat.send"},
                       {"id", paced[i].requestId},
                       {"sessionId", "fair-" + tag + "-" + std::to_string(i)},
                       {"content", "/long " + std::to_string(kWords)}});
  }
  std::vector<double> gaps;
  int ended = 0;
  // Checked after every handler the loop runs: arrival times are those of the handler that
  // queued the frame, and the flooder resends the moment an ack comes back.
  loop.runUntil(
      [&] {
        const auto now = Clock::now();
        for (auto& p : paced) {
          while (auto frame = p.ws->next(std::chrono::milliseconds(0))) {
            const std::string type = frame->value("type", "");
            if (type == "chat.stream.delta" && frame->value("requestId", "") == p.requestId) {
              if (p.deltas++ > 0)
                gaps.push_back(std::chrono::duration<double, std::milli>(now - p.lastDelta).count());
              p.lastDelta = now;
            } else if (type == "chat.stream.end" && frame->value("requestId", "") == p.requestId &&
                       !p.ended) {
              p.ended = true;
              ++ended;
            }
          }
        }
        if (flood) {
          while (auto frame = flooder.next(std::chrono::milliseconds(0))) {
            if (frame->value("type", "") == "ack") {
              ++*floodAcks;
              sendFlood();
            }
          }
        }
        return ended == kPaced;
      },
      std::chrono::seconds(60));
  EXPECT_EQ(ended, kPaced) << tag << ": every paced reply ends";
  for (const auto& p : paced) EXPECT_EQ(p.deltas, kWords) << tag << " " << p.requestId;
  return gaps;
}

TEST_F(FairnessTest, AFloodingSessionDoesNotStarveOneHundredPacedOnes) {
  GatewayOptions options;
  options.demoDelayMs = 20;
  // The flooder is limited by its acks (after each group commit), not by the rate limit.
  options.extraArgs = {"--rate-limit", "100000", "--rate-burst", "100000"};
  ASSERT_TRUE(startGateway(options));
  constexpr int kAttempts = 3;
  double alone = 0, flooded = 0, bound = 0;
  bool withinBound = false;
  for (int attempt = 1; attempt <= kAttempts && !withinBound; ++attempt) {
    int acksAlone = 0, acksFlood = 0;
    alone = p99(pacedGaps(loop, *gateway, false, &acksAlone, attempt));
    flooded = p99(pacedGaps(loop, *gateway, true, &acksFlood, attempt));
    // Nominal 20 ms; within 2x in the bench. Here: 4x, or 80 ms over the nominal pace if the
    // run without the flooder was unusually smooth, on a machine shared with other tests.
    bound = std::max(4 * alone, 100.0);
    withinBound = flooded <= bound;
    std::cout << "attempt " << attempt << ": paced delta gap p99: alone " << alone
              << " ms, with a flooder " << flooded << " ms (bound " << bound << " ms; "
              << acksFlood << " flood messages acked, " << kFloodBytes / 1024 << " KiB each)"
              << std::endl;
    // The flood ran alongside and was answered (not starved either). How much of it went
    // through depends on the build: ~700-1,800 acks in a release build, a handful under ASan.
    EXPECT_GT(acksFlood, 0);
    if (HasFailure()) return;
  }
  RecordProperty("paced_gap_p99_alone_ms", std::to_string(alone));
  RecordProperty("paced_gap_p99_flooded_ms", std::to_string(flooded));
  EXPECT_TRUE(withinBound) << "the paced sessions' delivery is starved by one flooding session: p99 "
                           << flooded << " ms with it vs " << alone << " ms without, in each of "
                           << kAttempts << " attempts (bound " << bound << " ms)";
}

}  // namespace
}  // namespace chat::itest
