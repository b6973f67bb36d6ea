// A ChatClient wired to the native adapters, driven by the shared EventLoop (tick every 50 ms),
// plus the lookups and waits the integration tests need. This is exactly how a native host
// runs the client: the same engine and reducer the browser runs.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/client/chat_client.h"
#include "native/beast_http.h"
#include "native/beast_websocket.h"
#include "native/client_driver.h"
#include "native/event_loop.h"
#include "native/memory_storage.h"
#include "native/std_random.h"
#include "native/system_clock.h"

namespace chat::itest {

using namespace std::chrono_literals;

struct ClientSetup {
  std::string wsUrl;
  std::string apiBase;
  std::string token = "test";
  std::string sessionId;       // "" = a fresh client-named session
  std::string origin;          // Origin header on the upgrade ("" = none, like a native app)
  int64_t connectTimeoutMs = 3000;
  int pollWaitMs = 2000;       // short long-polls keep fallback tests quick
};

// "s-" + 16 lowercase hex digits, as the client names new sessions.
std::string newSessionId();

class TestClient {
 public:
  TestClient(native::EventLoop& loop, const ClientSetup& setup);
  ~TestClient();

  client::ChatClient& chat() { return client_; }
  const net::Status& status() const { return client_.status(); }
  const core::ChatState& state() const { return client_.state(); }
  const std::string& sessionId() const { return sessionId_; }

  bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  bool waitLive(std::chrono::milliseconds timeout = 10s);

  // The session this client works in (nullptr until the gateway created/resumed it).
  const core::SessionState* session() const;
  const core::Message* userMessage(const std::string& id) const;
  const core::Message* reply(const std::string& requestId) const;  // assistant reply to id
  bool replyComplete(const std::string& requestId) const;
  bool waitReply(const std::string& requestId, std::chrono::milliseconds timeout = 15s);
  const core::ApprovalCard* approvalFor(const std::string& requestId) const;
  const core::ToolCard* toolFor(const std::string& requestId) const;

  // How often the client reported a message complete (a reply has its request's id, so the
  // role tells a user message and its reply apart).
  int completions(core::Role role, const std::string& id) const;
  // Every status the client reported, in order.
  const std::vector<net::Status>& statuses() const { return statuses_; }

 private:
  static std::string completionKey(core::Role role, const std::string& id);

  native::EventLoop& loop_;
  std::string sessionId_;
  native::SystemClock clock_;
  native::StdRandom random_;
  native::BeastWebSocket ws_;
  native::BeastHttp http_;
  native::MemoryStorage storage_;
  client::ChatClient client_;
  native::ClientDriver driver_;
  std::map<std::string, int> completions_;
  std::vector<net::Status> statuses_;
};

}  // namespace chat::itest
