// Drives a ChatClient on an EventLoop: tick() on a fixed timer (50 ms by default), which is all
// the engine needs natively since it measures every timeout against the wall clock.
#pragma once

#include <chrono>

#include "core/client/chat_client.h"
#include "native/event_loop.h"

namespace chat::native {

class ClientDriver {
 public:
  ClientDriver(EventLoop& loop, client::ChatClient& client,
               std::chrono::milliseconds period = std::chrono::milliseconds(50));
  ~ClientDriver();  // stops ticking (the client itself keeps its state)
  ClientDriver(const ClientDriver&) = delete;
  ClientDriver& operator=(const ClientDriver&) = delete;

 private:
  EventLoop& loop_;
  EventLoop::TickerId ticker_;
};

}  // namespace chat::native
