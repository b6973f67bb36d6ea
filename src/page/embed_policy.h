// Who the client may talk to when it runs inside another site's iframe, and what the host page
// may ask of it (the postMessage API).
//
// The client talks only to `parentOrigin` (from its URL), accepts only events whose origin is
// exactly that and whose source is window.parent, and only once the gateway's embed allowlist
// (GET <api>/config -> {embedOrigins:[...]}) has been fetched and contains that origin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace chat::web {

// The embedOrigins of a GET /api/config answer, normalized; invalid entries are dropped, "*"
// (any origin) is kept as is. Bad JSON or no such field -> empty (nobody may embed).
std::vector<std::string> parseEmbedOrigins(const std::string& configJson);

class EmbedPolicy {
 public:
  // parentOrigin: the ?parentOrigin= value (already normalized), "" when not embedded.
  explicit EmbedPolicy(std::string parentOrigin);

  void setAllowlist(std::vector<std::string> origins);
  bool allowlistLoaded() const { return loaded_; }
  const std::string& parentOrigin() const { return parentOrigin_; }

  // True once the parent may be talked to: a parent origin is configured, the allowlist is
  // loaded and contains it.
  bool enabled() const;
  // Whether a 'message' event should be handled.
  bool accepts(const std::string& eventOrigin, bool sourceIsParent) const;

 private:
  std::string parentOrigin_;
  std::vector<std::string> allowlist_;
  bool loaded_ = false;
};

// A command from the host page: {source:"chat-host", v:1, type, ...}.
struct HostCommand {
  enum class Kind { Send, Approve, Theme, Session };
  Kind kind = Kind::Send;
  std::string text;        // send
  std::string toolCallId;  // approve
  bool approved = false;
  bool sessionApprove = false;
  std::string theme;      // theme: "dark" | "light" | "auto"
  std::string sessionId;  // session: "" = a new chat
};

// Parses a host message (already JSON-stringified by the page). Messages that are not from a
// chat host (other libraries' postMessage traffic) give nullopt with an empty *error; malformed
// chat-host messages give nullopt and a reason.
std::optional<HostCommand> parseHostCommand(const std::string& json, std::string* error);

// {source:"chat-client", v:1, type, ...fields} as JSON text (fields must be an object).
std::string clientEnvelope(const std::string& type, const nlohmann::json& fields);

}  // namespace chat::web
