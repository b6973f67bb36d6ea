#include "test_client.h"

#include <cstdio>
#include <random>

namespace chat::itest {

namespace {

net::EngineConfig engineConfig(const ClientSetup& setup, const std::string& sessionId) {
  net::EngineConfig config;
  config.wsUrl = setup.wsUrl;
  config.apiBase = setup.apiBase;
  config.token = setup.token;
  config.sessionId = sessionId;
  config.connectTimeoutMs = setup.connectTimeoutMs;
  config.pollWaitMs = setup.pollWaitMs;
  return config;
}

}  // namespace

std::string newSessionId() {
  static std::mt19937_64 rng{std::random_device{}()};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string("s-") + hex;
}

TestClient::TestClient(native::EventLoop& loop, const ClientSetup& setup)
    : loop_(loop),
      sessionId_(setup.sessionId.empty() ? newSessionId() : setup.sessionId),
      ws_(loop.context(), native::WebSocketOptions{setup.origin, static_cast<int>(setup.connectTimeoutMs), 1000}),
      http_(loop.context()),
      client_(engineConfig(setup, sessionId_), clock_, random_, ws_, http_, storage_),
      driver_(loop, client_) {
  client::Observers observers;
  observers.onMessageComplete = [this](const std::string&, const core::Message& m) {
    completions_[completionKey(m.role, m.id)]++;
  };
  observers.onStatus = [this](const net::Status& s) { statuses_.push_back(s); };
  client_.setObservers(observers);
  client_.start();
}

TestClient::~TestClient() { client_.stop(); }

bool TestClient::waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  return loop_.runUntil(done, timeout);
}

bool TestClient::waitLive(std::chrono::milliseconds timeout) {
  return waitFor([this] { return status().phase == net::Phase::Live; }, timeout);
}

const core::SessionState* TestClient::session() const {
  auto it = client_.state().sessions.find(sessionId_);
  return it == client_.state().sessions.end() ? nullptr : &it->second;
}

const core::Message* TestClient::userMessage(const std::string& id) const {
  const auto* s = session();
  if (!s) return nullptr;
  for (const auto& m : s->messages) {
    if (m.role == core::Role::User && m.id == id) return &m;
  }
  return nullptr;
}

const core::Message* TestClient::reply(const std::string& requestId) const {
  const auto* s = session();
  if (!s) return nullptr;
  for (const auto& m : s->messages) {
    if (m.role == core::Role::Assistant && m.requestId == requestId) return &m;
  }
  return nullptr;
}

bool TestClient::replyComplete(const std::string& requestId) const {
  const auto* m = reply(requestId);
  return m && m->status == core::MessageStatus::Complete;
}

bool TestClient::waitReply(const std::string& requestId, std::chrono::milliseconds timeout) {
  return waitFor([&] { return replyComplete(requestId); }, timeout);
}

const core::ApprovalCard* TestClient::approvalFor(const std::string& requestId) const {
  const auto* s = session();
  if (!s) return nullptr;
  for (const auto& a : s->approvals) {
    if (a.requestId == requestId) return &a;
  }
  return nullptr;
}

const core::ToolCard* TestClient::toolFor(const std::string& requestId) const {
  const auto* s = session();
  if (!s) return nullptr;
  for (const auto& t : s->tools) {
    if (t.requestId == requestId) return &t;
  }
  return nullptr;
}

std::string TestClient::completionKey(core::Role role, const std::string& id) {
  switch (role) {
    case core::Role::User: return "user:" + id;
    case core::Role::Assistant: return "reply:" + id;
    case core::Role::System: return "system:" + id;
    case core::Role::Error: return "error:" + id;
  }
  return id;
}

int TestClient::completions(core::Role role, const std::string& id) const {
  auto it = completions_.find(completionKey(role, id));
  return it == completions_.end() ? 0 : it->second;
}

}  // namespace chat::itest
