// Abuse limits: a token-bucket rate limiter (messages per connection) and the count of open
// connections per client address. Time comes in as a parameter so tests use a fake clock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace chat::gateway {

class TokenBucket {
 public:
  TokenBucket(double ratePerSec, double burst);
  // Takes one token if there is one at time nowMs (monotonic ms).
  bool tryTake(int64_t nowMs);

 private:
  double rate_;
  double burst_;
  double tokens_;
  int64_t lastMs_ = -1;
};

// Per-connection message policy: a bucket plus the number of consecutive refusals, so a
// client that keeps flooding after being told is disconnected (close 4008).
class MessageRateLimiter {
 public:
  enum class Verdict { Accept, Refuse, Disconnect };
  MessageRateLimiter(double ratePerSec, double burst, int refusalsBeforeDisconnect = 20);
  Verdict onMessage(int64_t nowMs);

 private:
  TokenBucket bucket_;
  int refusalsBeforeDisconnect_;
  int refusals_ = 0;
};

// Counts open connections per address; a Slot releases its count when destroyed.
class ConnectionCounter : public std::enable_shared_from_this<ConnectionCounter> {
 public:
  class Slot {
   public:
    Slot(std::weak_ptr<ConnectionCounter> owner, std::string address);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    const std::string& address() const { return address_; }

   private:
    std::weak_ptr<ConnectionCounter> owner_;
    std::string address_;
  };

  explicit ConnectionCounter(int maxPerAddress) : max_(maxPerAddress) {}
  // A slot for one more connection from `address`, or nullptr when it is at the limit.
  std::unique_ptr<Slot> tryAcquire(const std::string& address);
  int count(const std::string& address) const;
  int total() const { return total_; }

 private:
  void release(const std::string& address);
  int max_;
  int total_ = 0;
  std::unordered_map<std::string, int> counts_;
};

}  // namespace chat::gateway
