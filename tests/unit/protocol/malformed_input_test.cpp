// Table of malformed frames: each must be rejected with the expected error code AND the field
// it names ("" = the frame as a whole). One registered test per row.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"

namespace chat::proto {
namespace {

enum class Direction { kToGateway, kToClient };

struct MalformedCase {
  std::string name;
  Direction direction;
  std::string frame;
  std::string code;
  std::string field;
};

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

std::string nested(std::size_t depth) { return repeat('[', depth) + repeat(']', depth); }

// A chat.stream.delta event with `seqJson` spliced in as the seq value.
std::string deltaWithSeq(const std::string& seqJson) {
  return R"({"type":"chat.stream.delta","sessionId":"s-1","seq":)" + seqJson +
         R"(,"requestId":"c-1","delta":"x"})";
}

std::string resumeWithLastSeq(const std::string& lastSeqJson) {
  return R"({"type":"session.resume","id":"c-1","sessionId":"s-1","lastSeq":)" + lastSeqJson +
         "}";
}

// A chat.stream.end event with one part replaced.
std::string streamEnd(const std::string& usage, const std::string& cost,
                      const std::string& stopReason) {
  std::string s = R"({"type":"chat.stream.end","sessionId":"s-1","seq":3,"requestId":"c-1")";
  if (!usage.empty()) s += R"(,"usage":)" + usage;
  if (!cost.empty()) s += R"(,"cost":)" + cost;
  if (!stopReason.empty()) s += R"(,"stopReason":)" + stopReason;
  return s + "}";
}

const std::string kUsage = R"({"inputTokens":1,"outputTokens":2,"totalTokens":3})";
const std::string kCost = R"({"inputCost":0.1,"outputCost":0.2,"totalCost":0.3})";

std::vector<MalformedCase> cases() {
  const auto G = Direction::kToGateway;  // a frame the gateway decodes
  const auto C = Direction::kToClient;   // a frame the client decodes
  const std::string bad = code::kBadRequest;
  const std::string big = code::kTooLarge;
  return {
      // ---- not a message at all ----
      {"bad_json", G, "{", bad, ""},
      {"empty_frame", G, "", bad, ""},
      {"trailing_garbage", G, R"({"type":"ping","id":"c-1"} x)", bad, ""},
      {"single_quotes", G, "{'type':'ping','id':'c-1'}", bad, ""},
      {"not_object_array", G, "[1,2,3]", bad, ""},
      {"not_object_string", G, R"("ping")", bad, ""},
      {"not_object_null", G, "null", bad, ""},
      {"not_object_number", C, "42", bad, ""},
      {"invalid_utf8_byte", G, "{\"type\":\"chat.send\",\"id\":\"c-1\",\"content\":\"a\xff\"}",
       bad, ""},
      {"invalid_utf8_overlong", G, "{\"type\":\"ping\",\"id\":\"c-\xc0\xaf\"}", bad, ""},
      {"invalid_utf8_truncated", C, "{\"type\":\"ack\",\"requestId\":\"c-\xe2\x82\"}", bad, ""},
      {"invalid_utf8_surrogate", C, "{\"type\":\"ack\",\"requestId\":\"\xed\xa0\x80\"}", bad, ""},
      {"lone_surrogate_escape", G, R"({"type":"ping","id":"\ud800"})", bad, ""},
      {"frame_300k", G,
       R"({"type":"chat.send","id":"c-1","content":")" + repeat('a', 300 * 1024) + "\"}", big,
       ""},
      {"frame_300k_of_garbage", C, repeat('\xff', 300 * 1024), big, ""},
      {"nested_10000_levels", G, nested(10000), bad, ""},
      {"nested_10000_objects", C, repeat('{', 10000), bad, ""},
      {"nested_70_levels_in_a_field", G,
       R"({"type":"ping","id":"c-1","extra":)" + nested(70) + "}", bad, ""},
      // ---- type ----
      {"missing_type", G, R"({"id":"c-1"})", bad, "type"},
      {"type_number", G, R"({"type":5,"id":"c-1"})", bad, "type"},
      {"type_null", G, R"({"type":null,"id":"c-1"})", bad, "type"},
      {"unknown_type", G, R"({"type":"chat.explode","id":"c-1"})", bad, "type"},
      {"gateway_type_sent_to_gateway", G, R"({"type":"ack","requestId":"c-1"})", bad, "type"},
      {"client_type_sent_to_client", C, R"({"type":"chat.send","id":"c-1","content":"x"})", bad,
       "type"},
      {"unknown_type_to_client", C, R"({"type":"chat.reaction","sessionId":"s-1","seq":1})", bad,
       "type"},
      // ---- client ids ----
      {"missing_id", G, R"({"type":"ping"})", bad, "id"},
      {"id_number", G, R"({"type":"ping","id":7})", bad, "id"},
      {"id_null", G, R"({"type":"ping","id":null})", bad, "id"},
      {"id_empty", G, R"({"type":"ping","id":""})", bad, "id"},
      {"id_65_chars", G, R"({"type":"ping","id":")" + repeat('a', 65) + "\"}", bad, "id"},
      // ---- chat.send ----
      {"chat_send_missing_content", G, R"({"type":"chat.send","id":"c-1"})", bad, "content"},
      {"chat_send_content_number", G, R"({"type":"chat.send","id":"c-1","content":5})", bad,
       "content"},
      {"chat_send_content_null", G, R"({"type":"chat.send","id":"c-1","content":null})", bad,
       "content"},
      {"chat_send_empty_content", G, R"({"type":"chat.send","id":"c-1","content":""})", bad,
       "content"},
      {"chat_send_33k_content", G,
       R"({"type":"chat.send","id":"c-1","content":")" + repeat('a', 33 * 1024) + "\"}", big,
       "content"},
      {"chat_send_session_id_number", G,
       R"({"type":"chat.send","id":"c-1","content":"x","sessionId":12})", bad, "sessionId"},
      {"chat_send_session_id_bad_chars", G,
       R"({"type":"chat.send","id":"c-1","content":"x","sessionId":"a b/c"})", bad, "sessionId"},
      {"chat_send_model_array", G,
       R"({"type":"chat.send","id":"c-1","content":"x","model":["a"]})", bad, "model"},
      {"chat_send_agent_id_object", G,
       R"({"type":"chat.send","id":"c-1","content":"x","agentId":{}})", bad, "agentId"},
      // ---- other client messages ----
      {"auth_without_id", G, R"({"type":"auth","token":"t"})", bad, "id"},
      {"auth_empty_pin", G, R"({"type":"auth","id":"c-1","pin":""})", bad, "pin"},
      {"auth_token_object", G, R"({"type":"auth","id":"c-1","token":{"t":1}})", bad, "token"},
      {"auth_pin_number", G, R"({"type":"auth","id":"c-1","pin":4711})", bad, "pin"},
      {"chat_cancel_missing_request_id", G, R"({"type":"chat.cancel","id":"c-2"})", bad,
       "requestId"},
      {"approval_response_approved_string", G,
       R"({"type":"tool.approval.response","id":"c-1","toolCallId":"tc-1","approved":"yes"})",
       bad, "approved"},
      {"approval_response_missing_tool_call_id", G,
       R"({"type":"tool.approval.response","id":"c-1","approved":true})", bad, "toolCallId"},
      {"approval_response_session_approve_number", G,
       R"({"type":"tool.approval.response","id":"c-1","toolCallId":"t","approved":true,)"
       R"("sessionApprove":1})",
       bad, "sessionApprove"},
      {"resume_missing_session_id", G, R"({"type":"session.resume","id":"c-1","lastSeq":0})", bad,
       "sessionId"},
      {"resume_missing_last_seq", G, R"({"type":"session.resume","id":"c-1","sessionId":"s-1"})",
       bad, "lastSeq"},
      {"resume_last_seq_negative", G, resumeWithLastSeq("-1"), bad, "lastSeq"},
      {"resume_last_seq_float", G, resumeWithLastSeq("1.5"), bad, "lastSeq"},
      {"resume_last_seq_string", G, resumeWithLastSeq(R"("3")"), bad, "lastSeq"},
      {"resume_last_seq_20_digits", G, resumeWithLastSeq("99999999999999999999"), bad, "lastSeq"},
      {"resume_last_seq_above_int64", G, resumeWithLastSeq("18446744073709551615"), bad,
       "lastSeq"},
      {"resume_last_seq_1e400", G, resumeWithLastSeq("1e400"), bad, ""},
      {"thread_list_include_archived_string", G,
       R"({"type":"thread.list","id":"c-1","includeArchived":"true"})", bad, "includeArchived"},
      // ---- session events: seq and sessionId ----
      {"event_missing_seq", C,
       R"({"type":"chat.stream.delta","sessionId":"s-1","requestId":"c-1","delta":"x"})", bad,
       "seq"},
      {"event_seq_zero", C, deltaWithSeq("0"), bad, "seq"},
      {"event_seq_negative", C, deltaWithSeq("-5"), bad, "seq"},
      {"event_seq_float", C, deltaWithSeq("1.5"), bad, "seq"},
      {"event_seq_exponent", C, deltaWithSeq("1e3"), bad, "seq"},
      {"event_seq_20_digits", C, deltaWithSeq("99999999999999999999"), bad, "seq"},
      {"event_seq_string", C, deltaWithSeq(R"("7")"), bad, "seq"},
      {"event_seq_null", C, deltaWithSeq("null"), bad, "seq"},
      {"event_seq_bool", C, deltaWithSeq("true"), bad, "seq"},
      {"event_seq_1e400", C, deltaWithSeq("1e400"), bad, ""},
      {"event_missing_session_id", C,
       R"({"type":"chat.stream.delta","seq":1,"requestId":"c-1","delta":"x"})", bad, "sessionId"},
      {"event_missing_delta", C,
       R"({"type":"chat.stream.delta","sessionId":"s-1","seq":1,"requestId":"c-1"})", bad,
       "delta"},
      // ---- chat.stream.end ----
      {"stream_end_bad_stop_reason", C, streamEnd(kUsage, kCost, R"("finished")"), bad,
       "stopReason"},
      {"stream_end_missing_stop_reason", C, streamEnd(kUsage, kCost, ""), bad, "stopReason"},
      {"stream_end_usage_array", C, streamEnd("[1,2,3]", kCost, R"("end")"), bad, "usage"},
      {"stream_end_missing_usage", C, streamEnd("", kCost, R"("end")"), bad, "usage"},
      {"stream_end_usage_float_tokens", C,
       streamEnd(R"({"inputTokens":1.5,"outputTokens":2,"totalTokens":3})", kCost, R"("end")"),
       bad, "usage.inputTokens"},
      {"stream_end_usage_negative_tokens", C,
       streamEnd(R"({"inputTokens":1,"outputTokens":-2,"totalTokens":3})", kCost, R"("end")"),
       bad, "usage.outputTokens"},
      {"stream_end_cost_string", C,
       streamEnd(kUsage, R"({"inputCost":0,"outputCost":0,"totalCost":"1"})", R"("end")"), bad,
       "cost.totalCost"},
      // cost is optional (unknown price): null is absent, like every optional field's null;
      // present, it must be a cost object.
      {"stream_end_cost_not_object", C, streamEnd(kUsage, R"("free")", R"("end")"), bad, "cost"},
      // ---- tool events ----
      {"approval_request_bad_risk", C,
       R"({"type":"tool.approval.request","sessionId":"s-1","seq":2,"requestId":"c-1",)"
       R"("toolCallId":"tc-1","toolName":"shell","args":{},"risk":"extreme"})",
       bad, "risk"},
      {"approval_request_args_array", C,
       R"({"type":"tool.approval.request","sessionId":"s-1","seq":2,"requestId":"c-1",)"
       R"("toolCallId":"tc-1","toolName":"shell","args":[]})",
       bad, "args"},
      {"approval_resolved_missing_session_approve", C,
       R"({"type":"tool.approval.resolved","sessionId":"s-1","seq":2,"toolCallId":"tc-1",)"
       R"("approved":true})",
       bad, "sessionApprove"},
      {"tool_call_tool_name_null", C,
       R"({"type":"tool.call","sessionId":"s-1","seq":2,"requestId":"c-1","toolCallId":"tc-1",)"
       R"("toolName":null,"args":{}})",
       bad, "toolName"},
      {"tool_result_missing_result", C,
       R"({"type":"tool.result","sessionId":"s-1","seq":2,"requestId":"c-1","toolCallId":"t",)"
       R"("toolName":"shell"})",
       bad, "result"},
      {"tool_error_error_number", C,
       R"({"type":"tool.error","sessionId":"s-1","seq":2,"requestId":"c-1","toolCallId":"t",)"
       R"("toolName":"shell","error":500})",
       bad, "error"},
      // ---- chat.message ----
      {"chat_message_role_assistant", C,
       R"({"type":"chat.message","sessionId":"s-1","seq":2,"messageId":"c-1",)"
       R"("role":"assistant","content":"hi","timestamp":1})",
       bad, "role"},
      {"chat_message_negative_timestamp", C,
       R"({"type":"chat.message","sessionId":"s-1","seq":2,"messageId":"c-1",)"
       R"("role":"user","content":"hi","timestamp":-1})",
       bad, "timestamp"},
      // ---- error ----
      {"error_seq_without_session_id", C,
       R"({"type":"error","code":"internal","message":"m","seq":4})", bad, "sessionId"},
      {"error_session_id_without_seq", C,
       R"({"type":"error","code":"internal","message":"m","sessionId":"s-1"})", bad, "seq"},
      {"error_missing_code", C, R"({"type":"error","message":"m"})", bad, "code"},
      // ---- connection level ----
      {"auth_ok_heartbeat_zero", C,
       R"({"type":"auth.ok","clientId":"cl","heartbeatMs":0,"protocol":1})", bad, "heartbeatMs"},
      {"auth_ok_protocol_string", C,
       R"({"type":"auth.ok","clientId":"cl","heartbeatMs":1000,"protocol":"1"})", bad,
       "protocol"},
      {"ack_missing_request_id", C, R"({"type":"ack"})", bad, "requestId"},
      {"session_list_sessions_object", C,
       R"({"type":"session.list","requestId":"c-1","sessions":{}})", bad, "sessions"},
      {"session_list_entry_not_object", C,
       R"({"type":"session.list","requestId":"c-1","sessions":[)"
       R"({"sessionId":"s-1","title":"","createdAt":0,"updatedAt":0,"lastSeq":0},"s-2"]})",
       bad, "sessions[1]"},
      {"session_list_entry_bad_last_seq", C,
       R"({"type":"session.list","requestId":"c-1","sessions":[)"
       R"({"sessionId":"s-1","title":"","createdAt":0,"updatedAt":0,"lastSeq":-1}]})",
       bad, "sessions[0].lastSeq"},
      {"session_resumed_negative_last_seq", C,
       R"({"type":"session.resumed","sessionId":"s-1","lastSeq":-1})", bad, "lastSeq"},
  };
}

std::string caseName(const testing::TestParamInfo<MalformedCase>& info) {
  return info.param.name;
}

class MalformedInput : public testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedInput, IsRejectedNamingTheField) {
  const MalformedCase& c = GetParam();
  const std::string_view frame(c.frame);
  bool ok = false;
  DecodeError error;
  if (c.direction == Direction::kToGateway) {
    const auto d = decodeClientMessage(frame);
    ok = d.ok();
    error = d.error();
  } else {
    const auto d = decodeGatewayMessage(frame);
    ok = d.ok();
    error = d.error();
  }
  ASSERT_FALSE(ok);
  EXPECT_EQ(error.code, c.code) << error.message;
  EXPECT_EQ(error.field, c.field) << error.message;
  EXPECT_FALSE(error.message.empty());
  // The message starts with the field it blames, so a reader knows what to fix.
  if (!c.field.empty()) {
    EXPECT_EQ(error.message.rfind(c.field + ": ", 0), 0u) << error.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, MalformedInput, testing::ValuesIn(cases()), caseName);

TEST(MalformedInputTable, HasAtLeast45Rows) { EXPECT_GE(cases().size(), 45u); }

}  // namespace
}  // namespace chat::proto
