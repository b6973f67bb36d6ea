#include "page/embed_policy.h"

#include <algorithm>

#include "page/config.h"
#include "page/url.h"

namespace chat::web {

std::vector<std::string> parseEmbedOrigins(const std::string& configJson) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(configJson, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return out;
  auto it = j.find("embedOrigins");
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    if (!e.is_string()) continue;
    const std::string& s = e.get_ref<const std::string&>();
    if (s == "*") out.push_back(s);
    else if (auto n = normalizeOrigin(s)) out.push_back(*n);
  }
  return out;
}

EmbedPolicy::EmbedPolicy(std::string parentOrigin) : parentOrigin_(std::move(parentOrigin)) {}

void EmbedPolicy::setAllowlist(std::vector<std::string> origins) {
  allowlist_ = std::move(origins);
  loaded_ = true;
}

bool EmbedPolicy::enabled() const {
  if (parentOrigin_.empty() || !loaded_) return false;
  return std::any_of(allowlist_.begin(), allowlist_.end(),
                     [&](const std::string& o) { return o == "*" || o == parentOrigin_; });
}

bool EmbedPolicy::accepts(const std::string& eventOrigin, bool sourceIsParent) const {
  if (!enabled() || !sourceIsParent) return false;
  // Exact comparison against the browser-provided origin: a host-supplied string is never
  // normalized into a match.
  return eventOrigin == parentOrigin_;
}

namespace {

bool getString(const nlohmann::json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool getBool(const nlohmann::json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace

std::optional<HostCommand> parseHostCommand(const std::string& json, std::string* error) {
  if (error) error->clear();
  auto fail = [&](const char* why) -> std::optional<HostCommand> {
    if (error) *error = why;
    return std::nullopt;
  };
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto src = j.find("source");
  if (src == j.end() || *src != "chat-host") return std::nullopt;
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() || v->get<int64_t>() != 1)
    return fail("unsupported version (expected v:1)");
  std::string type;
  if (!getString(j, "type", &type)) return fail("type: missing");

  HostCommand c;
  if (type == "send") {
    c.kind = HostCommand::Kind::Send;
    if (!getString(j, "text", &c.text) && !getString(j, "content", &c.text))
      return fail("send: text missing");
    if (c.text.empty()) return fail("send: text is empty");
  } else if (type == "approve") {
    c.kind = HostCommand::Kind::Approve;
    if (!getString(j, "toolCallId", &c.toolCallId) || c.toolCallId.empty())
      return fail("approve: toolCallId missing");
    c.approved = getBool(j, "approved", false);
    c.sessionApprove = getBool(j, "sessionApprove", false);
  } else if (type == "theme") {
    c.kind = HostCommand::Kind::Theme;
    ThemeChoice t;
    if (!getString(j, "theme", &c.theme) || !parseThemeChoice(c.theme, &t))
      return fail("theme: expected dark, light or auto");
    c.theme = themeChoiceName(t);
  } else if (type == "session") {
    c.kind = HostCommand::Kind::Session;
    getString(j, "sessionId", &c.sessionId);
    if (!c.sessionId.empty() && !isValidSessionId(c.sessionId)) return fail("session: invalid sessionId");
  } else {
    return fail("type: unknown");
  }
  return c;
}

std::string clientEnvelope(const std::string& type, const nlohmann::json& fields) {
  nlohmann::json j = fields.is_object() ? fields : nlohmann::json::object();
  j["source"] = "chat-client";
  j["v"] = 1;
  j["type"] = type;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::web
