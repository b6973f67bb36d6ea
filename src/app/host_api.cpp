#include "app/host_api.h"

#include <type_traits>
#include <utility>
#include <variant>

#include <emscripten.h>
#include <emscripten/eventloop.h>

#include "page/snapshot.h"
#include "web/js_bridge.h"

namespace chat::app {
namespace {

constexpr double kConfigRetryMs = 5000;

HostApi* g_host = nullptr;  // for the C callbacks of emscripten timers (one client per page)

}  // namespace

HostApi::HostApi(client::ChatClient& client, const web::AppConfig& config, std::function<void()> changed)
    : client_(client), config_(config), changed_(std::move(changed)),
      policy_(std::make_unique<web::EmbedPolicy>(config.parentOrigin)) {
  g_host = this;
}

// ---- calls --------------------------------------------------------------------------------------

std::string HostApi::send(const std::string& text) {
  std::string id = client_.send(text);
  changed_();
  return id;
}

std::string HostApi::cancel() {
  std::string id = client_.cancel();
  changed_();
  return id;
}

std::string HostApi::respond(const std::string& toolCallId, bool approved, bool sessionApprove) {
  std::string id = client_.respondToApproval(toolCallId, approved, sessionApprove);
  changed_();
  return id;
}

std::string HostApi::newSession() {
  std::string id = client_.newSession();
  changed_();
  return id;
}

std::string HostApi::switchSession(const std::string& id) {
  if (!web::isValidSessionId(id)) return "";
  std::string r = client_.switchSession(id);
  changed_();
  return r;
}

void HostApi::retryNow() { client_.retryNow(); }

void HostApi::setCredentials(const std::string& token, const std::string& pin) {
  client_.setCredentials(token, pin);
  changed_();
}

std::string HostApi::snapshotJson() const {
  return web::dumpJson(web::snapshotJson(client_.state(), client_.status()));
}

void HostApi::onHostMessage(const std::string& origin, bool fromParent, const std::string& json,
                            const std::function<bool(const std::string&)>& setTheme) {
  if (!policy_->accepts(origin, fromParent)) return;
  std::string error;
  auto cmd = web::parseHostCommand(json, &error);
  if (!cmd) {
    if (!error.empty()) emscripten_log(EM_LOG_WARN, "chat: host message ignored: %s", error.c_str());
    return;
  }
  switch (cmd->kind) {
    case web::HostCommand::Kind::Send: send(cmd->text); break;
    case web::HostCommand::Kind::Approve: respond(cmd->toolCallId, cmd->approved, cmd->sessionApprove); break;
    case web::HostCommand::Kind::Theme: setTheme(cmd->theme); break;
    case web::HostCommand::Kind::Session:
      if (cmd->sessionId.empty()) {
        newSession();
      } else {
        switchSession(cmd->sessionId);
      }
      break;
  }
}

// ---- events -------------------------------------------------------------------------------------

void HostApi::ready() {
  chatjs_expose_api();
  publish("ready", {{"sessionId", client_.state().currentSessionId},
                    {"status", web::statusName(client_.status())}});
  publish("status", web::statusJson(client_.status()));
  if (!config_.parentOrigin.empty()) fetchEmbedConfig();
}

void HostApi::onStatus(const net::Status& status) { publish("status", web::statusJson(status)); }

void HostApi::onEffect(const core::ChatState& state, const core::Effect& effect) {
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::MessageCompleted>) {
          nlohmann::json j = web::messageJson(state.sessions.at(e.sessionId).messages.at(e.index));
          j["sessionId"] = e.sessionId;
          publish("message", j);
        } else if constexpr (std::is_same_v<T, core::ApprovalRequested> ||
                             std::is_same_v<T, core::ApprovalResolved>) {
          nlohmann::json j = web::approvalJson(state.sessions.at(e.sessionId).approvals.at(e.index));
          j["sessionId"] = e.sessionId;
          publish("approval", j);
        }
      },
      effect);
}

void HostApi::publish(const std::string& type, const nlohmann::json& payload) {
  events_.push_back({type, web::dumpJson(payload), type != "ready"});
  if (!flushPending_) {
    flushPending_ = true;
    emscripten_async_call([](void*) { g_host->flush(); }, nullptr, 0);
  }
  changed_();
}

void HostApi::flush() {
  flushPending_ = false;
  std::vector<Event> events;
  events.swap(events_);
  for (const auto& e : events) {
    chatjs_publish(e.type.c_str(), e.json.c_str());
    if (e.toParent && parentReady_) {
      nlohmann::json fields = nlohmann::json::parse(e.json, nullptr, false);
      chatjs_post_parent(policy_->parentOrigin().c_str(), web::clientEnvelope(e.type, fields).c_str());
    }
  }
}

void HostApi::fetchEmbedConfig() {
  net::HttpTransport::Request req;
  req.url = config_.apiBase + "/config";
  req.timeoutMs = 10000;
  configHttp_.request(req, [this](const net::HttpTransport::Response& r) {
    if (r.status != 200) {
      // The gateway may not be up yet; embedding waits for its answer.
      emscripten_set_timeout([](void*) { g_host->fetchEmbedConfig(); }, kConfigRetryMs, nullptr);
      return;
    }
    policy_->setAllowlist(web::parseEmbedOrigins(r.body));
    if (!policy_->enabled()) {
      emscripten_log(EM_LOG_WARN, "chat: %s is not in the gateway's embed allowlist; postMessage is off",
                     policy_->parentOrigin().c_str());
      return;
    }
    parentReady_ = true;
    nlohmann::json ready = web::statusJson(client_.status());
    ready["sessionId"] = client_.state().currentSessionId;
    chatjs_post_parent(policy_->parentOrigin().c_str(), web::clientEnvelope("ready", ready).c_str());
  });
}

}  // namespace chat::app
