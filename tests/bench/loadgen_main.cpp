// chat-loadgen: a native load generator for the reference gateway (loopback only).
//
//   chat-loadgen <idle|stream|fairness|storm|poll|seed> --gateway PATH [scenario options]
//
// Prints one JSON object per figure on stdout ({"figure","value","unit","method"}), progress on
// stderr. Every scenario is bounded in clients and time and stops by itself; the gateways it
// started are stopped (or killed) before it returns.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "loadgen_scenarios.h"

namespace bench {

std::string authFrame(const std::string& token) {
  return nlohmann::json{{"type", "auth"}, {"id", "a-1"}, {"token", token}}.dump();
}

std::string chatSendFrame(const std::string& id, const std::string& sessionId, const std::string& content) {
  return nlohmann::json{{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}}.dump();
}

std::string resumeFrame(const std::string& id, const std::string& sessionId, long long lastSeq) {
  return nlohmann::json{{"type", "session.resume"}, {"id", id}, {"sessionId", sessionId}, {"lastSeq", lastSeq}}.dump();
}

}  // namespace bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: chat-loadgen <idle|stream|fairness|storm|poll|seed> --gateway PATH [--key value ...]\n");
    return 2;
  }
  const std::string scenario = argv[1];
  bench::Options options(argc, argv, 2);
  const std::string gateway = options.str("gateway", "");
  if (gateway.empty()) {
    std::fprintf(stderr, "chat-loadgen: --gateway PATH is required\n");
    return 2;
  }
  char tmpl[] = "/tmp/chat-loadgen-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string workDir = tmpl;

  boost::asio::io_context ioc(1);
  auto guard = boost::asio::make_work_guard(ioc);
  bench::Context cx{ioc, gateway, workDir, options};
  int rc = 2;
  try {
    if (scenario == "idle") rc = bench::runIdle(cx);
    else if (scenario == "stream") rc = bench::runStream(cx);
    else if (scenario == "storm") rc = bench::runStorm(cx);
    else if (scenario == "fairness") rc = bench::runFairness(cx);
    else if (scenario == "poll") rc = bench::runPoll(cx);
    else if (scenario == "seed") rc = bench::runSeed(cx);
    else std::fprintf(stderr, "chat-loadgen: unknown scenario %s\n", scenario.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chat-loadgen %s: %s\n", scenario.c_str(), e.what());
    rc = 1;
  }
  if (std::getenv("CHAT_LOADGEN_KEEP") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(workDir, ignored);
  } else {
    std::fprintf(stderr, "chat-loadgen: kept %s\n", workDir.c_str());
  }
  return rc;
}
