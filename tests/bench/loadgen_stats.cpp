#include "loadgen_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bench {

int64_t nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

void emitFigure(const std::string& figure, double value, const std::string& unit,
                const std::string& method) {
  nlohmann::json j = {{"figure", figure}, {"value", value}, {"unit", unit}, {"method", method}};
  std::cout << j.dump() << std::endl;
}

void emitFigure(const std::string& figure, double value, const std::string& unit,
                const std::string& method, const std::map<std::string, std::string>& tags) {
  nlohmann::json j = {{"figure", figure}, {"value", value}, {"unit", unit}, {"method", method}};
  for (const auto& [key, text] : tags) j[key] = text;
  std::cout << j.dump() << std::endl;
}

void progress(const std::string& line) { std::cerr << "  [loadgen] " << line << std::endl; }

bool runUntil(boost::asio::io_context& ioc, const std::function<bool()>& done,
              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    auto slice = std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(20));
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(slice);
    // A bounded batch of what is ready now: under a steady stream poll() might never return.
    for (int i = 0; i < 64 && ioc.poll_one() != 0; ++i) {
    }
  }
  return true;
}

void runFor(boost::asio::io_context& ioc, std::chrono::milliseconds duration) {
  runUntil(ioc, [] { return false; }, duration);
}

std::string sessionIdFor(const std::string& run, std::size_t index) {
  // A stable hash of the run name keeps ids distinct between scenarios sharing nothing anyway.
  uint64_t h = 1469598103934665603ull;
  for (char c : run) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "s-%08x%08zx", static_cast<unsigned>(h & 0xffffffffu), index);
  return std::string(buf, 18);
}

void Throttle::submit(std::function<void(std::function<void()>)> job) {
  waiting_.push_back(std::move(job));
  pump();
}

void Throttle::pump() {
  while (inFlight_ < limit_ && !waiting_.empty()) {
    auto job = std::move(waiting_.front());
    waiting_.pop_front();
    ++inFlight_;
    auto released = std::make_shared<bool>(false);
    job([this, released] {
      if (*released) return;
      *released = true;
      --inFlight_;
      pump();
    });
  }
}

Options::Options(int argc, char** argv, int first) {
  for (int i = first; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) == 0) key = key.substr(2);
    values_[key] = argv[i + 1];
  }
}

std::string Options::str(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

long Options::num(const std::string& key, long fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : std::atol(it->second.c_str());
}

std::vector<long> Options::list(const std::string& key, const std::vector<long>& fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::vector<long> out;
  std::stringstream ss(it->second);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(std::atol(item.c_str()));
  return out;
}

}  // namespace bench
