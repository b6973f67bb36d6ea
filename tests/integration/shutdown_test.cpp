// Clean shutdown of the real gateway process under SIGTERM: exit code 0 in bounded time, also
// when a client never answers the close handshake, and also when the signal arrives the moment
// the gateway has printed where it listens.
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "fixture.h"

namespace chat::itest {
namespace {

using Clock = std::chrono::steady_clock;

std::string describeStatus(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "waitpid status " + std::to_string(status);
}

class ShutdownTest : public GatewayTest {};

TEST_F(ShutdownTest, ClientIgnoringTheCloseHandshakeStillLetsTheGatewayExitCleanly) {
  ASSERT_TRUE(startGateway());

  // The silent client runs on its own loop, which the test stops pumping after auth: from
  // then on it reads nothing, so it never answers the gateway's close frame.
  native::EventLoop silentLoop;
  RawWs silent(silentLoop);
  ASSERT_TRUE(silent.open(gateway->wsUrl())) << silent.closeReason();
  ASSERT_TRUE(silent.authenticate("test"));
  // Subscribed to a session, so the hub holds the silent connection too at shutdown.
  silent.send({{"type", "session.resume"}, {"id", "silent-resume"}, {"sessionId", "s-silent"},
               {"lastSeq", 0}});
  ASSERT_TRUE(silent.nextOfType("session.resumed").has_value());

  RawWs polite(loop);
  ASSERT_TRUE(polite.open(gateway->wsUrl())) << polite.closeReason();
  ASSERT_TRUE(polite.authenticate("test"));

  const auto signalled = Clock::now();
  gateway->sendSignal(SIGTERM);
  ASSERT_TRUE(polite.waitClosed(3s)) << "a client answering the handshake is closed at once";
  EXPECT_EQ(polite.closeCode(), 1001) << polite.closeReason();

  // The gateway waits up to 2 s for the silent client's answer, then must end by itself.
  constexpr auto kBound = std::chrono::milliseconds(3000);
  const auto spent =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
  const int status = gateway->waitExit(static_cast<int>(std::max<int64_t>(0, (kBound - spent).count())));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "a clean shutdown exits with 0 within " << kBound.count() << " ms; got "
      << describeStatus(status) << " after " << took.count() << " ms";
  EXPECT_NE(gateway->output().find("stopped"), std::string::npos)
      << "the gateway logs 'stopped' at the end of a clean shutdown";
}

TEST_F(ShutdownTest, SigtermRightAfterTheListeningLineIsACleanShutdown) {
  // The race is short: try it several times, each on a fresh process.
  for (int attempt = 0; attempt < 10; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    GatewayProcess process(GatewayOptions{});
    const std::string error = process.startAndSignal(SIGTERM);
    ASSERT_EQ(error, "") << "the gateway did not start";
    const int status = process.waitExit(3000);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "SIGTERM right after 'listening on' must shut down cleanly; got "
        << describeStatus(status) << "\n"
        << process.output();
  }
}

}  // namespace
}  // namespace chat::itest
