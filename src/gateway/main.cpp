// chat-gateway: the reference gateway. Parses flags, opens the event log, closes turns a killed
// process left open and continues the turns that were still waiting, listens, prints where it listens (first stdout line, machine-readable),
// and stops cleanly on SIGINT/SIGTERM (WebSockets closed with 1001, log committed, exit 0).
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "gateway/auth.h"
#include "gateway/config.h"
#include "gateway/event_log.h"
#include "gateway/memory_trim.h"
#include "gateway/redis/redis_event_fanout.h"
#include "gateway/redis/redis_event_store.h"
#include "gateway/redis/redis_shared_state.h"
#include "gateway/redis/redis_turn_leases.h"
#include "gateway/redis/redis_url.h"
#include "gateway/server.h"
#include "gateway/server_context.h"
#include "gateway/util.h"

using namespace chat::gateway;

namespace {

constexpr int64_t kProcessedRetentionMs = 7LL * 24 * 3600 * 1000;
// How long the handlers of the connections cut at the end of a shutdown may take to run out.
constexpr std::chrono::milliseconds kDrainLimit{500};

// Thousands of idle connections need thousands of descriptors: lift the soft limit to the
// hard one (no privileges needed).
void raiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string urlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// --node-id, or this host's name and our pid (unique among the nodes of one Redis).
std::string nodeIdFor(const Config& config) {
  if (!config.nodeId.empty()) return config.nodeId;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "node") + "-" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  configureAllocator();
  raiseDescriptorLimit();
  ParseOutcome parsed = parseArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.kind == ParseOutcome::Kind::Help) {
    std::cout << helpText();
    return 0;
  }
  if (parsed.kind == ParseOutcome::Kind::Error) {
    std::cerr << "chat-gateway: " << parsed.error << "\n";
    return 2;
  }
  Config config = parsed.config;
  setQuietConnectionLogs(config.quiet);

  if (config.dbPath.empty()) config.dbPath = defaultDbPath();
  if (config.dbPath != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(config.dbPath).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      std::cerr << "chat-gateway: cannot create " << parent << ": " << ec.message() << "\n";
      return 1;
    }
  }
  if (!config.staticDir.empty() && !std::filesystem::is_directory(config.staticDir)) {
    std::cerr << "chat-gateway: --static " << config.staticDir << " is not a directory\n";
    return 2;
  }

  // Auth: a token always exists unless --no-auth (a PIN is exchanged for it).
  bool generatedToken = false;
  std::string token;
  Authenticator::Mode mode = Authenticator::Mode::Token;
  if (config.noAuth) {
    mode = Authenticator::Mode::None;
  } else {
    if (config.token) {
      token = *config.token;
    } else {
      token = randomHex(24);
      generatedToken = !config.pin;
    }
    if (config.pin) mode = Authenticator::Mode::Pin;
  }
  Authenticator auth(mode, token, config.pin,
                     PinAttemptLimiter(config.pinMaxAttempts, config.pinLockoutMs,
                                       config.pinGlobalAttempts));

  try {
    EventLog log(config.dbPath);
    // Declared before the context and the server, so it outlives both: destroying it destroys
    // the handlers still pending, and whatever they hold must find nothing freed (see
    // ServerContext: connections are detached before the context goes).
    boost::asio::io_context ioc(1);
    // --redis: the events, their live fan-out and the message ids are shared by every node.
    std::unique_ptr<redis::RedisEventStore> redisStore;
    std::unique_ptr<redis::RedisEventFanout> redisFanout;
    std::unique_ptr<redis::RedisSharedState> redisShared;  // session list, grants, PIN budget
    // The turns' leases: connections of their own (one in subscriber mode for this node's
    // channel) and a log for the closes of dead nodes' turns.
    std::unique_ptr<redis::RedisClient> leaseClient, leaseSubscriber;
    std::unique_ptr<redis::RedisEventLog> leaseLog;
    std::unique_ptr<redis::RedisTurnLeases> leases;
    SharedEvents shared;
    if (!config.redisUrl.empty()) {
      const char* envPassword = std::getenv("REDIS_PASSWORD");
      auto url = redis::parseRedisUrl(config.redisUrl, envPassword ? envPassword : "");
      if (!url.endpoint) {
        std::cerr << "chat-gateway: --redis: " << url.error << "\n";
        return 2;
      }
      redis::RedisEventStoreOptions options;
      options.nodeId = nodeIdFor(config);
      // The turns' owner: this run of the node (a restart under the same --node-id is another).
      options.runId = options.nodeId + "." + randomHex(4);
      redisStore = std::make_unique<redis::RedisEventStore>(*url.endpoint, options);
      redisFanout = std::make_unique<redis::RedisEventFanout>(ioc, *url.endpoint, options.nodeId);
      redisShared = std::make_unique<redis::RedisSharedState>(ioc, *url.endpoint);
      shared = SharedEvents{redisStore.get(), redisFanout.get(), &redisShared->sessions,
                            &redisShared->grants};
      auth.limiter().share(redisShared->pinBudget);
      redis::RedisClientOptions leaseOptions;
      leaseOptions.name = options.nodeId + "-leases";
      leaseClient = std::make_unique<redis::RedisClient>(ioc, *url.endpoint, leaseOptions);
      leaseOptions.name = options.nodeId + "-routed";
      leaseSubscriber = std::make_unique<redis::RedisClient>(ioc, *url.endpoint, leaseOptions);
      leaseLog = std::make_unique<redis::RedisEventLog>(ioc, *leaseClient, options.runId);
      leases = std::make_unique<redis::RedisTurnLeases>(ioc, *leaseClient, *leaseSubscriber,
                                                        *leaseLog, options.runId, config.leaseMs);
      logLine("node " + options.nodeId + " (run " + options.runId + ") on Redis " +
              url.endpoint->describe() + ", turn lease " + std::to_string(config.leaseMs) + " ms");
    }
    ServerContext ctx(ioc, config, log, auth, shared);
    if (leases) {
      // Instead of the restart path below: the leases' sweeps close the turns whose node died
      // (this one's last run too) and hand the turns that waited on it to a live node.
      ctx.core.useLeases(*leases);
      leaseClient->start();
      leaseSubscriber->start();
      leases->start();
    } else {
      if (std::size_t closed = ctx.core.closeInterruptedTurns())
        logLine("closed " + std::to_string(closed) + " turn(s) interrupted by the last stop");
      if (std::size_t resumed = ctx.core.resumeQueuedTurns())
        logLine("resumed " + std::to_string(resumed) + " waiting turn(s) of the last run");
    }
    log.pruneProcessed(wallClockMs() - kProcessedRetentionMs);

    Server server(ctx);
    uint16_t port = server.listen();
    // Before the listening line: whoever starts us may signal as soon as it reads that line,
    // and the signal must then mean a clean shutdown (a signal caught before run() waits in
    // the set until the loop starts).
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      logLine("signal " + std::to_string(signal) + ": shutting down");
      server.shutdown([&ioc] { ioc.stop(); });
    });

    std::string base = "http://" + urlHost(config.host) + ":" + std::to_string(port);
    std::cout << "listening on " << base << std::endl;
    if (generatedToken) std::cout << "Open " << base << "/#token=" << token << std::endl;
    else if (config.pin) std::cout << "Open " << base << "/ and enter the PIN" << std::endl;
    else if (config.noAuth) std::cout << "Open " << base << "/ (no authentication)" << std::endl;
    else std::cout << "Open " << base << "/#token=" << token << std::endl;
    logLine("chat-gateway listening on " + base + ", event log " + config.dbPath);

    server.startAccepting();
    ioc.run();

    // The shutdown is over, or its grace period is: cut what is still connected (a client
    // that never answered the close handshake, idle keep-alive HTTP connections) while the
    // context still exists, then let the handlers of the failed operations run out, so the
    // sessions end here rather than inside the io_context's destructor.
    ctx.detachAll("gateway stopped");
    ioc.restart();
    ioc.run_for(kDrainLimit);
    logLine(ioc.stopped() ? "stopped" : "stopped (some handlers were still pending)");
  } catch (const EventLogError& e) {
    std::cerr << "chat-gateway: event log: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "chat-gateway: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
