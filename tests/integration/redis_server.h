// A private redis-server for one test: started on a free loopback port in a temporary
// directory, stopped (and its files removed) at the end, killed by the kernel if the test
// process dies first. restart() brings it back on the same port with the same files, so an
// append-only file carries the data across (the "Redis restarts mid-stream" tests).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "gateway_process.h"  // TempDir

namespace chat::itest {

struct RedisServerOptions {
  bool appendOnly = false;   // appendonly yes, fsync always: nothing acknowledged is lost
  std::string password;      // requirepass when not empty
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts it and waits (up to 10 s) until it answers PING. "" on success, else why not.
  std::string start();
  // SIGTERM (or SIGKILL when `kill`) and wait for the exit.
  void stop(bool kill = false);
  // stop() then start() on the same port and directory.
  std::string restart(bool kill = false);
  bool running() const { return pid_ > 0; }

  uint16_t port() const { return port_; }
  std::string url(int db = 0) const;  // redis://[:password@]127.0.0.1:PORT/db
  std::string log() const;            // what it printed

 private:
  RedisServerOptions options_;
  TempDir dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace chat::itest
