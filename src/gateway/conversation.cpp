#include "gateway/conversation.h"

#include <map>
#include <variant>

namespace chat::gateway {

namespace {

// A tool's result as the API's tool message content: text as is, anything else as JSON.
std::string resultText(const nlohmann::json& result) {
  return result.is_string() ? result.get<std::string>() : result.dump();
}

// Builds the messages, turn by turn (a turn starts at a user message).
class Builder {
 public:
  void user(const std::string& content) {
    closeAssistant();
    turns_.emplace_back();
    turns_.back().push_back({{"role", "user"}, {"content", content}});
  }
  void text(const std::string& delta) {
    if (assistant_.is_null() || !calls_.empty()) {  // text after tool results: a new message
      closeAssistant();
      assistant_ = {{"role", "assistant"}, {"content", ""}};
    }
    assistant_["content"] = assistant_["content"].get<std::string>() + delta;
  }
  void call(const std::string& id, const std::string& name, const std::string& args) {
    if (id.empty() || callIndex_.count(id)) return;  // approval request, then its tool.call
    if (assistant_.is_null()) assistant_ = {{"role", "assistant"}, {"content", ""}};
    callIndex_[id] = calls_.size();
    calls_.push_back({{"id", id},
                      {"type", "function"},
                      {"function", {{"name", name}, {"arguments", args}}}});
  }
  void result(const std::string& id, const std::string& content) {
    if (!callIndex_.count(id) || answered_.count(id)) return;
    answered_[id] = content;
  }
  void endTurnPart() { closeAssistant(); }

  std::vector<std::vector<nlohmann::json>> take() {
    closeAssistant();
    return std::move(turns_);
  }

 private:
  void closeAssistant() {
    if (assistant_.is_null()) return;
    if (turns_.empty()) turns_.emplace_back();
    auto& turn = turns_.back();
    if (!calls_.empty()) {
      assistant_["tool_calls"] = calls_;
      if (assistant_["content"].get<std::string>().empty()) assistant_["content"] = nullptr;
    }
    bool empty = calls_.empty() && assistant_["content"].is_string() &&
                 assistant_["content"].get<std::string>().empty();
    if (!empty) turn.push_back(assistant_);
    for (const auto& c : calls_) {
      const std::string id = c["id"];
      auto a = answered_.find(id);
      turn.push_back({{"role", "tool"},
                      {"tool_call_id", id},
                      {"content", a != answered_.end() ? a->second
                                                       : std::string("error: no result (the turn was interrupted)")}});
    }
    assistant_ = nullptr;
    calls_.clear();
    callIndex_.clear();
    answered_.clear();
  }

  std::vector<std::vector<nlohmann::json>> turns_;
  nlohmann::json assistant_;  // null: none open
  std::vector<nlohmann::json> calls_;
  std::map<std::string, std::size_t> callIndex_;
  std::map<std::string, std::string> answered_;
};

}  // namespace

int64_t estimateTokens(const nlohmann::json& message) {
  std::size_t bytes = 0;
  if (auto c = message.find("content"); c != message.end() && c->is_string())
    bytes += c->get_ref<const std::string&>().size();
  if (auto t = message.find("tool_calls"); t != message.end()) bytes += t->dump().size();
  return static_cast<int64_t>((bytes + 3) / 4) + 4;
}

nlohmann::json buildConversation(const std::vector<proto::GatewayMessage>& events,
                                 const std::string& requestId, const std::string& systemPrompt,
                                 int64_t contextTokens) {
  Builder b;
  for (const proto::GatewayMessage& e : events) {
    if (const auto* m = std::get_if<proto::ChatMessageEvent>(&e)) {
      b.user(m->content);
      if (m->messageId == requestId) break;
    } else if (const auto* d = std::get_if<proto::StreamDelta>(&e)) {
      b.text(d->delta);
    } else if (const auto* c = std::get_if<proto::ToolCall>(&e)) {
      b.call(c->toolCallId, c->toolName, c->args.dump());
    } else if (const auto* a = std::get_if<proto::ToolApprovalRequest>(&e)) {
      b.call(a->toolCallId, a->toolName, a->args.dump());
    } else if (const auto* r = std::get_if<proto::ToolResult>(&e)) {
      b.result(r->toolCallId, resultText(r->result));
    } else if (const auto* t = std::get_if<proto::ToolError>(&e)) {
      b.result(t->toolCallId, "error: " + t->error);
    } else if (std::holds_alternative<proto::StreamEnd>(e)) {
      b.endTurnPart();
    }
  }
  auto turns = b.take();

  nlohmann::json messages = nlohmann::json::array();
  int64_t used = 0;
  nlohmann::json system;
  if (!systemPrompt.empty()) {
    system = {{"role", "system"}, {"content", systemPrompt}};
    used += estimateTokens(system);
  }
  // Newest turn first: the current one always, older ones while they fit.
  std::size_t keepFrom = turns.size();
  for (std::size_t i = turns.size(); i-- > 0;) {
    int64_t cost = 0;
    for (const auto& m : turns[i]) cost += estimateTokens(m);
    const bool current = i + 1 == turns.size();
    if (!current && contextTokens > 0 && used + cost > contextTokens) break;
    used += cost;
    keepFrom = i;
  }
  if (!system.is_null()) messages.push_back(system);
  for (std::size_t i = keepFrom; i < turns.size(); ++i)
    for (auto& m : turns[i]) messages.push_back(std::move(m));
  return messages;
}

}  // namespace chat::gateway
