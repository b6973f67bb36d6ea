#include "gateway_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef CHAT_GATEWAY_PATH
#error "CHAT_GATEWAY_PATH must name the chat-gateway binary"
#endif

namespace chat::itest {

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The port in "listening on http://127.0.0.1:PORT" (first such line), or 0.
uint16_t listeningPort(const std::string& output) {
  const auto at = output.find("listening on ");
  if (at == std::string::npos) return 0;
  const auto lineEnd = output.find('\n', at);
  if (lineEnd == std::string::npos) return 0;  // line not complete yet
  std::string line = output.substr(at, lineEnd - at);
  while (!line.empty() && (line.back() == '/' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
  const auto colon = line.rfind(':');
  if (colon == std::string::npos) return 0;
  const long port = std::strtol(line.c_str() + colon + 1, nullptr, 10);
  return port > 0 && port < 65536 ? static_cast<uint16_t>(port) : 0;
}

// Closes every descriptor above stderr. Async-signal-safe (runs between fork and exec).
void closeInheritedFds() {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  struct rlimit limit {};
  rlim_t max = 4096;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) max = limit.rlim_cur;
  for (rlim_t fd = 3; fd < max; ++fd) ::close(static_cast<int>(fd));
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "chat-itest-XXXXXX").string();
  if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

GatewayProcess::GatewayProcess(GatewayOptions options) : options_(std::move(options)) {
  static int counter = 0;
  logPath_ = (std::filesystem::temp_directory_path() /
              ("chat-gateway-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".log"))
                 .string();
}

GatewayProcess::~GatewayProcess() {
  if (pid_ > 0) stop(SIGKILL, 0);
  std::error_code ignored;
  std::filesystem::remove(logPath_, ignored);
}

std::string GatewayProcess::start() { return launch(0); }

std::string GatewayProcess::startAndSignal(int signal) { return launch(signal); }

std::string GatewayProcess::launch(int signalOnListening) {
  if (pid_ > 0) return "already running";
  std::vector<std::string> args = {CHAT_GATEWAY_PATH, "--host", "127.0.0.1", "--port",
                                   std::to_string(options_.port), "--db", options_.db,
                                   "--demo-delay-ms", std::to_string(options_.demoDelayMs)};
  if (!options_.token.empty()) {
    args.insert(args.end(), {"--token", options_.token});
  }
  if (options_.heartbeatMs > 0) {
    args.insert(args.end(), {"--heartbeat-ms", std::to_string(options_.heartbeatMs)});
  }
  args.insert(args.end(), options_.extraArgs.begin(), options_.extraArgs.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // Output goes to a file, not a pipe: a chatty gateway can never block on a full pipe.
  const int logFd = ::open(logPath_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (logFd < 0) return "cannot create " + logPath_;
  const std::size_t logOffset = readFile(logPath_).size();  // restarts append to the same log
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    ::close(logFd);
    return "fork failed";
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec (the test process may have threads).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull >= 0) dup2(devNull, STDIN_FILENO);
    // Asio opens sockets without CLOEXEC: a gateway inheriting the test's sockets (the proxy's,
    // the clients') would keep them alive after the test closes them, so close them all.
    closeInheritedFds();
    if (options_.fdLimit > 0) {
      rlimit limit{static_cast<rlim_t>(options_.fdLimit), static_cast<rlim_t>(options_.fdLimit)};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(logFd);
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = readFile(logPath_);
    if (out.size() > logOffset) {
      if (const uint16_t port = listeningPort(out.substr(logOffset))) {
        port_ = port;
        if (signalOnListening != 0) kill(pid_, signalOnListening);
        return "";
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "the gateway exited before listening (status " + std::to_string(status) + "):\n" +
             readFile(logPath_);
    }
    // A signal due on the listening line must land right after it: no pause then.
    if (signalOnListening == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop(SIGKILL, 0);
  return "the gateway printed no 'listening on' line within 10 s:\n" + readFile(logPath_);
}

int GatewayProcess::stop(int signal, int graceMs) {
  sendSignal(signal);
  return waitExit(graceMs);
}

void GatewayProcess::sendSignal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int GatewayProcess::waitExit(int graceMs) {
  if (pid_ <= 0) return -1;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(graceMs);
  while (true) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  return status;
}

bool GatewayProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string GatewayProcess::wsUrl() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/gateway"; }

std::string GatewayProcess::apiBase() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }

std::string GatewayProcess::output() const { return readFile(logPath_); }

}  // namespace chat::itest
