// Shared helpers of the load generator's scenarios: the clock, percentiles, the figure lines
// it prints (one JSON object per line on stdout, read by report.mjs), driving the io_context
// until a condition holds, and a cap on connection attempts in flight.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace bench {

// Microseconds on the steady clock.
int64_t nowUs();

// p in [0, 100], nearest-rank; 0 for an empty sample.
double percentile(std::vector<double> values, double p);

// One row of the results table: {"figure","value","unit","method"} as a JSON line on stdout.
void emitFigure(const std::string& figure, double value, const std::string& unit,
                const std::string& method);
// The same with extra string fields on the line (e.g. {"gateway","node-ws"},{"clients","100"}),
// which report.mjs uses to lay comparable runs side by side.
void emitFigure(const std::string& figure, double value, const std::string& unit,
                const std::string& method, const std::map<std::string, std::string>& tags);

// Progress for a person watching (stderr).
void progress(const std::string& line);

// Runs handlers until done() is true or the timeout passes; returns done(). The caller keeps
// a work guard on the io_context so an idle context waits instead of returning at once.
bool runUntil(boost::asio::io_context& ioc, const std::function<bool()>& done,
              std::chrono::milliseconds timeout);
void runFor(boost::asio::io_context& ioc, std::chrono::milliseconds duration);

// A session id in the project's format: "s-" + 16 lowercase hex.
std::string sessionIdFor(const std::string& run, std::size_t index);

// At most `limit` jobs in flight: a job gets a release function to call once, when it is done
// (a storm of connects beyond the listen backlog only measures SYN retransmit timers).
class Throttle {
 public:
  explicit Throttle(std::size_t limit) : limit_(limit) {}
  void submit(std::function<void(std::function<void()> release)> job);

 private:
  void pump();
  std::size_t limit_;
  std::size_t inFlight_ = 0;
  std::deque<std::function<void(std::function<void()>)>> waiting_;
};

// --key value options of a scenario.
class Options {
 public:
  Options(int argc, char** argv, int first);
  std::string str(const std::string& key, const std::string& fallback) const;
  long num(const std::string& key, long fallback) const;
  std::vector<long> list(const std::string& key, const std::vector<long>& fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace bench
