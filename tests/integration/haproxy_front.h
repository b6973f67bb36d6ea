// HAProxy (Debian's `haproxy` package) in front of gateway nodes for one test, run with the
// deployment sample src/gateway/redis/deploy/haproxy.cfg: the sample's node addresses and its
// bind line are replaced by the test's, nothing else is touched, so the test proves the file a
// reader copies works. Checked with `haproxy -c` first; killed with the test (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gateway_process.h"  // TempDir

namespace chat::itest {

class HaproxyFront {
 public:
  // `nodePorts`: one loopback port per `server` line of the sample, in order.
  explicit HaproxyFront(std::vector<uint16_t> nodePorts);
  ~HaproxyFront();
  HaproxyFront(const HaproxyFront&) = delete;
  HaproxyFront& operator=(const HaproxyFront&) = delete;

  // Writes the config, runs `haproxy -c` on it, starts haproxy and waits (up to 10 s) until it
  // accepts connections. "" on success, else why not (with haproxy's output).
  std::string start();
  uint16_t port() const { return port_; }
  std::string config() const { return config_; }
  std::string output() const;  // what haproxy printed (its log goes to stdout)

  static std::string samplePath();

 private:
  std::vector<uint16_t> nodePorts_;
  TempDir dir_;
  std::string config_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace chat::itest
