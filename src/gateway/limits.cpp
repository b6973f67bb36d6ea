#include "gateway/limits.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>

namespace chat::gateway {

TokenBucket::TokenBucket(double ratePerSec, double burst)
    : rate_(ratePerSec), burst_(burst), tokens_(burst) {}

bool TokenBucket::tryTake(int64_t nowMs) {
  if (lastMs_ >= 0 && nowMs > lastMs_) {
    tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(nowMs - lastMs_) / 1000.0);
  }
  if (lastMs_ < 0 || nowMs > lastMs_) lastMs_ = nowMs;
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  return false;
}

bool TokenBucket::fullAt(int64_t nowMs) const {
  if (lastMs_ < 0) return true;
  double refilled = tokens_ + rate_ * static_cast<double>(std::max<int64_t>(0, nowMs - lastMs_)) / 1000.0;
  return refilled >= burst_;
}

int64_t TokenBucket::msUntilToken(int64_t nowMs) const {
  if (lastMs_ < 0) return 0;
  double now = std::min(burst_, tokens_ + rate_ * static_cast<double>(std::max<int64_t>(0, nowMs - lastMs_)) / 1000.0);
  if (now >= 1.0 || rate_ <= 0) return 0;
  return static_cast<int64_t>(std::ceil((1.0 - now) * 1000.0 / rate_));
}

AddressRateLimiter::AddressRateLimiter(double ratePerSec, double burst)
    : rate_(ratePerSec), burst_(burst) {}

bool AddressRateLimiter::tryTake(const std::string& address, int64_t nowMs) {
  if (++calls_ % 1024 == 0) forgetRefilled(nowMs);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) it = buckets_.emplace(address, TokenBucket(rate_, burst_)).first;
  return it->second.tryTake(nowMs);
}

int64_t AddressRateLimiter::msUntilAllowed(const std::string& address, int64_t nowMs) const {
  auto it = buckets_.find(address);
  return it == buckets_.end() ? 0 : it->second.msUntilToken(nowMs);
}

void AddressRateLimiter::forgetRefilled(int64_t nowMs) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->second.fullAt(nowMs)) it = buckets_.erase(it);
    else ++it;
  }
}

MessageRateLimiter::MessageRateLimiter(double ratePerSec, double burst,
                                       int refusalsBeforeDisconnect)
    : bucket_(ratePerSec, burst), refusalsBeforeDisconnect_(refusalsBeforeDisconnect) {}

MessageRateLimiter::Verdict MessageRateLimiter::onMessage(int64_t nowMs) {
  if (bucket_.tryTake(nowMs)) {
    refusals_ = 0;
    return Verdict::Accept;
  }
  ++refusals_;
  return refusals_ > refusalsBeforeDisconnect_ ? Verdict::Disconnect : Verdict::Refuse;
}

ConnectionCounter::Slot::Slot(std::weak_ptr<ConnectionCounter> owner, std::string address)
    : owner_(std::move(owner)), address_(std::move(address)) {}

ConnectionCounter::Slot::~Slot() {
  if (auto owner = owner_.lock()) owner->release(address_);
}

std::unique_ptr<ConnectionCounter::Slot> ConnectionCounter::tryAcquire(const std::string& address,
                                                                       bool perAddress) {
  if (maxTotal_ > 0 && total_ >= maxTotal_) return nullptr;
  int& n = counts_[address];
  if (perAddress && n >= max_) {
    if (n == 0) counts_.erase(address);
    return nullptr;
  }
  ++n;
  ++total_;
  return std::make_unique<Slot>(weak_from_this(), address);
}

int ConnectionCounter::count(const std::string& address) const {
  auto it = counts_.find(address);
  return it == counts_.end() ? 0 : it->second;
}

void ConnectionCounter::release(const std::string& address) {
  auto it = counts_.find(address);
  if (it == counts_.end()) return;
  --total_;
  if (--it->second <= 0) counts_.erase(it);
}

ConnectionBudget connectionBudgetFor(uint64_t openFileLimit) {
  const uint64_t limit = std::min<uint64_t>(openFileLimit, 1u << 30);
  const uint64_t reserve = std::max<uint64_t>(64, limit / 16);
  ConnectionBudget b;
  b.total = static_cast<int>(limit > reserve + 16 ? limit - reserve : 16);
  b.perAddress = std::max(1, b.total / 2);
  return b;
}

uint64_t openFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1u << 20;
  return static_cast<uint64_t>(limit.rlim_cur);
}

}  // namespace chat::gateway
