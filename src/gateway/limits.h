// Abuse limits: a token-bucket rate limiter (messages per connection), the same budget per
// client address (POST /api/send, where there is no connection to hang it on) and the count of
// open connections per client address. Time comes in as a parameter so tests use a fake clock.
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
  // True when the bucket has refilled to its burst by nowMs (it is then as good as new).
  bool fullAt(int64_t nowMs) const;
  // Milliseconds until a token is available at nowMs (0 when there is one now).
  int64_t msUntilToken(int64_t nowMs) const;

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

// A token bucket per client address. Buckets that have refilled are forgotten now and then, so
// the table holds only the addresses that sent recently (bounded by traffic, not by history).
class AddressRateLimiter {
 public:
  AddressRateLimiter(double ratePerSec, double burst);
  // Takes one token of `address`'s bucket at time nowMs; false when it is empty.
  bool tryTake(const std::string& address, int64_t nowMs);
  // Milliseconds until `address` may send again (0: now).
  int64_t msUntilAllowed(const std::string& address, int64_t nowMs) const;
  std::size_t trackedAddresses() const { return buckets_.size(); }

 private:
  void forgetRefilled(int64_t nowMs);
  double rate_;
  double burst_;
  std::unordered_map<std::string, TokenBucket> buckets_;
  uint64_t calls_ = 0;
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

  explicit ConnectionCounter(int maxPerAddress, int maxTotal = 0)
      : max_(maxPerAddress), maxTotal_(maxTotal) {}
  // A slot for one more connection from `address`, or nullptr when it is at its limit or the
  // gateway is at its total (maxTotal > 0).
  // perAddress false: only the total applies (a trusted reverse proxy holds every user's
  // connections).
  std::unique_ptr<Slot> tryAcquire(const std::string& address, bool perAddress = true);
  int count(const std::string& address) const;
  int total() const { return total_; }

 private:
  void release(const std::string& address);
  int max_;
  int maxTotal_;
  int total_ = 0;
  std::unordered_map<std::string, int> counts_;
};

// How many connections the gateway takes, from its open-file limit: a reserve of descriptors
// stays free (the event log, accept of a connection that is then refused, logs), so the
// limit itself is never reached and `accept` never fails with EMFILE (which would leave every
// other client waiting in the backlog); one address may hold at most half of the rest.
struct ConnectionBudget {
  int total = 0;
  int perAddress = 0;
};
ConnectionBudget connectionBudgetFor(uint64_t openFileLimit);
// The soft RLIMIT_NOFILE of this process (after main raised it to the hard limit).
uint64_t openFileLimit();

}  // namespace chat::gateway
