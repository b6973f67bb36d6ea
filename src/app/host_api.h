// The client's API to the page that hosts it: window.chatClient (calls and events) and, when
// framed, the postMessage channel to the parent page (web/embed.html shows both).
//
// Events come from the chat's effects (a message completed, an approval asked or resolved) and
// the connection's status; they are delivered on the next turn of the event loop, because a
// listener may call back into the client, which must not happen inside a ChatClient call.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/chat/effects.h"
#include "core/client/chat_client.h"
#include "page/config.h"
#include "page/embed_policy.h"
#include "web/browser_http.h"

namespace chat::app {

class HostApi {
 public:
  // `changed` is called after every call that may change what is drawn.
  HostApi(client::ChatClient& client, const web::AppConfig& config, std::function<void()> changed);

  // window.chatClient calls. Each returns the client message id ("" if refused).
  std::string send(const std::string& text);
  std::string cancel();
  std::string respond(const std::string& toolCallId, bool approved, bool sessionApprove);
  std::string newSession();
  std::string switchSession(const std::string& id);
  void retryNow();
  void setCredentials(const std::string& token, const std::string& pin);
  std::string snapshotJson() const;

  // A message from another window (postMessage). Theme changes are the app's: `setTheme`.
  void onHostMessage(const std::string& origin, bool fromParent, const std::string& json,
                     const std::function<bool(const std::string&)>& setTheme);

  // Events.
  void ready();  // the client started: 'ready' and 'status' to the page, the embed handshake
  void onEffect(const core::ChatState& state, const core::Effect& effect);
  void onStatus(const net::Status& status);
  bool embedEnabled() const { return parentReady_; }

 private:
  void publish(const std::string& type, const nlohmann::json& payload);
  void flush();
  void fetchEmbedConfig();

  client::ChatClient& client_;
  web::AppConfig config_;
  std::function<void()> changed_;
  web::BrowserHttp configHttp_;
  std::unique_ptr<web::EmbedPolicy> policy_;
  bool parentReady_ = false;
  bool flushPending_ = false;
  struct Event {
    std::string type;
    std::string json;
    bool toParent;
  };
  std::vector<Event> events_;
};

}  // namespace chat::app
