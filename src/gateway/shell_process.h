// One `shell` tool call: /bin/sh -c COMMAND in the workspace, in its own process group, with
// stdin from /dev/null and no descriptor of the gateway inherited. stdout and stderr are read
// as they arrive (handed on as valid UTF-8, up to a cap); the exit code ends it. On timeout or
// stop() the whole process group is killed (SIGKILL), so children the command started die too.
// The child is always reaped, also after stop().
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

namespace chat::gateway {

constexpr std::size_t kShellOutputCapBytes = 256 * 1024;

class ShellProcess : public std::enable_shared_from_this<ShellProcess> {
 public:
  struct Outcome {
    bool ok = false;        // exited (any code) before the timeout
    int exitCode = -1;      // the exit status, or 128 + signal
    std::string output;     // stdout and stderr interleaved as read, capped
    bool truncated = false;
    std::string error;      // when not ok: why (timed out, cannot start)
  };
  using OutputHandler = std::function<void(const std::string& text)>;
  using DoneHandler = std::function<void(const Outcome&)>;

  // Starts the command. onOutput/onDone run on the io_context; onDone exactly once unless
  // stop() comes first.
  static std::shared_ptr<ShellProcess> start(boost::asio::io_context& ioc,
                                             const std::string& command,
                                             const std::string& workspace, int64_t timeoutMs,
                                             OutputHandler onOutput, DoneHandler onDone);
  // Kills the process group now; no handler runs afterwards.
  void stop();

  ~ShellProcess();
  struct Impl;  // asio objects (kept out of this header)

 private:
  explicit ShellProcess(std::unique_ptr<Impl> impl);
  void deliver(const std::string& text);  // output kept (up to the cap) and handed on
  void reap();                            // both pipes closed: collect the exit status
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::gateway
