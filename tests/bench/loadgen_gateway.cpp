#include "loadgen_gateway.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

namespace {

bool reapWithin(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

GatewayProcess::GatewayProcess(GatewayOptions options, std::string workDir)
    : o_(std::move(options)), workDir_(std::move(workDir)) {}

GatewayProcess::~GatewayProcess() { stop(); }

bool GatewayProcess::start(std::string* error) {
  if (running()) return true;
  // Unique names across every gateway of this run: reading a previous gateway's first line
  // would give a stale port.
  static int runStarts = 0;
  starts_ = ++runStarts;
  // stdout goes to a file, not a pipe: a chatty gateway can never block on a full pipe while
  // the load generator is busy elsewhere.
  const std::string out = workDir_ + "/gateway-" + std::to_string(starts_) + ".out";
  const std::string err = workDir_ + "/gateway-" + std::to_string(starts_) + ".err";
  std::remove(out.c_str());
  std::vector<std::string> args = {o_.binary,
                                   "--host", "127.0.0.1",
                                   "--port", std::to_string(o_.port),
                                   "--db", o_.dbPath,
                                   "--token", o_.token,
                                   "--demo-delay-ms", std::to_string(o_.demoDelayMs),
                                   "--heartbeat-ms", "600000",
                                   "--max-conn-per-address", "1000000",
                                   "--rate-limit", "10000",
                                   "--rate-burst", "10000",
                                   "--quiet"};
  args.insert(args.end(), o_.extraArgs.begin(), o_.extraArgs.end());

  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    // The gateway dies with the load generator, even when a time limit SIGKILLs it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int fdOut = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fdErr = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fdIn = ::open("/dev/null", O_RDONLY);
    if (fdOut >= 0) ::dup2(fdOut, 1);
    if (fdErr >= 0) ::dup2(fdErr, 2);
    if (fdIn >= 0) ::dup2(fdIn, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  pid_ = pid;

  const auto deadline = t0 + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream e(err);
      std::stringstream ss;
      ss << e.rdbuf();
      *error = "the gateway exited at start: " + ss.str().substr(0, 2000);
      return false;
    }
    std::ifstream f(out);
    std::string line;
    if (std::getline(f, line) && !f.eof()) {  // a whole first line
      const std::string prefix = "listening on http://";
      auto p = line.find(prefix);
      auto colon = p == std::string::npos ? std::string::npos : line.rfind(':');
      if (p == std::string::npos || colon == std::string::npos || colon < p + prefix.size()) {
        *error = "unexpected first line from the gateway: " + line;
        stop();
        return false;
      }
      port_ = std::atoi(line.c_str() + colon + 1);
      o_.port = port_;  // a restart comes back on the same port
      startupMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  *error = "the gateway printed no \"listening on\" line within 15 s";
  stop();
  return false;
}

long GatewayProcess::rssKiB() const {
  if (!running()) return -1;
  std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double GatewayProcess::cpuSeconds() const {
  if (!running()) return -1;
  std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat;
  std::getline(f, stat);
  // The command name (field 2) may hold spaces: the fields after it start past its ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {  // fields 14 and 15: utime, stime (ticks)
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(utime + stime) / static_cast<double>(ticks) : -1;
}

void GatewayProcess::kill9() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  reapWithin(pid_, std::chrono::seconds(10));
  pid_ = -1;
}

void GatewayProcess::stop() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  if (!reapWithin(pid_, std::chrono::seconds(5))) {
    ::kill(pid_, SIGKILL);
    reapWithin(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

}  // namespace bench
