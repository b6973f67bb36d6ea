// ChatClient: the one object a front end (the wasm app, native tools, integration tests) needs.
// A pipe: the ConnectionEngine's messages go through the reducer, user intents through the
// intents, the client messages they make into the engine's outbox, and the effects both
// report (core/chat/effects.h) to the observers. It decides nothing itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/chat/chat_state.h"
#include "core/chat/reducer.h"
#include "core/net/connection_engine.h"

namespace chat::client {

struct Observers {
  // Every effect, in order, with the state it belongs to (already updated).
  std::function<void(const core::ChatState&, const core::Effect&)> onEffect;
  // Shorthands for two effects: MessageCompleted, and ApprovalRequested / ApprovalResolved.
  std::function<void(const std::string& sessionId, const core::Message&)> onMessageComplete;
  std::function<void(const std::string& sessionId, const core::ApprovalCard&)> onApproval;
  std::function<void(const net::Status&)> onStatus;
};

class ChatClient {
 public:
  ChatClient(net::EngineConfig config, net::Clock& clock, net::Random& random,
             net::WebSocketTransport& ws, net::HttpTransport& http, net::Storage& storage);
  ~ChatClient();

  void setObservers(Observers o);
  void start();
  void stop();
  void tick();

  // Intents. Each returns the client message id ("" and state().error set if refused).
  std::string send(const std::string& text);
  std::string cancel();
  std::string respondToApproval(const std::string& toolCallId, bool approved,
                                bool sessionApprove);
  std::string switchSession(const std::string& sessionId);
  // Makes a fresh client-named session ("s-" + 16 hex) and switches to it. Returns the new
  // session's id (not a message id), or "" if refused.
  std::string newSession();
  // Asks the gateway for its models (model.list); the answer lands in state().models.
  std::string refreshModels();
  // The current session's model for its next turns ("" = the gateway's default), remembered
  // per session in storage, so a reload (or a switch back) keeps the pick.
  void setModel(const std::string& model);
  // Opens / closes the "Thinking" block of the current session's reply to `requestId`.
  void toggleThinking(const std::string& requestId);

  // The session list (state().sessionList) keeps itself current: its first page is read when
  // the client starts, then the list feed is watched from that page's lastChange (session.watch
  // on every signed-in socket; GET /api/session-changes while polling), and after a reconnect
  // it catches up from the last change applied. A deleted chat on screen is left for the
  // next one. These return the client message id ("" if refused or nothing to do).
  std::string loadMoreSessions();  // the next page (the sidebar was scrolled near its end)
  std::string renameSession(const std::string& sessionId, const std::string& title);
  std::string archiveSession(const std::string& sessionId, bool archived);
  std::string deleteSession(const std::string& sessionId);
  std::string searchSessions(const std::string& query);
  void clearSessionSearch();
  // The current chat's last exchange: a new reply (regenerate / retry), or its user message
  // replaced and answered again.
  std::string regenerate();
  std::string editLastMessage(const std::string& messageId, const std::string& text);

  void retryNow();
  void notifyOnline();
  void notifyOffline();
  void notifyVisible();
  void setCredentials(const std::string& token, const std::string& pin);

  const core::ChatState& state() const;
  const net::Status& status() const;
  // The current session's history is still arriving in bulk (ConnectionEngine::loadingHistory).
  bool loadingHistory() const;
  // Bumped on every change of state or status: the UI redraws only when it moved.
  uint64_t version() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::client
