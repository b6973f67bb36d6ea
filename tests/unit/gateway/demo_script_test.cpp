// The demo agent's deterministic scripts: event order, approvals, cancel, usage and prices.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/demo_script.h"

using chat::gateway::DemoTurn;
using nlohmann::json;

namespace {

DemoTurn::Options options(const std::string& prompt, std::set<std::string> approved = {}) {
  DemoTurn::Options o;
  o.requestId = "c-1";
  o.prompt = prompt;
  o.toolCallId = "tc-1";
  o.sessionApprovedTools = std::move(approved);
  o.wallClockMs = [] { return int64_t(1700000000123); };
  return o;
}

// The events as their JSON (what the log stores, before sessionId and seq).
std::vector<json> wire(const std::vector<chat::proto::GatewayMessage>& events) {
  std::vector<json> out;
  for (const auto& e : events) out.push_back(chat::proto::toJson(e));
  return out;
}

// Steps the turn until it stops running; returns every event.
std::vector<json> runAll(DemoTurn& turn) {
  std::vector<json> all;
  for (int guard = 0; turn.state() == DemoTurn::State::Running && guard < 1000000; ++guard) {
    auto events = wire(turn.step());
    EXPECT_FALSE(events.empty()) << "a running turn always has a next step";
    all.insert(all.end(), events.begin(), events.end());
  }
  return all;
}

std::vector<std::string> types(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["type"]);
  return out;
}

std::string streamed(const std::vector<json>& events) {
  std::string text;
  for (const auto& e : events)
    if (e["type"] == "chat.stream.delta") text += e["delta"].get<std::string>();
  return text;
}

}  // namespace

TEST(DemoScript, PlainMessageStreamsAReplyQuotingItWordByWord) {
  DemoTurn turn(options("hello big world"));
  auto events = runAll(turn);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front()["type"], "chat.stream.start");
  EXPECT_EQ(events.front()["model"], "demo-1");
  EXPECT_EQ(events.back()["type"], "chat.stream.end");
  EXPECT_EQ(events.back()["stopReason"], "end");
  EXPECT_NE(streamed(events).find("\"hello big world\""), std::string::npos);
  for (const auto& e : events) EXPECT_EQ(e["requestId"], "c-1");
  int deltas = 0;
  for (const auto& e : events) deltas += e["type"] == "chat.stream.delta";
  EXPECT_EQ(events.back()["usage"]["inputTokens"], 3);
  EXPECT_EQ(events.back()["usage"]["outputTokens"], deltas);
  EXPECT_EQ(events.back()["usage"]["totalTokens"], 3 + deltas);
}

TEST(DemoScript, CostComesFromThePriceTable) {
  DemoTurn turn(options("/long 1000"));
  auto events = runAll(turn);
  const json& end = events.back();
  EXPECT_EQ(end["usage"]["outputTokens"], 1000);
  EXPECT_DOUBLE_EQ(end["cost"]["inputCost"].get<double>(), 2 * 3.0 / 1e6);
  EXPECT_DOUBLE_EQ(end["cost"]["outputCost"].get<double>(), 1000 * 15.0 / 1e6);
  EXPECT_DOUBLE_EQ(end["cost"]["totalCost"].get<double>(), 2 * 3.0 / 1e6 + 1000 * 15.0 / 1e6);
  EXPECT_DOUBLE_EQ(chat::gateway::priceOf("demo-mini").inputPerMillion, 0.25);
  EXPECT_DOUBLE_EQ(chat::gateway::priceOf("something-else").outputPerMillion, 15.0);
}

TEST(DemoScript, LongStreamsExactlyNWordsAndIsCapped) {
  DemoTurn turn(options("/long 37"));
  auto events = runAll(turn);
  int deltas = 0;
  for (const auto& e : events) deltas += e["type"] == "chat.stream.delta";
  EXPECT_EQ(deltas, 37);
  EXPECT_EQ(chat::gateway::splitWords(streamed(events)).size(), 37u);

  DemoTurn zero(options("/long 0"));
  EXPECT_EQ(types(runAll(zero)),
            (std::vector<std::string>{"chat.stream.start", "chat.stream.end"}));

  DemoTurn huge(options("/long 999999999"));
  auto capped = runAll(huge);
  EXPECT_EQ(capped.back()["usage"]["outputTokens"], chat::gateway::kMaxLongWords);
}

TEST(DemoScript, ToolTimeRunsWithoutApprovalAndReportsTheClock) {
  DemoTurn turn(options("/tool time"));
  auto events = runAll(turn);
  auto t = types(events);
  ASSERT_GE(t.size(), 4u);
  EXPECT_EQ(t[0], "chat.stream.start");
  EXPECT_EQ(t[1], "tool.call");
  EXPECT_EQ(t[2], "tool.result");
  EXPECT_EQ(events[1]["toolName"], "time");
  EXPECT_EQ(events[2]["result"]["epochMs"], 1700000000123);
  EXPECT_EQ(events[2]["result"]["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(t.back(), "chat.stream.end");
  EXPECT_NE(streamed(events).find("2023-11-14T22:13:20.123Z"), std::string::npos);
}

TEST(DemoScript, ShellAsksForApprovalThenStreamsSimulatedOutput) {
  DemoTurn turn(options("/tool shell ls -la /tmp"));
  auto first = wire(turn.step());
  ASSERT_EQ(types(first), (std::vector<std::string>{"chat.stream.start", "tool.approval.request"}));
  EXPECT_EQ(first[1]["risk"], "high");
  EXPECT_EQ(first[1]["args"]["command"], "ls -la /tmp");
  EXPECT_EQ(first[1]["toolCallId"], "tc-1");
  EXPECT_EQ(turn.state(), DemoTurn::State::AwaitingApproval);
  EXPECT_TRUE(turn.step().empty());

  auto resolved = wire(turn.resolveApproval(true, false));
  ASSERT_EQ(types(resolved), (std::vector<std::string>{"tool.approval.resolved", "tool.call"}));
  EXPECT_EQ(resolved[0]["approved"], true);
  EXPECT_EQ(resolved[0]["sessionApprove"], false);
  auto rest = runAll(turn);
  int outputs = 0;
  std::string output;
  for (const auto& e : rest) {
    if (e["type"] == "tool.output") {
      ++outputs;
      output += e["delta"].get<std::string>();
    }
  }
  EXPECT_GE(outputs, 5);
  EXPECT_EQ(output.rfind("$ ls -la /tmp\n", 0), 0u);
  auto result = std::find_if(rest.begin(), rest.end(),
                             [](const json& e) { return e["type"] == "tool.result"; });
  ASSERT_NE(result, rest.end());
  EXPECT_EQ((*result)["result"]["exitCode"], 0);
  EXPECT_EQ((*result)["result"]["output"], output);
  EXPECT_EQ(rest.back()["type"], "chat.stream.end");
  EXPECT_FALSE(turn.sessionApproved());
}

TEST(DemoScript, DeniedShellGivesToolErrorThenAShortReplyAndEnd) {
  DemoTurn turn(options("/tool shell rm -rf /"));
  turn.step();
  auto resolved = wire(turn.resolveApproval(false, true));
  ASSERT_EQ(types(resolved), (std::vector<std::string>{"tool.approval.resolved", "tool.error"}));
  EXPECT_EQ(resolved[0]["approved"], false);
  EXPECT_EQ(resolved[0]["sessionApprove"], false);
  EXPECT_EQ(resolved[1]["error"], "denied by user");
  auto rest = runAll(turn);
  EXPECT_FALSE(streamed(rest).empty());
  EXPECT_EQ(rest.back()["type"], "chat.stream.end");
  EXPECT_EQ(rest.back()["stopReason"], "end");
  EXPECT_FALSE(turn.sessionApproved());
}

TEST(DemoScript, ApproveForSessionIsRememberedAndSkipsTheNextRequest) {
  DemoTurn first(options("/tool shell ls"));
  first.step();
  first.resolveApproval(true, true);
  EXPECT_TRUE(first.sessionApproved());
  EXPECT_EQ(first.toolName(), "shell");

  DemoTurn second(options("/tool shell pwd", {"shell"}));
  auto events = runAll(second);
  auto t = types(events);
  EXPECT_EQ(std::count(t.begin(), t.end(), "tool.approval.request"), 0);
  EXPECT_EQ(t[1], "tool.call");
  EXPECT_EQ(t.back(), "chat.stream.end");
}

TEST(DemoScript, FailProducesAToolError) {
  DemoTurn turn(options("/fail"));
  auto events = runAll(turn);
  auto t = types(events);
  ASSERT_GE(t.size(), 4u);
  EXPECT_EQ(t[1], "tool.call");
  EXPECT_EQ(t[2], "tool.error");
  EXPECT_EQ(t.back(), "chat.stream.end");
}

TEST(DemoScript, MarkdownHasAFencedCppBlockAndAList) {
  DemoTurn turn(options("/markdown"));
  std::string text = streamed(runAll(turn));
  EXPECT_NE(text.find("```cpp\n"), std::string::npos);
  EXPECT_NE(text.find("\n- "), std::string::npos);
}

TEST(DemoScript, CancelEndsWithCancelledAndClosesAToolInFlight) {
  DemoTurn streaming(options("/long 50"));
  streaming.step();
  streaming.step();
  auto stop = wire(streaming.stop("cancelled", "cancelled by user"));
  ASSERT_EQ(types(stop), (std::vector<std::string>{"chat.stream.end"}));
  EXPECT_EQ(stop[0]["stopReason"], "cancelled");
  EXPECT_EQ(stop[0]["usage"]["outputTokens"], 1);
  EXPECT_EQ(streaming.state(), DemoTurn::State::Done);
  EXPECT_TRUE(streaming.stop("cancelled", "again").empty());

  DemoTurn waiting(options("/tool shell ls"));
  waiting.step();
  auto stopped = wire(waiting.stop("cancelled", "cancelled by user"));
  EXPECT_EQ(types(stopped), (std::vector<std::string>{"tool.error", "chat.stream.end"}));
}

TEST(DemoScript, StopBeforeTheFirstStepStillGivesAStart) {
  DemoTurn turn(options("hi"));
  auto stop = wire(turn.stop("error", "shutting down"));
  EXPECT_EQ(types(stop), (std::vector<std::string>{"chat.stream.start", "chat.stream.end"}));
}

TEST(DemoScript, SplitWordsKeepsEveryCharacter) {
  std::string text = "  a bb\n\nccc  \tdd \n";
  auto words = chat::gateway::splitWords(text);
  ASSERT_EQ(words.size(), 4u);
  std::string joined;
  for (const auto& w : words) joined += w;
  EXPECT_EQ(joined, text);
  EXPECT_TRUE(chat::gateway::splitWords("").empty());
}

TEST(DemoScript, UsesTheRequestedModel) {
  auto o = options("hi");
  o.model = "demo-mini";
  DemoTurn turn(o);
  EXPECT_EQ(wire(turn.step())[0]["model"], "demo-mini");
}
