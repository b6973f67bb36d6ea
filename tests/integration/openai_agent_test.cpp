// The gateway as an agent host: the real chat-gateway with --upstream pointing at the fake
// OpenAI-compatible server (fake_upstream.h), driven over a raw WebSocket. Each behaviour of
// issue 11: streaming with usage, the conversation from the log (also after a restart),
// tools with approvals running real commands, retries, every failure shown and logged, cancel
// closing the upstream connection, the API key never reaching a client.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "fake_upstream.h"
#include "fixture.h"

namespace chat::itest {
namespace {

using json = nlohmann::json;

constexpr const char* kKey = "sk-test-SECRET-0123456789";

class OpenAiAgentTest : public GatewayTest {
 protected:
  bool start(std::vector<std::string> extra = {}, std::string db = ":memory:") {
    std::ofstream(dir.file("key")) << kKey << "\n";
    GatewayOptions o;
    o.db = std::move(db);
    o.extraArgs = {"--upstream", upstream.baseUrl(), "--model", "fake-model", "--api-key-file",
                   dir.file("key")};
    for (auto& e : extra) o.extraArgs.push_back(e);
    if (!startGateway(o)) return false;
    ws = std::make_unique<RawWs>(loop);
    return ws->open(gateway->wsUrl()) && ws->authenticate("test");
  }

  // Sends a chat.send and returns every frame of that turn up to its chat.stream.end.
  std::vector<json> turn(const std::string& id, const std::string& content,
                         std::chrono::milliseconds timeout = 15s) {
    send(id, content);
    return until(id, "chat.stream.end", timeout);
  }
  void send(const std::string& id, const std::string& content) {
    ws->send({{"type", "chat.send"}, {"id", id}, {"sessionId", session}, {"content", content}});
  }
  // Frames of turn `id` until one of `type` (included).
  std::vector<json> until(const std::string& id, const std::string& type,
                          std::chrono::milliseconds timeout = 15s) {
    std::vector<json> frames;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto f = ws->next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!f) break;
      if (!f->is_object() || f->value("sessionId", "") != session) continue;
      frames.push_back(*f);
      if (f->value("type", "") == type && (f->value("requestId", "") == id || type == "tool.approval.resolved"))
        return frames;
    }
    ADD_FAILURE() << "no " << type << " for " << id;
    return frames;
  }
  static std::string text(const std::vector<json>& frames) {
    std::string s;
    for (const auto& f : frames)
      if (f.value("type", "") == "chat.stream.delta") s += f.value("delta", "");
    return s;
  }
  static std::vector<json> ofType(const std::vector<json>& frames, const std::string& type) {
    std::vector<json> out;
    for (const auto& f : frames)
      if (f.value("type", "") == type) out.push_back(f);
    return out;
  }
  static std::string errors(const std::vector<json>& frames) {
    std::string s;
    for (const auto& f : ofType(frames, "error")) s += f.value("message", "") + "\n";
    return s;
  }
  static std::string stopReason(const std::vector<json>& frames) {
    return frames.empty() ? "" : frames.back().value("stopReason", "");
  }

  FakeUpstream upstream;
  TempDir dir;
  std::unique_ptr<RawWs> ws;
  std::string session = newSessionId();
};

TEST_F(OpenAiAgentTest, StreamsTheReplyWithUsageAndSendsTheRightRequest) {
  ASSERT_TRUE(start());
  auto frames = turn("c-1", "hello there");
  EXPECT_EQ(text(frames), "You said: hello there. I have seen 1 messages.");
  EXPECT_EQ(stopReason(frames), "end");
  EXPECT_EQ(ofType(frames, "chat.stream.start").at(0)["model"], "fake-model");
  EXPECT_EQ(frames.back()["usage"]["inputTokens"], 42);
  EXPECT_GT(frames.back()["usage"]["outputTokens"].get<int>(), 5);

  auto requests = upstream.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json& body = requests[0].body;
  EXPECT_EQ(requests[0].authorization, std::string("Bearer ") + kKey);
  EXPECT_EQ(body["model"], "fake-model");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["messages"], json::array({{{"role", "user"}, {"content", "hello there"}}}));
  // time is always offered; no file or shell tools without --workspace.
  ASSERT_EQ(body["tools"].size(), 1u);
  EXPECT_EQ(body["tools"][0]["function"]["name"], "time");
  // The log has the same reply (what a reload shows).
  EXPECT_EQ(text(api().events(session)), text(frames));
}

TEST_F(OpenAiAgentTest, ReasoningArrivesAsItsOwnEventsAndIsReplayedButNotSentBack) {
  ASSERT_TRUE(start());
  auto frames = turn("c-1", "hello there");
  // Both spellings (reasoning_content, reasoning) become chat.stream.reasoning, before the
  // reply's text, which stays without them.
  std::string reasoning;
  std::size_t lastReasoning = 0, firstDelta = frames.size();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const std::string type = frames[i].value("type", "");
    if (type == "chat.stream.reasoning") {
      reasoning += frames[i].value("delta", "");
      lastReasoning = i;
      EXPECT_EQ(frames[i]["requestId"], "c-1");
    }
    if (type == "chat.stream.delta" && firstDelta == frames.size()) firstDelta = i;
  }
  EXPECT_EQ(reasoning, "The user said something; answer it.");
  EXPECT_LT(lastReasoning, firstDelta);
  EXPECT_EQ(text(frames), "You said: hello there. I have seen 1 messages.");
  // Logged: a reload replays it.
  std::string logged;
  for (const auto& e : ofType(api().events(session), "chat.stream.reasoning")) logged += e.value("delta", "");
  EXPECT_EQ(logged, reasoning);
  // The next turn's conversation has the reply, not its reasoning.
  turn("c-2", "again");
  const json messages = upstream.requests().back().body["messages"];
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1]["content"], text(frames));
  EXPECT_EQ(messages.dump().find("answer it"), std::string::npos);
}

TEST_F(OpenAiAgentTest, ModelListOffersTheUpstreamsModelsAndChatSendPicksOne) {
  ASSERT_TRUE(start());
  ws->send({{"type", "model.list"}, {"id", "m-1"}});
  std::optional<json> list;
  for (int i = 0; i < 20 && !list; ++i) {
    auto f = ws->next(5s);
    if (!f) break;
    if (f->value("type", "") == "model.list") list = *f;
  }
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ((*list)["requestId"], "m-1");
  EXPECT_EQ((*list)["models"], json::array({{{"id", "fake-model"}}, {{"id", "fake-reasoner"}}}));
  EXPECT_FALSE(list->contains("error"));
  // The picked model is the one the turn uses, upstream and in the stream's start.
  ws->send({{"type", "chat.send"}, {"id", "c-1"}, {"sessionId", session}, {"content", "hi"},
            {"model", "fake-reasoner"}});
  auto frames = until("c-1", "chat.stream.end");
  EXPECT_EQ(ofType(frames, "chat.stream.start").at(0)["model"], "fake-reasoner");
  EXPECT_EQ(upstream.requests().back().body["model"], "fake-reasoner");
  // Without a pick: the default.
  auto next = turn("c-2", "hi again");
  EXPECT_EQ(upstream.requests().back().body["model"], "fake-model");
  // Over HTTP too.
  auto r = api().post("/send", json{{"type", "model.list"}, {"id", "m-2"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("fake-reasoner"), std::string::npos) << r.body;
}

TEST_F(OpenAiAgentTest, ModelListOfAnUnreachableUpstreamStillOffersTheDefault) {
  GatewayOptions o;
  o.db = ":memory:";
  o.extraArgs = {"--upstream", "http://127.0.0.1:1/v1", "--model", "only-model"};
  ASSERT_TRUE(startGateway(o));
  ws = std::make_unique<RawWs>(loop);
  ASSERT_TRUE(ws->open(gateway->wsUrl()) && ws->authenticate("test"));
  ws->send({{"type", "model.list"}, {"id", "m-1"}});
  std::optional<json> list;
  for (int i = 0; i < 20 && !list; ++i) {
    auto f = ws->next(5s);
    if (!f) break;
    if (f->value("type", "") == "model.list") list = *f;
  }
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ((*list)["models"], json::array({{{"id", "only-model"}}}));
  EXPECT_FALSE((*list).value("error", "").empty());
}

TEST_F(OpenAiAgentTest, TheApiKeyNeverReachesAClientOrTheLog) {
  ASSERT_TRUE(start());
  turn("c-1", "hello");
  turn("c-2", "error body");
  for (const auto& f : ws->history()) EXPECT_EQ(f.dump().find("SECRET"), std::string::npos) << f.dump();
  for (const auto& e : api().events(session)) EXPECT_EQ(e.dump().find("SECRET"), std::string::npos);
  EXPECT_EQ(gateway->output().find("SECRET"), std::string::npos) << "the key was logged";
  for (const char* path : {"/sessions", "/config", "/health"}) {
    auto r = api().get(path);
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
  }
}

TEST_F(OpenAiAgentTest, ConversationIsRebuiltFromTheLogAfterARestart) {
  const std::string db = dir.file("chat.db");
  ASSERT_TRUE(start({"--context-tokens", "100000"}, db));
  auto first = turn("c-1", "my name is Ada");
  ASSERT_EQ(stopReason(first), "end");
  ws.reset();
  gateway->stop(SIGTERM);
  ASSERT_TRUE(start({}, db));
  auto second = turn("c-2", "what is my name");
  EXPECT_EQ(text(second), "You said: what is my name. I have seen 3 messages.");
  const json messages = upstream.requests().back().body["messages"];
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0]["content"], "my name is Ada");
  EXPECT_EQ(messages[1]["role"], "assistant");
  EXPECT_EQ(messages[1]["content"], text(first));
  EXPECT_EQ(messages[2]["content"], "what is my name");
}

TEST_F(OpenAiAgentTest, ContextBudgetDropsTheOldestTurnsAndKeepsTheSystemPrompt) {
  std::ofstream(dir.file("system.txt")) << "You are terse.";
  ASSERT_TRUE(start({"--system-prompt", dir.file("system.txt"), "--context-tokens", "60"}));
  turn("c-1", "first " + std::string(200, 'x'));
  turn("c-2", "second");
  const json messages = upstream.requests().back().body["messages"];
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[0], (json{{"role", "system"}, {"content", "You are terse."}}));
  EXPECT_EQ(messages.back()["content"], "second");
  for (const auto& m : messages) EXPECT_EQ(m.value("content", "").find("first"), std::string::npos);
}

TEST_F(OpenAiAgentTest, ApprovedShellCallRunsAndStreamsItsOutput) {
  TempDir workspace;
  ASSERT_TRUE(start({"--workspace", workspace.path(), "--allow-shell"}));
  send("c-sh", "shell: echo hi-from-shell; pwd");
  auto asked = until("c-sh", "tool.approval.request");
  const json request = asked.back();
  EXPECT_EQ(request["toolName"], "shell");
  EXPECT_EQ(request["risk"], "high");
  EXPECT_EQ(request["args"]["command"], "echo hi-from-shell; pwd");
  ws->send({{"type", "tool.approval.response"}, {"id", "c-ok"}, {"toolCallId", request["toolCallId"]}, {"approved", true}});
  auto frames = until("c-sh", "chat.stream.end");
  ASSERT_EQ(ofType(frames, "tool.call").size(), 1u);
  std::string output;
  for (const auto& o : ofType(frames, "tool.output")) output += o.value("delta", "");
  EXPECT_NE(output.find("hi-from-shell\n"), std::string::npos) << output;
  auto results = ofType(frames, "tool.result");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["result"]["exitCode"], 0);
  EXPECT_NE(text(frames).find("hi-from-shell"), std::string::npos) << text(frames);
  EXPECT_EQ(stopReason(frames), "end");
  // The model got the result as a tool message answering its call.
  const json messages = upstream.requests().back().body["messages"];
  EXPECT_EQ(messages.back()["role"], "tool");
  EXPECT_EQ(messages.back()["tool_call_id"], request["toolCallId"]);
  EXPECT_EQ(upstream.requests().front().body["tools"].size(), 4u);
}

TEST_F(OpenAiAgentTest, DeniedShellCallIsAToolErrorAndTheModelIsTold) {
  TempDir workspace;
  ASSERT_TRUE(start({"--workspace", workspace.path(), "--allow-shell"}));
  send("c-sh", "shell: touch should-not-exist");
  auto asked = until("c-sh", "tool.approval.request");
  ws->send({{"type", "tool.approval.response"}, {"id", "c-no"}, {"toolCallId", asked.back()["toolCallId"]}, {"approved", false}});
  auto frames = until("c-sh", "chat.stream.end");
  auto errs = ofType(frames, "tool.error");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0]["error"], "denied by user");
  EXPECT_TRUE(ofType(frames, "tool.call").empty());
  EXPECT_FALSE(std::ifstream(workspace.file("should-not-exist")).good());
  EXPECT_EQ(stopReason(frames), "end");
  EXPECT_NE(text(frames).find("denied"), std::string::npos);
}

TEST_F(OpenAiAgentTest, ApproveForSessionSkipsLaterApprovals) {
  TempDir workspace;
  ASSERT_TRUE(start({"--workspace", workspace.path(), "--allow-shell"}));
  send("c-1", "shell: echo one");
  auto asked = until("c-1", "tool.approval.request");
  ws->send({{"type", "tool.approval.response"}, {"id", "c-ok"}, {"toolCallId", asked.back()["toolCallId"]},
            {"approved", true}, {"sessionApprove", true}});
  until("c-1", "chat.stream.end");
  auto second = turn("c-2", "shell: echo two");
  EXPECT_TRUE(ofType(second, "tool.approval.request").empty());
  ASSERT_EQ(ofType(second, "tool.result").size(), 1u);
  EXPECT_EQ(ofType(second, "tool.result")[0]["result"]["output"], "two\n");
}

TEST_F(OpenAiAgentTest, InvalidToolArgumentsGoBackToTheModelAsAToolError) {
  TempDir workspace;
  ASSERT_TRUE(start({"--workspace", workspace.path(), "--allow-shell"}));
  auto frames = turn("c-bad", "bad args");
  auto errs = ofType(frames, "tool.error");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0]["error"].get<std::string>().find("not a JSON object"), std::string::npos);
  EXPECT_TRUE(ofType(frames, "tool.approval.request").empty());
  EXPECT_EQ(stopReason(frames), "end");
  EXPECT_EQ(upstream.requests().back().body["messages"].back()["role"], "tool");
}

TEST_F(OpenAiAgentTest, TimeToolRunsWithoutApproval) {
  ASSERT_TRUE(start());
  auto frames = turn("c-t", "time please");
  ASSERT_EQ(ofType(frames, "tool.result").size(), 1u);
  EXPECT_TRUE(ofType(frames, "tool.result")[0]["result"].contains("utc"));
  EXPECT_NE(text(frames).find("unixMs"), std::string::npos);
}

TEST_F(OpenAiAgentTest, ToolRoundsAreCapped) {
  ASSERT_TRUE(start({"--max-tool-rounds", "2"}));
  auto frames = turn("c-loop", "loop tools");
  EXPECT_EQ(ofType(frames, "tool.result").size(), 2u);
  EXPECT_NE(errors(frames).find("--max-tool-rounds"), std::string::npos);
  EXPECT_EQ(stopReason(frames), "error");
}

TEST_F(OpenAiAgentTest, RateLimitIsRetriedHonouringRetryAfter) {
  ASSERT_TRUE(start());
  auto t0 = std::chrono::steady_clock::now();
  auto frames = turn("c-rl", "rate limit");
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_NE(errors(frames).find("retrying in 1.0 s"), std::string::npos) << errors(frames);
  EXPECT_NE(errors(frames).find("slow down"), std::string::npos);
  EXPECT_EQ(text(frames), "You said: rate limit. I have seen 1 messages.");
  EXPECT_EQ(stopReason(frames), "end");
  EXPECT_GE(elapsed, 900ms);
  EXPECT_EQ(upstream.requests().size(), 2u);
}

TEST_F(OpenAiAgentTest, ServerErrorsAreRetriedAFewTimesThenShown) {
  ASSERT_TRUE(start());
  auto frames = turn("c-5xx", "server error");
  EXPECT_EQ(stopReason(frames), "error");
  EXPECT_EQ(upstream.requests().size(), 4u);
  EXPECT_NE(errors(frames).find("HTTP 503: overloaded"), std::string::npos);
}

TEST_F(OpenAiAgentTest, ErrorBodyMessageIsShown) {
  ASSERT_TRUE(start());
  auto frames = turn("c-400", "error body");
  EXPECT_NE(errors(frames).find("model 'nope' not found"), std::string::npos) << errors(frames) << json(frames).dump();
  EXPECT_EQ(stopReason(frames), "error");
  EXPECT_EQ(upstream.requests().size(), 1u);  // a 400 is not retried
}

TEST_F(OpenAiAgentTest, ConnectionRefusedIsShown) {
  GatewayOptions o;
  o.extraArgs = {"--upstream", "http://127.0.0.1:1/v1", "--model", "m"};
  ASSERT_TRUE(startGateway(o));
  ws = std::make_unique<RawWs>(loop);
  ASSERT_TRUE(ws->open(gateway->wsUrl()) && ws->authenticate("test"));
  auto frames = turn("c-refused", "hello");
  EXPECT_NE(errors(frames).find("cannot connect"), std::string::npos) << errors(frames);
  EXPECT_EQ(stopReason(frames), "error");
}

TEST_F(OpenAiAgentTest, StalledUpstreamTimesOutKeepingThePartialReply) {
  ASSERT_TRUE(start({"--upstream-idle-s", "1"}));
  auto frames = turn("c-stall", "stall");
  EXPECT_EQ(text(frames), "Thinking about");
  EXPECT_NE(errors(frames).find("sent nothing for 1 s"), std::string::npos) << errors(frames);
  EXPECT_EQ(stopReason(frames), "error");
  EXPECT_EQ(text(api().events(session)), "Thinking about");
}

TEST_F(OpenAiAgentTest, StreamCutMidReplyKeepsThePartialReply) {
  ASSERT_TRUE(start());
  auto frames = turn("c-cut", "cut");
  EXPECT_EQ(text(frames), "This reply is cut");
  EXPECT_NE(errors(frames).find("ended mid-response"), std::string::npos) << errors(frames);
  EXPECT_EQ(stopReason(frames), "error");
}

TEST_F(OpenAiAgentTest, CancelClosesTheUpstreamConnectionAtOnce) {
  ASSERT_TRUE(start());
  send("c-long", "long 1000");
  until("c-long", "chat.stream.delta");
  ws->send({{"type", "chat.cancel"}, {"id", "c-stop"}, {"requestId", "c-long"}});
  auto t0 = std::chrono::steady_clock::now();
  auto frames = until("c-long", "chat.stream.end", 5s);
  EXPECT_EQ(stopReason(frames), "cancelled");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  // The fake sees the connection closed within a word or two.
  for (int i = 0; i < 100 && upstream.closedByClient() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(upstream.closedByClient(), 1);
}

TEST_F(OpenAiAgentTest, CostFromThePriceTable) {
  std::ofstream(dir.file("prices.json")) << R"({"fake-model":{"input":1000000,"output":2000000}})";
  ASSERT_TRUE(start({"--prices", dir.file("prices.json")}));
  auto frames = turn("c-1", "hello");
  const json& end = frames.back();
  const double out = end["usage"]["outputTokens"].get<double>();
  EXPECT_DOUBLE_EQ(end["cost"]["inputCost"].get<double>(), 42.0);
  EXPECT_DOUBLE_EQ(end["cost"]["outputCost"].get<double>(), out * 2);
}

TEST_F(OpenAiAgentTest, ModelWithoutAPriceHasNoCostRatherThanZero) {
  std::ofstream(dir.file("prices.json")) << R"({"other-model":{"input":1,"output":2}})";
  ASSERT_TRUE(start({"--prices", dir.file("prices.json")}));
  auto frames = turn("c-1", "hello");
  const json& end = frames.back();
  EXPECT_GT(end["usage"]["outputTokens"].get<int>(), 0);
  EXPECT_FALSE(end.contains("cost")) << end.dump();
  // The log says the same (a reload shows "cost unknown" too).
  auto logged = ofType(api().events(session), "chat.stream.end");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_FALSE(logged[0].contains("cost"));
}

TEST_F(OpenAiAgentTest, BadFlagsRefuseToStart) {
  GatewayOptions o;
  o.extraArgs = {"--upstream", upstream.baseUrl(), "--model", "m", "--prices", "/nonexistent.json"};
  GatewayProcess g(o);
  EXPECT_NE(g.start(), "");
}

}  // namespace
}  // namespace chat::itest
