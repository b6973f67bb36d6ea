// The load generator's scenarios. Each starts its own chat-gateway(s), drives it over loopback,
// stops by itself (bounded in clients and time) and prints its figures (emitFigure).
#pragma once

#include <string>

#include <boost/asio/io_context.hpp>

#include "loadgen_stats.h"

namespace bench {

struct Context {
  boost::asio::io_context& ioc;
  std::string gatewayBinary;
  std::string workDir;  // a fresh temp folder (dbs, gateway output), removed afterwards
  Options options;
};

// Idle WebSocket clients held and the gateway's resident memory per connection.
int runIdle(Context& cx);
// N clients each streaming a /long reply: events delivered per second, latency, jitter.
int runStream(Context& cx);
// Fairness: paced streams alone, then with one flooding session; the p99 gap ratio.
int runFairness(Context& cx);
// Reconnect storm: SIGKILL + restart on the same db, time to resume all, transcripts vs log.
int runStorm(Context& cx);
// HTTP long-poll fallback throughput with many polling clients.
int runPoll(Context& cx);
// Seeds one session with a long history in a db (for the browser benchmark).
int runSeed(Context& cx);

// Frames the scenarios send.
std::string authFrame(const std::string& token);
std::string chatSendFrame(const std::string& id, const std::string& sessionId, const std::string& content);
std::string resumeFrame(const std::string& id, const std::string& sessionId, long long lastSeq);

}  // namespace bench
