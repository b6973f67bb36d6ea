// Starts the real chat-gateway binary on a free loopback port for one test and makes sure it
// dies with the test: killed in the destructor, and (PR_SET_PDEATHSIG) killed by the kernel if
// the test process itself crashes, so a failing test never leaks a gateway.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chat::itest {

struct GatewayOptions {
  std::string db = ":memory:";  // or a file path (restart tests)
  std::string token = "test";   // "" = no --token (then extraArgs should say how to auth)
  int port = 0;                 // 0 = any free port
  int demoDelayMs = 5;
  int heartbeatMs = 0;          // 0 = the gateway's default
  std::vector<std::string> extraArgs;
  int fdLimit = 0;  // > 0: the gateway's RLIMIT_NOFILE, soft and hard (a small machine)
};

class GatewayProcess {
 public:
  explicit GatewayProcess(GatewayOptions options);
  ~GatewayProcess();  // SIGKILL if still running
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // Spawns the gateway and waits (up to 10 s) for its "listening on http://HOST:PORT" line.
  // Returns "" on success, else what went wrong (with the gateway's output).
  std::string start();
  // Like start(), but sends `signal` the moment the "listening on" line appears (the output
  // is polled without pausing), to check what a signal right after start-up does.
  std::string startAndSignal(int signal);
  // Sends `signal` and waits for the process to exit (SIGKILL after `graceMs`).
  // Returns the exit status as waitpid reports it.
  int stop(int signal, int graceMs = 3000);
  // Sends `signal` and returns at once (the test keeps its clients running meanwhile).
  void sendSignal(int signal);
  // Waits for the process to exit (SIGKILL after `graceMs`); returns the waitpid status.
  int waitExit(int graceMs = 3000);
  bool running();

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string wsUrl() const;    // ws://127.0.0.1:PORT/gateway
  std::string apiBase() const;  // http://127.0.0.1:PORT/api
  std::string output() const;   // everything it printed (stdout and stderr)
  const GatewayOptions& options() const { return options_; }

 private:
  std::string launch(int signalOnListening);

  GatewayOptions options_;
  std::string logPath_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// A temporary directory removed (recursively) when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace chat::itest
