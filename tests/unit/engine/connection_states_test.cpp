// The connection state diagram (core/net/connection_states.h): the moves it draws, and the ones
// it does not (the engine asserts every change of state against it).
#include <gtest/gtest.h>

#include "core/net/connection_states.h"

namespace chat::net {
namespace {

constexpr Phase kAll[] = {Phase::Idle,    Phase::Connecting, Phase::Authenticating,
                          Phase::Resuming, Phase::Live,      Phase::Waiting,
                          Phase::Unauthorized};

TEST(ConnectionStates, TheHandshakeGoesForwardOneStepAtATime) {
  EXPECT_TRUE(isAllowedTransition(Phase::Idle, Phase::Connecting));
  EXPECT_TRUE(isAllowedTransition(Phase::Connecting, Phase::Authenticating));
  EXPECT_TRUE(isAllowedTransition(Phase::Authenticating, Phase::Resuming));
  EXPECT_TRUE(isAllowedTransition(Phase::Resuming, Phase::Live));
  // No skipping: live only after a resume, a resume only after auth.
  EXPECT_FALSE(isAllowedTransition(Phase::Connecting, Phase::Live));
  EXPECT_FALSE(isAllowedTransition(Phase::Authenticating, Phase::Live));
  EXPECT_FALSE(isAllowedTransition(Phase::Connecting, Phase::Resuming));
  EXPECT_FALSE(isAllowedTransition(Phase::Waiting, Phase::Live));
  EXPECT_FALSE(isAllowedTransition(Phase::Live, Phase::Authenticating));
  EXPECT_FALSE(isAllowedTransition(Phase::Live, Phase::Resuming));
}

TEST(ConnectionStates, FailuresWaitAndRetriesConnect) {
  for (Phase p : {Phase::Connecting, Phase::Authenticating, Phase::Resuming, Phase::Live}) {
    EXPECT_TRUE(isAllowedTransition(p, Phase::Waiting)) << phaseName(p);
  }
  EXPECT_FALSE(isAllowedTransition(Phase::Idle, Phase::Waiting));
  EXPECT_FALSE(isAllowedTransition(Phase::Unauthorized, Phase::Waiting));
  for (Phase p : kAll) EXPECT_TRUE(isAllowedTransition(p, Phase::Connecting)) << phaseName(p);
}

TEST(ConnectionStates, StopFromAnywhereAndUnauthorizedOnlyOnceStarted) {
  for (Phase p : kAll) {
    EXPECT_TRUE(isAllowedTransition(p, Phase::Idle)) << phaseName(p);
    EXPECT_TRUE(isAllowedTransition(p, p)) << phaseName(p);
    EXPECT_EQ(isAllowedTransition(p, Phase::Unauthorized), p != Phase::Idle) << phaseName(p);
  }
  // A stopped engine only starts: nothing else leaves Idle.
  for (Phase p : kAll) {
    EXPECT_EQ(isAllowedTransition(Phase::Idle, p), p == Phase::Idle || p == Phase::Connecting)
        << phaseName(p);
  }
}

}  // namespace
}  // namespace chat::net
