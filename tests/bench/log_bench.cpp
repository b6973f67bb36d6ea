// The event log's group commit on its own, without sockets: what the gateway's commit thread
// spends per event when N sessions stream at once. Each session gets the events of a
// `/long W` turn (echo, start, W deltas, end) interleaved with the others, one append per
// session per step, committed in batches of up to --batch appends the way commit_queue.h
// groups them under load (its high water). CPU is this thread's (CLOCK_THREAD_CPUTIME_ID), so other load on
// the machine moves it less than a wall-clock figure; the best of --runs is kept.
//
//   chat-log-bench [--sessions 1000] [--words 400] [--batch 65536] [--runs 3] [--db file|memory]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <unistd.h>

#include "gateway/agent_events.h"
#include "gateway/event_log.h"
#include "loadgen_stats.h"

namespace {

long option(int argc, char** argv, const std::string& name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return std::atol(argv[i + 1]);
  return fallback;
}

std::string textOption(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return fallback;
}

double threadCpuSeconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Outcome {
  double cpuUsPerEvent = 0;
  double wallUsPerEvent = 0;
  double walBytesPerEvent = 0;
  long events = 0;
};

Outcome runOnce(const std::string& path, long sessions, long words, std::size_t batchLimit) {
  using namespace chat::gateway;
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  EventLog log(path);
  std::vector<AppendRequest> batch;
  Outcome o;
  const auto now = [] { return static_cast<int64_t>(std::time(nullptr)) * 1000; };
  auto commit = [&] {
    if (batch.empty()) return;
    for (const auto& stored : log.appendBatchConsuming(batch, now())) o.events += static_cast<long>(stored.size());
    batch.clear();
  };
  auto add = [&](AppendRequest r) {
    batch.push_back(std::move(r));
    if (batch.size() >= batchLimit) commit();
  };
  const double cpu0 = threadCpuSeconds();
  const int64_t wall0 = bench::nowUs();
  // Step 0: every session's echo and start; steps 1..W: one delta each; then the ends.
  for (long s = 0; s < sessions; ++s) {
    const std::string sessionId = "bench-" + std::to_string(s);
    chat::proto::ChatMessageEvent echo;
    echo.messageId = "c-" + std::to_string(s);
    echo.role = "user";
    echo.content = "/long " + std::to_string(words);
    echo.timestamp = now();
    AppendRequest r;
    r.sessionId = sessionId;
    r.events = {echo, agent_events::streamStart(echo.messageId, "demo-1")};
    r.announceNewSession = true;
    add(std::move(r));
  }
  static const char* kWords[] = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"};
  for (long w = 0; w < words; ++w) {
    for (long s = 0; s < sessions; ++s) {
      AppendRequest r;
      r.sessionId = "bench-" + std::to_string(s);
      r.events = {agent_events::streamDelta("c-" + std::to_string(s), std::string(w ? " " : "") + kWords[w % 8])};
      add(std::move(r));
    }
  }
  for (long s = 0; s < sessions; ++s) {
    agent_events::Totals totals;
    totals.inputTokens = 2;
    totals.outputTokens = words;
    AppendRequest r;
    r.sessionId = "bench-" + std::to_string(s);
    r.events = {agent_events::streamEnd("c-" + std::to_string(s), totals, "end")};
    add(std::move(r));
  }
  commit();
  const double cpu = threadCpuSeconds() - cpu0;
  const double wall = static_cast<double>(bench::nowUs() - wall0);
  o.cpuUsPerEvent = cpu * 1e6 / static_cast<double>(std::max(1L, o.events));
  o.wallUsPerEvent = wall / static_cast<double>(std::max(1L, o.events));
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const long sessions = option(argc, argv, "sessions", 1000);
  const long words = option(argc, argv, "words", 400);
  const long batch = option(argc, argv, "batch", 65536);
  const long runs = option(argc, argv, "runs", 3);
  const bool memory = textOption(argc, argv, "db", "file") == "memory";
  const std::string path = memory ? ":memory:" : "/tmp/chat-log-bench-" + std::to_string(::getpid()) + ".db";
  Outcome best;
  for (long i = 0; i < runs; ++i) {
    Outcome o = runOnce(path, sessions, words, static_cast<std::size_t>(std::max(1L, batch)));
    bench::progress("log run " + std::to_string(i + 1) + ": " + std::to_string(o.events) + " events, " +
                    std::to_string(o.cpuUsPerEvent) + " us CPU/event, " + std::to_string(o.wallUsPerEvent) + " us wall/event");
    if (i == 0 || o.cpuUsPerEvent < best.cpuUsPerEvent) best = o;
  }
  if (!memory) {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
  }
  const std::string shape = std::to_string(sessions) + " sessions x /long " + std::to_string(words) +
                            " interleaved, batches of up to " + std::to_string(batch) + " appends, " +
                            (memory ? "--db :memory:" : "SQLite file (WAL)") + "; best of " + std::to_string(runs);
  bench::emitFigure(std::string("Event log commit CPU per event, ") + (memory ? ":memory:" : "SQLite file"), best.cpuUsPerEvent, "us",
                    "the committing thread's CPU (CLOCK_THREAD_CPUTIME_ID) / events stored; " + shape,
                    {{"metric", "log_cpu_us_per_event"}, {"db", memory ? "memory" : "file"}});
  bench::emitFigure(std::string("Event log commit wall time per event, ") + (memory ? ":memory:" : "SQLite file"), best.wallUsPerEvent, "us",
                    "as above, wall clock (includes the kernel's writes and other load on the machine)",
                    {{"metric", "log_wall_us_per_event"}, {"db", memory ? "memory" : "file"}});
  return 0;
}
