#include "haproxy_front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#ifndef CHAT_DEPLOY_DIR
#error "CHAT_DEPLOY_DIR must name src/gateway/redis/deploy"
#endif

namespace chat::itest {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

uint16_t freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

bool accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Runs a command to its end; its exit status and what it printed.
int runCommand(const std::string& command, std::string* output) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string HaproxyFront::samplePath() { return std::string(CHAT_DEPLOY_DIR) + "/haproxy.cfg"; }

HaproxyFront::HaproxyFront(std::vector<uint16_t> nodePorts) : nodePorts_(std::move(nodePorts)) {}

HaproxyFront::~HaproxyFront() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string HaproxyFront::output() const { return readFile(dir_.file("haproxy.out")); }

std::string HaproxyFront::start() {
  std::string sample = readFile(samplePath());
  if (sample.empty()) return "cannot read " + samplePath();
  port_ = freeLoopbackPort();
  if (port_ == 0) return "no free port";
  // The sample's `bind :PORT` and each `server NAME ADDRESS:PORT`, in order.
  std::string out;
  std::size_t server = 0;
  std::istringstream lines(sample);
  const std::regex bindLine(R"(^(\s*bind\s+)\S+(.*)$)");
  const std::regex serverLine(R"(^(\s*server\s+\S+\s+)\S+(.*)$)");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, bindLine)) {
      line = m[1].str() + "127.0.0.1:" + std::to_string(port_) + m[2].str();
    } else if (std::regex_match(line, m, serverLine)) {
      if (server >= nodePorts_.size()) return "the sample has more server lines than the test has nodes";
      line = m[1].str() + "127.0.0.1:" + std::to_string(nodePorts_[server++]) + m[2].str();
    }
    out += line + "\n";
  }
  if (server != nodePorts_.size()) return "the sample has fewer server lines than the test has nodes";
  config_ = out;
  const std::string path = dir_.file("haproxy.cfg");
  std::ofstream(path) << config_;

  std::string checked;
  if (runCommand("haproxy -c -f " + path, &checked) != 0)
    return "haproxy -c refused the sample (is the haproxy package installed?): " + checked;

  const std::string logPath = dir_.file("haproxy.out");
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    ::execlp("haproxy", "haproxy", "-db", "-f", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port_)) return "";
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "haproxy exited at start: " + output();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "haproxy did not accept connections within 10 s: " + output();
}

}  // namespace chat::itest
