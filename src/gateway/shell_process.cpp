#include "gateway/shell_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway/utf8_text.h"

namespace chat::gateway {

namespace asio = boost::asio;

struct ShellProcess::Impl {
  explicit Impl(asio::io_context& ioc) : out(ioc), err(ioc), deadline(ioc), reaper(ioc) {}
  asio::posix::stream_descriptor out;
  asio::posix::stream_descriptor err;
  asio::steady_timer deadline;
  asio::steady_timer reaper;  // polls waitpid once both pipes are closed
  pid_t pid = -1;
  int64_t timeoutMs = 0;
  OutputHandler onOutput;
  DoneHandler onDone;
  Utf8Stream outText, errText;
  std::array<char, 8192> outBuf{}, errBuf{};
  int openPipes = 2;
  Outcome outcome;
  std::size_t kept = 0;
  bool timedOut = false;
  bool reaped = false;
};

namespace {

void killGroup(pid_t pid) {
  if (pid > 0) ::kill(-pid, SIGKILL);
}

}  // namespace

ShellProcess::ShellProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ShellProcess::~ShellProcess() {
  if (impl_ && !impl_->reaped && impl_->pid > 0) {
    killGroup(impl_->pid);
    ::waitpid(impl_->pid, nullptr, 0);  // killed: returns at once
  }
}

std::shared_ptr<ShellProcess> ShellProcess::start(asio::io_context& ioc, const std::string& command,
                                                  const std::string& workspace,
                                                  int64_t timeoutMs, OutputHandler onOutput,
                                                  DoneHandler onDone) {
  auto impl = std::make_unique<Impl>(ioc);
  impl->timeoutMs = timeoutMs;
  impl->onOutput = std::move(onOutput);
  impl->onDone = std::move(onDone);
  auto self = std::shared_ptr<ShellProcess>(new ShellProcess(std::move(impl)));
  Impl& p = *self->impl_;

  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) {
    p.outcome.error = "cannot start the command (pipe)";
  } else if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    p.outcome.error = "cannot start the command (pipe)";
  } else {
    pid_t pid = ::fork();
    if (pid == 0) {
      // Child: only async-signal-safe calls from here on.
      ::setpgid(0, 0);
      int devnull = ::open("/dev/null", O_RDONLY);
      if (devnull >= 0) ::dup2(devnull, 0);
      ::dup2(outPipe[1], 1);
      ::dup2(errPipe[1], 2);
      ::close_range(3, ~0U, 0);  // nothing of the gateway (sockets, database) leaks in
      if (::chdir(workspace.c_str()) != 0) ::_exit(126);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (pid < 0) {
      ::close(outPipe[0]);
      ::close(errPipe[0]);
      p.outcome.error = "cannot start the command (fork)";
    } else {
      ::setpgid(pid, pid);  // also here: no race with a kill before the child ran setpgid
      p.pid = pid;
      p.out.assign(outPipe[0]);
      p.err.assign(errPipe[0]);
    }
  }
  if (p.pid < 0) {
    p.reaped = true;
    asio::post(ioc, [self] {
      auto done = std::move(self->impl_->onDone);
      if (done) done(self->impl_->outcome);
    });
    return self;
  }

  std::weak_ptr<ShellProcess> weak = self;
  p.deadline.expires_after(std::chrono::milliseconds(timeoutMs));
  p.deadline.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->impl_->reaped) return;
    self->impl_->timedOut = true;
    killGroup(self->impl_->pid);
  });

  struct Reader {
    static void read(std::shared_ptr<ShellProcess> self, bool isErr) {
      Impl& p = *self->impl_;
      auto& pipe = isErr ? p.err : p.out;
      auto& buf = isErr ? p.errBuf : p.outBuf;
      pipe.async_read_some(asio::buffer(buf), [self, isErr](const boost::system::error_code& ec,
                                                            std::size_t n) {
        Impl& p = *self->impl_;
        auto& text = isErr ? p.errText : p.outText;
        auto& b = isErr ? p.errBuf : p.outBuf;
        if (n > 0) self->deliver(text.feed(std::string_view(b.data(), n)));
        if (ec) {
          self->deliver(text.finish());
          if (--p.openPipes == 0) self->reap();
          return;
        }
        read(self, isErr);
      });
    }
  };
  Reader::read(self, false);
  Reader::read(self, true);
  return self;
}

void ShellProcess::deliver(const std::string& text) {
  Impl& p = *impl_;
  if (text.empty()) return;
  std::string kept = text;
  if (p.kept + kept.size() > kShellOutputCapBytes) {
    p.outcome.truncated = true;
    kept = toValidUtf8(kept.substr(0, kShellOutputCapBytes - p.kept));  // may cut a sequence
  }
  if (kept.empty()) return;
  p.kept += kept.size();
  p.outcome.output += kept;
  if (p.onOutput) p.onOutput(kept);
}

void ShellProcess::reap() {
  Impl& p = *impl_;
  int status = 0;
  pid_t r = ::waitpid(p.pid, &status, WNOHANG);
  if (r == 0) {  // pipes closed but still running (it closed its output): check again soon
    auto self = shared_from_this();
    p.reaper.expires_after(std::chrono::milliseconds(10));
    p.reaper.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->reap();
    });
    return;
  }
  p.reaped = true;
  p.deadline.cancel();
  if (r == p.pid) {
    p.outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status)
                         : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }
  if (p.timedOut) {
    p.outcome.ok = false;
    p.outcome.error = "timed out after " + std::to_string(p.timeoutMs / 1000) +
                      " s; the command was killed";
  } else {
    p.outcome.ok = true;
  }
  auto done = std::move(p.onDone);
  p.onDone = nullptr;
  p.onOutput = nullptr;
  if (done) done(p.outcome);
}

void ShellProcess::stop() {
  Impl& p = *impl_;
  p.onDone = nullptr;
  p.onOutput = nullptr;
  if (!p.reaped) killGroup(p.pid);
  // The readers see EOF and reap() collects the child; no handler is called any more.
}

}  // namespace chat::gateway
