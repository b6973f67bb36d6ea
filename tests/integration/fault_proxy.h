// A fault-injecting TCP proxy between a client and the gateway, for resilience tests. It runs
// its own io_context on its own thread (so it keeps relaying whatever the test thread does);
// every control call takes effect before it returns.
//
// Faults:
//   cutAll()                     close every open connection now (both sides)
//   cutAtRandom(seed, lo, hi, n) every connection (WebSocket or HTTP) dies after K bytes
//                                towards the client, K uniform in [lo, hi], fresh per
//                                connection, until n connections were cut that way
//   refuseNew(true)              accept new connections and close them at once
//   refuseUpgrades(true)         answer WebSocket upgrade requests with 403, relay plain HTTP
//   pause(true)                  hold all bytes in both directions (connections stay open):
//                                a stalled network; pause(false) delivers what was held
//   setTarget(port)              relay new connections to another gateway port (restarts)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace chat::itest {

class FaultProxy {
 public:
  explicit FaultProxy(uint16_t targetPort);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  uint16_t port() const;  // where clients connect (127.0.0.1)
  std::string wsUrl() const;
  std::string apiBase() const;

  void setTarget(uint16_t port);
  void cutAll();
  void cutAtRandom(uint64_t seed, std::size_t minBytes, std::size_t maxBytes, int maxCuts);
  void stopCutting();
  void refuseNew(bool on);
  void refuseUpgrades(bool on);
  void pause(bool on);

  int accepted() const;          // connections accepted so far
  int cuts() const;              // connections cut by cutAll / cutAtRandom
  int refusedUpgrades() const;   // upgrade requests answered 403

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace chat::itest
