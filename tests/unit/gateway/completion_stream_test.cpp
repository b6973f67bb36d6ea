// Assembly of streamed Chat Completions chunks: text, reasoning, tool-call fragments by index,
// finish_reason, a usage-only final chunk, [DONE], in-stream errors, bad chunks.
#include <gtest/gtest.h>

#include "gateway/completion_stream.h"

namespace chat::gateway {
namespace {

TEST(CompletionAssembler, ContentAndFinishReason) {
  CompletionAssembler a;
  EXPECT_EQ(a.apply(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})").content, "");
  EXPECT_EQ(a.apply(R"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})").content, "Hel");
  EXPECT_EQ(a.apply(R"({"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]})").content, "lo");
  a.apply(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
  EXPECT_EQ(a.content(), "Hello");
  EXPECT_EQ(a.finishReason(), "stop");
  EXPECT_FALSE(a.done());
  a.apply("[DONE]");
  EXPECT_TRUE(a.done());
  EXPECT_TRUE(a.toolCalls().empty());
}

TEST(CompletionAssembler, UsageOnlyFinalChunkWithEmptyChoices) {
  CompletionAssembler a;
  a.apply(R"({"choices":[{"delta":{"content":"x"}}],"usage":null})");
  EXPECT_FALSE(a.usage().has_value());
  auto r = a.apply(R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})");
  EXPECT_TRUE(r.error.empty());
  ASSERT_TRUE(a.usage().has_value());
  EXPECT_EQ(a.usage()->promptTokens, 12);
  EXPECT_EQ(a.usage()->completionTokens, 7);
}

TEST(CompletionAssembler, ReasoningContentAndReasoningFields) {
  CompletionAssembler a;
  EXPECT_EQ(a.apply(R"({"choices":[{"delta":{"reasoning_content":"think"}}]})").reasoning, "think");
  EXPECT_EQ(a.apply(R"({"choices":[{"delta":{"reasoning":"more"}}]})").reasoning, "more");
  EXPECT_EQ(a.content(), "");
}

TEST(CompletionAssembler, ToolCallFragmentsAssembledByIndex) {
  CompletionAssembler a;
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"shell","arguments":""}}]}}]})");
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"time","arguments":"{}"}}]}}]})");
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"comm"}}]}}]})");
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"and\": \"echo hi\"}"}}]}}]})");
  a.apply(R"({"choices":[{"delta":{},"finish_reason":"tool_calls"}]})");
  auto calls = a.toolCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_a");
  EXPECT_EQ(calls[0].name, "shell");
  EXPECT_EQ(calls[0].arguments, R"({"command": "echo hi"})");
  EXPECT_EQ(calls[1].id, "call_b");
  EXPECT_EQ(calls[1].name, "time");
  EXPECT_EQ(a.finishReason(), "tool_calls");
}

TEST(CompletionAssembler, CallWithoutIdOrIndexGetsOne) {
  CompletionAssembler a;
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"function":{"name":"time","arguments":"{}"}}]}}]})");
  auto calls = a.toolCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].id, "call_0");
}

TEST(CompletionAssembler, WholeCallsWithoutIndexStaySeparate) {
  CompletionAssembler a;
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"id":"c1","function":{"name":"time","arguments":"{}"}},{"id":"c2","function":{"name":"read_file","arguments":"{\"path\":"}}]}}]})");
  a.apply(R"({"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"\"a\"}"}}]}}]})");
  auto calls = a.toolCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "c1");
  EXPECT_EQ(calls[1].id, "c2");
  EXPECT_EQ(calls[1].arguments, R"({"path":"a"})");
}

TEST(CompletionAssembler, InStreamErrorAndBadChunks) {
  CompletionAssembler a;
  EXPECT_EQ(a.apply(R"({"error":{"message":"model overloaded"}})").error, "model overloaded");
  EXPECT_FALSE(a.apply("not json").error.empty());
  EXPECT_FALSE(a.apply("[1,2]").error.empty());
  // Odd but valid shapes are not errors.
  EXPECT_TRUE(a.apply(R"({"choices":[null]})").error.empty());
  EXPECT_TRUE(a.apply(R"({"choices":[{"delta":{"content":5}}]})").error.empty());
  EXPECT_TRUE(a.apply(R"({"choices":[{"delta":{"tool_calls":[7,{"index":"x"}]}}]})").error.empty());
}

}  // namespace
}  // namespace chat::gateway
