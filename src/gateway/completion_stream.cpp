#include "gateway/completion_stream.h"

#include <nlohmann/json.hpp>

namespace chat::gateway {

namespace {

std::string stringAt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t intAt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

CompletionAssembler::ChunkResult CompletionAssembler::apply(std::string_view data) {
  ChunkResult result;
  if (data == "[DONE]") {
    done_ = true;
    return result;
  }
  auto chunk = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
  if (!chunk.is_object()) {
    result.error = "the upstream sent a chunk that is not a JSON object";
    return result;
  }
  if (auto e = chunk.find("error"); e != chunk.end()) {
    std::string message = e->is_object() ? stringAt(*e, "message") : "";
    if (message.empty() && e->is_string()) message = e->get<std::string>();
    result.error = message.empty() ? "the upstream reported an error" : message;
    return result;
  }
  if (auto u = chunk.find("usage"); u != chunk.end() && u->is_object()) {
    usage_ = UpstreamUsage{intAt(*u, "prompt_tokens"), intAt(*u, "completion_tokens")};
  }
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return result;
  const nlohmann::json& choice = (*choices)[0];
  if (!choice.is_object()) return result;
  if (auto f = choice.find("finish_reason"); f != choice.end() && f->is_string())
    finishReason_ = f->get<std::string>();
  auto d = choice.find("delta");
  if (d == choice.end() || !d->is_object()) return result;
  const nlohmann::json& delta = *d;
  result.content = stringAt(delta, "content");
  result.reasoning = stringAt(delta, "reasoning_content");
  if (result.reasoning.empty()) result.reasoning = stringAt(delta, "reasoning");
  content_ += result.content;
  if (auto calls = delta.find("tool_calls"); calls != delta.end() && calls->is_array()) {
    for (const auto& fragment : *calls) {
      if (!fragment.is_object()) continue;
      std::string id = stringAt(fragment, "id");
      AssembledToolCall& call = calls_[indexOf(fragment, id)];
      if (!id.empty()) call.id = id;
      if (auto fn = fragment.find("function"); fn != fragment.end() && fn->is_object()) {
        std::string name = stringAt(*fn, "name");
        if (!name.empty()) call.name = name;
        call.arguments += stringAt(*fn, "arguments");
      }
    }
  }
  return result;
}

int64_t CompletionAssembler::indexOf(const nlohmann::json& fragment, const std::string& id) const {
  if (auto it = fragment.find("index"); it != fragment.end() && it->is_number_integer())
    return it->get<int64_t>();
  // Some servers (Ollama's older OpenAI layer) send whole calls without an index: a new id is
  // a new call, a known id that call, no id the latest call.
  if (!id.empty()) {
    for (const auto& [index, call] : calls_)
      if (call.id == id) return index;
    return calls_.empty() ? 0 : calls_.rbegin()->first + 1;
  }
  return calls_.empty() ? 0 : calls_.rbegin()->first;
}

std::vector<AssembledToolCall> CompletionAssembler::toolCalls() const {
  std::vector<AssembledToolCall> out;
  for (const auto& [index, call] : calls_) {
    AssembledToolCall c = call;
    if (c.id.empty()) c.id = "call_" + std::to_string(index);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace chat::gateway
