// Every message type, both directions: the encoder writes exactly the contract's JSON (checked
// against a golden object) and the decoder turns that text back into an equal message.
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"

namespace chat::proto {
namespace {

using nlohmann::json;

// Messages compare member-wise (the operator== every declaration gets).
template <class Variant>
bool sameMessage(const Variant& a, const Variant& b) {
  return a == b;
}

// ---- cases ----

template <class Variant>
struct RoundTripCase {
  std::string name;
  Variant message;
  std::string wire;  // the exact JSON object the contract prescribes
};

using ClientCase = RoundTripCase<ClientMessage>;
using GatewayCase = RoundTripCase<GatewayMessage>;

std::vector<ClientCase> clientCases() {
  return {
      {"auth_token", Auth{"c-1", std::string("tok-123"), std::nullopt},
       R"({"type":"auth","id":"c-1","token":"tok-123"})"},
      {"auth_pin", Auth{"c-2", std::nullopt, std::string("4711")},
       R"({"type":"auth","id":"c-2","pin":"4711"})"},
      // Anonymous (a gateway started with --no-auth): no credentials, or an empty token.
      {"auth_anonymous", Auth{"c-1", std::nullopt, std::nullopt}, R"({"type":"auth","id":"c-1"})"},
      {"auth_empty_token", Auth{"c-1", std::string(), std::nullopt},
       R"({"type":"auth","id":"c-1","token":""})"},
      {"chat_send_minimal", ChatSend{"c-3", "hello", std::nullopt, std::nullopt, std::nullopt},
       R"({"type":"chat.send","id":"c-3","content":"hello"})"},
      {"chat_send_full",
       ChatSend{"c-4", "grüß dich 😀", std::string("s-0123456789abcdef"),
                std::string("demo-large"), std::string("main")},
       R"({"type":"chat.send","id":"c-4","content":"grüß dich 😀",)"
       R"("sessionId":"s-0123456789abcdef","model":"demo-large","agentId":"main"})"},
      {"chat_cancel", ChatCancel{"c-5", "c-4"},
       R"({"type":"chat.cancel","id":"c-5","requestId":"c-4"})"},
      {"tool_approval_response", ToolApprovalResponse{"c-6", "tc-1", true, true},
       R"({"type":"tool.approval.response","id":"c-6","toolCallId":"tc-1","approved":true,)"
       R"("sessionApprove":true})"},
      {"tool_approval_response_denied", ToolApprovalResponse{"c-7", "tc-2", false, false},
       R"({"type":"tool.approval.response","id":"c-7","toolCallId":"tc-2","approved":false,)"
       R"("sessionApprove":false})"},
      {"session_list", SessionListRequest{"c-8"}, R"({"type":"session.list","id":"c-8"})"},
      {"session_resume", SessionResume{"c-9", "s-0123456789abcdef", 42},
       R"({"type":"session.resume","id":"c-9","sessionId":"s-0123456789abcdef","lastSeq":42})"},
      {"session_resume_from_start", SessionResume{"c-10", "s-1", 0},
       R"({"type":"session.resume","id":"c-10","sessionId":"s-1","lastSeq":0})"},
      {"thread_list", ThreadListRequest{"c-11", true},
       R"({"type":"thread.list","id":"c-11","includeArchived":true})"},
      {"ping", Ping{"c-12"}, R"({"type":"ping","id":"c-12"})"},
      {"session_list_page", SessionListRequest{"c-8", 100, std::string("1700000005000:s-2"), true},
       R"({"type":"session.list","id":"c-8","limit":100,"cursor":"1700000005000:s-2",)"
       R"("includeArchived":true})"},
      {"session_watch", SessionWatch{"c-20", 41},
       R"({"type":"session.watch","id":"c-20","afterChange":41})"},
      {"session_watch_from_start", SessionWatch{"c-20", 0},
       R"({"type":"session.watch","id":"c-20"})"},
      {"session_rename", SessionRename{"c-21", "s-1", "Trip plans"},
       R"({"type":"session.rename","id":"c-21","sessionId":"s-1","title":"Trip plans"})"},
      {"session_archive", SessionArchive{"c-22", "s-1", true},
       R"({"type":"session.archive","id":"c-22","sessionId":"s-1","archived":true})"},
      {"session_unarchive", SessionArchive{"c-22", "s-1", false},
       R"({"type":"session.archive","id":"c-22","sessionId":"s-1","archived":false})"},
      {"session_delete", SessionDelete{"c-23", "s-2"},
       R"({"type":"session.delete","id":"c-23","sessionId":"s-2"})"},
      {"session_search", SessionSearchRequest{"c-24", "lighthouse", 50},
       R"({"type":"session.search","id":"c-24","query":"lighthouse"})"},
      {"session_search_limit", SessionSearchRequest{"c-24", "light", 5},
       R"({"type":"session.search","id":"c-24","query":"light","limit":5})"},
      {"chat_regenerate", ChatRegenerate{"c-25", "s-1"},
       R"({"type":"chat.regenerate","id":"c-25","sessionId":"s-1"})"},
      {"chat_edit", ChatEdit{"c-26", "s-1", "c-3", "Where is the old lighthouse?"},
       R"({"type":"chat.edit","id":"c-26","sessionId":"s-1","messageId":"c-3",)"
       R"("content":"Where is the old lighthouse?"})"},
      {"model_list", ModelListRequest{"c-13"}, R"({"type":"model.list","id":"c-13"})"},
  };
}

SessionInfo info(std::string id, std::string title, int64_t lastSeq, bool archived) {
  SessionInfo s;
  s.sessionId = std::move(id);
  s.title = std::move(title);
  s.createdAt = 1700000000000;
  s.updatedAt = 1700000005000;
  s.lastSeq = lastSeq;
  s.archived = archived;
  return s;
}

std::vector<GatewayCase> gatewayCases() {
  StreamEnd end;
  end.sessionId = "s-1";
  end.seq = 9;
  end.requestId = "c-3";
  end.usage = {12, 34, 46};
  end.cost = Cost{0.25, 1.5, 1.75};
  end.stopReason = "end";
  StreamEnd cancelled = end;
  cancelled.seq = 10;
  cancelled.stopReason = "cancelled";
  cancelled.usage = {0, 0, 0};
  cancelled.cost = Cost{0, 0, 0};
  StreamEnd unpriced = end;  // a model without a price: its cost is unknown, not $0
  unpriced.cost.reset();

  ToolCall call;
  call.sessionId = "s-1";
  call.seq = 5;
  call.requestId = "c-3";
  call.toolCallId = "tc-1";
  call.toolName = "shell";
  call.args = {{"command", "ls -la"}, {"cwd", "/tmp"}, {"env", {{"A", 1}}}};

  ToolApprovalRequest approval;
  approval.sessionId = "s-1";
  approval.seq = 4;
  approval.requestId = "c-3";
  approval.toolCallId = "tc-1";
  approval.toolName = "shell";
  approval.args = {{"command", "rm -rf build"}};
  approval.risk = "high";
  ToolApprovalRequest approvalNoRisk = approval;
  approvalNoRisk.risk.reset();
  approvalNoRisk.args = json::object();

  ToolResult result;
  result.sessionId = "s-1";
  result.seq = 7;
  result.requestId = "c-3";
  result.toolCallId = "tc-1";
  result.toolName = "shell";
  result.result = {{"exitCode", 0}, {"stdout", "a\nb\n"}, {"files", {"a", "b"}}};

  ErrorEvent connError;
  connError.requestId = "c-99";
  connError.code = "bad_request";
  connError.message = "content: must not be empty";
  ErrorEvent sessionError;
  sessionError.code = "internal";
  sessionError.message = "agent crashed";
  sessionError.sessionId = "s-1";
  sessionError.seq = 11;
  ErrorEvent bareError;
  bareError.code = "unauthorized";
  bareError.message = "authenticate first";

  SessionInfo deleted;
  deleted.sessionId = "s-2";
  SearchResult titleHit;
  titleHit.sessionId = "s-1";
  titleHit.title = "Where is the lighthouse?";
  titleHit.match = "title";
  SearchResult messageHit = titleHit;
  messageHit.match = "message";
  messageHit.seq = 4;
  messageHit.messageId = "c-3";
  messageHit.role = "assistant";
  messageHit.snippet = "The lighthouse stands on the cliff";

  return {
      {"auth_ok", AuthOk{"cl-7", 15000, 1},
       R"({"type":"auth.ok","clientId":"cl-7","heartbeatMs":15000,"protocol":1})"},
      {"auth_failed", AuthFailed{"unauthorized", "wrong pin"},
       R"({"type":"auth.failed","code":"unauthorized","message":"wrong pin"})"},
      {"ack", Ack{"c-3"}, R"({"type":"ack","requestId":"c-3"})"},
      {"pong", Pong{"c-12"}, R"({"type":"pong","requestId":"c-12"})"},
      {"session_list",
       SessionList{"c-8", {info("s-1", "First chat", 12, false), info("s-2", "", 0, false)}, 41,
                   std::string("1700000005000:s-2")},
       R"({"type":"session.list","requestId":"c-8","lastChange":41,)"
       R"("nextCursor":"1700000005000:s-2","sessions":[)"
       R"({"sessionId":"s-1","title":"First chat","createdAt":1700000000000,)"
       R"("updatedAt":1700000005000,"lastSeq":12,"archived":false},)"
       R"({"sessionId":"s-2","title":"","createdAt":1700000000000,)"
       R"("updatedAt":1700000005000,"lastSeq":0,"archived":false}]})"},
      {"session_list_empty", SessionList{"c-8", {}, 0, std::nullopt},
       R"({"type":"session.list","requestId":"c-8","sessions":[],"lastChange":0})"},
      {"session_changed", SessionChanged{42, "retitled", info("s-1", "Trip plans", 12, false)},
       R"({"type":"session.changed","changeSeq":42,"change":"retitled","session":)"
       R"({"sessionId":"s-1","title":"Trip plans","createdAt":1700000000000,)"
       R"("updatedAt":1700000005000,"lastSeq":12,"archived":false}})"},
      {"session_changed_deleted", SessionChanged{43, "deleted", deleted},
       R"({"type":"session.changed","changeSeq":43,"change":"deleted","session":)"
       R"({"sessionId":"s-2"}})"},
      {"session_search_result", SessionSearchResult{"c-24", "lighthouse", {titleHit, messageHit}},
       R"({"type":"session.search","requestId":"c-24","query":"lighthouse","results":[)"
       R"({"sessionId":"s-1","title":"Where is the lighthouse?","archived":false,)"
       R"("match":"title"},)"
       R"({"sessionId":"s-1","title":"Where is the lighthouse?","archived":false,)"
       R"("match":"message","seq":4,"messageId":"c-3","role":"assistant",)"
       R"("snippet":"The lighthouse stands on the cliff"}]})"},
      {"thread_list",
       ThreadList{"c-11", {info("s-1", "Kept", 3, false), info("s-old", "Old", 40, true)}},
       R"({"type":"thread.list","requestId":"c-11","threads":[)"
       R"({"sessionId":"s-1","title":"Kept","createdAt":1700000000000,)"
       R"("updatedAt":1700000005000,"lastSeq":3,"archived":false},)"
       R"({"sessionId":"s-old","title":"Old","createdAt":1700000000000,)"
       R"("updatedAt":1700000005000,"lastSeq":40,"archived":true}]})"},
      {"model_list", ModelList{"c-13", {ModelInfo{"qwen3:8b"}, ModelInfo{"llama3.2:3b"}}, std::nullopt},
       R"({"type":"model.list","requestId":"c-13","models":[{"id":"qwen3:8b"},{"id":"llama3.2:3b"}]})"},
      {"model_list_error", ModelList{"c-13", {ModelInfo{"gpt-4o-mini"}}, std::string("connection refused")},
       R"({"type":"model.list","requestId":"c-13","models":[{"id":"gpt-4o-mini"}],)"
       R"("error":"connection refused"})"},
      {"session_resumed", SessionResumed{"s-1", 12},
       R"({"type":"session.resumed","sessionId":"s-1","lastSeq":12})"},
      {"session_created", SessionCreated{"s-1", 1, "agent:main:s-1"},
       R"({"type":"session.created","sessionId":"s-1","seq":1,"sessionKey":"agent:main:s-1"})"},
      {"chat_message", ChatMessageEvent{"s-1", 2, "c-3", "user", "hello", 1700000001000},
       R"({"type":"chat.message","sessionId":"s-1","seq":2,"messageId":"c-3","role":"user",)"
       R"("content":"hello","timestamp":1700000001000})"},
      {"chat_stream_start", StreamStart{"s-1", 3, "c-3", "demo", std::nullopt},
       R"({"type":"chat.stream.start","sessionId":"s-1","seq":3,"requestId":"c-3",)"
       R"("model":"demo"})"},
      {"chat_stream_start_routing", StreamStart{"s-1", 3, "c-3", "demo", std::string("fast")},
       R"({"type":"chat.stream.start","sessionId":"s-1","seq":3,"requestId":"c-3",)"
       R"("model":"demo","routing":"fast"})"},
      {"chat_stream_delta", StreamDelta{"s-1", 8, "c-3", "Hel"},
       R"({"type":"chat.stream.delta","sessionId":"s-1","seq":8,"requestId":"c-3",)"
       R"("delta":"Hel"})"},
      {"chat_stream_reasoning", StreamReasoning{"s-1", 4, "c-3", "The user asks for"},
       R"({"type":"chat.stream.reasoning","sessionId":"s-1","seq":4,"requestId":"c-3",)"
       R"("delta":"The user asks for"})"},
      {"chat_stream_end", end,
       R"({"type":"chat.stream.end","sessionId":"s-1","seq":9,"requestId":"c-3",)"
       R"("usage":{"inputTokens":12,"outputTokens":34,"totalTokens":46},)"
       R"("cost":{"inputCost":0.25,"outputCost":1.5,"totalCost":1.75},"stopReason":"end"})"},
      {"chat_stream_end_unpriced", unpriced,
       R"({"type":"chat.stream.end","sessionId":"s-1","seq":9,"requestId":"c-3",)"
       R"("usage":{"inputTokens":12,"outputTokens":34,"totalTokens":46},"stopReason":"end"})"},
      {"chat_stream_end_cancelled", cancelled,
       R"({"type":"chat.stream.end","sessionId":"s-1","seq":10,"requestId":"c-3",)"
       R"("usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0},)"
       R"("cost":{"inputCost":0.0,"outputCost":0.0,"totalCost":0.0},)"
       R"("stopReason":"cancelled"})"},
      {"tool_call", call,
       R"({"type":"tool.call","sessionId":"s-1","seq":5,"requestId":"c-3","toolCallId":"tc-1",)"
       R"("toolName":"shell","args":{"command":"ls -la","cwd":"/tmp","env":{"A":1}}})"},
      {"tool_output", ToolOutput{"s-1", 6, "c-3", "tc-1", "total 0\n"},
       R"({"type":"tool.output","sessionId":"s-1","seq":6,"requestId":"c-3",)"
       R"("toolCallId":"tc-1","delta":"total 0\n"})"},
      {"tool_approval_request", approval,
       R"({"type":"tool.approval.request","sessionId":"s-1","seq":4,"requestId":"c-3",)"
       R"("toolCallId":"tc-1","toolName":"shell","args":{"command":"rm -rf build"},)"
       R"("risk":"high"})"},
      {"tool_approval_request_no_risk", approvalNoRisk,
       R"({"type":"tool.approval.request","sessionId":"s-1","seq":4,"requestId":"c-3",)"
       R"("toolCallId":"tc-1","toolName":"shell","args":{}})"},
      {"tool_approval_resolved", ToolApprovalResolved{"s-1", 5, "tc-1", false, false},
       R"({"type":"tool.approval.resolved","sessionId":"s-1","seq":5,"toolCallId":"tc-1",)"
       R"("approved":false,"sessionApprove":false})"},
      {"tool_result", result,
       R"({"type":"tool.result","sessionId":"s-1","seq":7,"requestId":"c-3",)"
       R"("toolCallId":"tc-1","toolName":"shell",)"
       R"("result":{"exitCode":0,"stdout":"a\nb\n","files":["a","b"]}})"},
      {"tool_error", ToolError{"s-1", 7, "c-3", "tc-1", "shell", "denied by user"},
       R"({"type":"tool.error","sessionId":"s-1","seq":7,"requestId":"c-3",)"
       R"("toolCallId":"tc-1","toolName":"shell","error":"denied by user"})"},
      {"error_connection_level", connError,
       R"({"type":"error","requestId":"c-99","code":"bad_request",)"
       R"("message":"content: must not be empty"})"},
      {"error_without_request_id", bareError,
       R"({"type":"error","code":"unauthorized","message":"authenticate first"})"},
      {"error_session_event", sessionError,
       R"({"type":"error","code":"internal","message":"agent crashed","sessionId":"s-1",)"
       R"("seq":11})"},
  };
}

template <class Case>
std::string caseName(const testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

// ---- client -> gateway ----

class ClientRoundTrip : public testing::TestWithParam<ClientCase> {};

TEST_P(ClientRoundTrip, EncodesTheContractJsonAndDecodesBackEqual) {
  const ClientCase& c = GetParam();
  const json expected = json::parse(c.wire);
  EXPECT_EQ(toJson(c.message), expected);
  EXPECT_EQ(typeName(c.message), expected.at("type").get<std::string>());

  const std::string frame = encode(c.message);
  const auto decoded = decodeClientMessage(std::string_view(frame));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(sameMessage(decoded.value(), c.message)) << frame;

  // The golden text itself (another writer's spelling of the same object) decodes equal too.
  const auto fromWire = decodeClientMessage(std::string_view(c.wire));
  ASSERT_TRUE(fromWire.ok()) << fromWire.error().message;
  EXPECT_TRUE(sameMessage(fromWire.value(), c.message));
}

INSTANTIATE_TEST_SUITE_P(EveryClientMessage, ClientRoundTrip, testing::ValuesIn(clientCases()),
                         caseName<ClientCase>);

// ---- gateway -> client ----

class GatewayRoundTrip : public testing::TestWithParam<GatewayCase> {};

TEST_P(GatewayRoundTrip, EncodesTheContractJsonAndDecodesBackEqual) {
  const GatewayCase& c = GetParam();
  const json expected = json::parse(c.wire);
  EXPECT_EQ(toJson(c.message), expected);
  EXPECT_EQ(typeName(c.message), expected.at("type").get<std::string>());

  const std::string frame = encode(c.message);
  const auto decoded = decodeGatewayMessage(std::string_view(frame));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(sameMessage(decoded.value(), c.message)) << frame;

  const auto fromWire = decodeGatewayMessage(std::string_view(c.wire));
  ASSERT_TRUE(fromWire.ok()) << fromWire.error().message;
  EXPECT_TRUE(sameMessage(fromWire.value(), c.message));
}

INSTANTIATE_TEST_SUITE_P(EveryGatewayMessage, GatewayRoundTrip,
                         testing::ValuesIn(gatewayCases()), caseName<GatewayCase>);

// Every alternative of both variants has at least one case above.
TEST(RoundTripCoverage, EveryMessageTypeHasACase) {
  std::vector<bool> client(std::variant_size_v<ClientMessage>, false);
  for (const auto& c : clientCases()) client[c.message.index()] = true;
  for (std::size_t i = 0; i < client.size(); ++i) EXPECT_TRUE(client[i]) << "client type " << i;
  std::vector<bool> gateway(std::variant_size_v<GatewayMessage>, false);
  for (const auto& c : gatewayCases()) gateway[c.message.index()] = true;
  for (std::size_t i = 0; i < gateway.size(); ++i) EXPECT_TRUE(gateway[i]) << "gateway type " << i;
}

}  // namespace
}  // namespace chat::proto
