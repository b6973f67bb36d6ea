// fake-openai-upstream: the test suite's fake OpenAI-compatible server (fake_upstream.h) as a
// program, for the e2e scenario and the benchmark. Prints "listening on http://127.0.0.1:PORT"
// and serves until SIGINT/SIGTERM. --first-byte-delay-ms N delays every streamed reply.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "fake_upstream.h"

int main(int argc, char** argv) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread started below inherits this
  std::signal(SIGPIPE, SIG_IGN);
  chat::itest::FakeUpstream upstream;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--first-byte-delay-ms") upstream.setFirstByteDelayMs(std::atoi(argv[i + 1]));
  std::cout << "listening on http://127.0.0.1:" << upstream.port() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}
