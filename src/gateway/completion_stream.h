// One streamed Chat Completions response, assembled from its chunks (the data of each
// server-sent event, sse_parser.h). Pure: unit tested with the shapes real servers send.
//
// - choices[0].delta.content: reply text; delta.reasoning_content or delta.reasoning
//   (DeepSeek, vLLM, llama.cpp, OpenRouter): reasoning text. Both returned per chunk so the
//   caller streams them on.
// - choices[0].delta.tool_calls: fragments keyed by `index`; the first fragment of a call
//   usually has id and function.name, the arguments come in pieces that are concatenated.
// - choices[0].finish_reason ("stop", "tool_calls", "length", ...).
// - usage {prompt_tokens, completion_tokens}: usually on a final chunk with empty choices.
// - "[DONE]" ends the stream. A chunk {"error":{"message"}} is an error reported in-stream.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace chat::gateway {

struct AssembledToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text as the model wrote it (may be invalid)
};

struct UpstreamUsage {
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
};

class CompletionAssembler {
 public:
  struct ChunkResult {
    std::string content;    // reply text this chunk added
    std::string reasoning;  // reasoning text this chunk added
    std::string error;      // not empty: the chunk was not valid, or carried an error
  };

  ChunkResult apply(std::string_view data);

  bool done() const { return done_; }  // "[DONE]" seen
  const std::string& finishReason() const { return finishReason_; }
  const std::string& content() const { return content_; }
  const std::optional<UpstreamUsage>& usage() const { return usage_; }
  // The calls in index order; a call without id gets "call_<index>".
  std::vector<AssembledToolCall> toolCalls() const;

 private:
  // The call a fragment belongs to: its `index`, or (servers that leave it out) by its id.
  int64_t indexOf(const nlohmann::json& fragment, const std::string& id) const;

  bool done_ = false;
  std::string finishReason_;
  std::string content_;
  std::optional<UpstreamUsage> usage_;
  std::map<int64_t, AssembledToolCall> calls_;
};

}  // namespace chat::gateway
