#include "gateway/message_id_use.h"

#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace chat::gateway {

// FNV-1a: a stable digest (std::hash may differ between builds, and the digest is stored).
std::string digestOf(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::optional<MessageIdUse> useOf(const proto::ClientMessage& message) {
  if (auto* m = std::get_if<proto::ChatSend>(&message))
    return MessageIdUse{"chat.send", m->sessionId.value_or(""),
                        digestOf(m->content + '\0' + m->model.value_or("") + '\0' +
                                 m->agentId.value_or(""))};
  if (auto* m = std::get_if<proto::ChatCancel>(&message))
    return MessageIdUse{"chat.cancel", m->requestId, ""};
  if (auto* m = std::get_if<proto::ToolApprovalResponse>(&message))
    return MessageIdUse{"tool.approval.response", m->toolCallId,
                        std::string(m->approved ? "1" : "0") + (m->sessionApprove ? "1" : "0")};
  return std::nullopt;
}

bool sameUse(const MessageIdUse& stored, const MessageIdUse& incoming) {
  if (stored.type != incoming.type || stored.digest != incoming.digest) return false;
  if (incoming.type == "chat.send" && incoming.target.empty()) return true;
  return stored.target == incoming.target;
}

std::string encodeProcessedReply(const std::string& ackFrame, const MessageIdUse& use) {
  return nlohmann::json{{"reply", ackFrame},
                        {"use", {{"type", use.type}, {"target", use.target}, {"digest", use.digest}}}}
      .dump();
}

ProcessedReply decodeProcessedReply(const std::string& stored) {
  ProcessedReply out;
  out.frame = stored;
  auto j = nlohmann::json::parse(stored, nullptr, false);
  if (!j.is_object()) return out;
  auto reply = j.find("reply");
  auto use = j.find("use");
  if (reply == j.end() || !reply->is_string() || use == j.end() || !use->is_object()) return out;
  out.frame = reply->get<std::string>();
  MessageIdUse u;
  u.type = use->value("type", "");
  u.target = use->value("target", "");
  u.digest = use->value("digest", "");
  out.use = u;
  return out;
}

}  // namespace chat::gateway
