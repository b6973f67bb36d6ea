// The real chat-gateway binary as a child process of the load generator: started on loopback
// with a token and a db in the run's temp folder, its port read from its first stdout line,
// its resident memory read from /proc, killed (SIGKILL) or stopped (SIGTERM) on request.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace bench {

struct GatewayOptions {
  std::string binary;
  std::string dbPath;          // a file in the run's temp folder (":memory:" allowed)
  std::string token = "bench-token";
  int port = 0;                // 0 = any free port; a restart passes the previous one
  int demoDelayMs = 20;
  std::vector<std::string> extraArgs;
};

class GatewayProcess {
 public:
  GatewayProcess(GatewayOptions options, std::string workDir);
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // Starts the binary and waits (at most 15 s) for "listening on http://HOST:PORT".
  bool start(std::string* error);
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Milliseconds from fork to the "listening on" line of the last start.
  double startupMs() const { return startupMs_; }
  // VmRSS of the process in KiB (-1 when unknown).
  long rssKiB() const;
  // CPU time (user + system, every thread) the process used so far, in seconds (-1 when
  // unknown): /proc/PID/stat.
  double cpuSeconds() const;
  // SIGKILL and reap: the abrupt death the reconnect storm needs.
  void kill9();
  // SIGTERM, then SIGKILL after 5 s.
  void stop();
  const GatewayOptions& options() const { return o_; }

 private:
  GatewayOptions o_;
  std::string workDir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
  double startupMs_ = 0;
};

}  // namespace bench
