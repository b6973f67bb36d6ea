// The codec's rules beyond single messages: forward compatibility, null optionals, limits at
// their exact boundaries, events pages, error frames, the messages.h helpers, and robustness
// against arbitrary bytes.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"

namespace chat::proto {
namespace {

using nlohmann::json;

template <class T, class Variant>
const T& as(const Variant& v) {
  return std::get<T>(v);
}

// ---- forward compatibility and optionals ----

TEST(CodecCompatibility, UnknownExtraFieldsAreIgnoredByTheGateway) {
  const auto d = decodeClientMessage(std::string_view(
      R"({"type":"chat.send","id":"c-1","content":"hi","future":{"a":[1,2]},"x":null,"n":1.5})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<ChatSend>(d.value()).content, "hi");
}

TEST(CodecCompatibility, UnknownExtraFieldsAreIgnoredByTheClient) {
  const auto d = decodeGatewayMessage(std::string_view(
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":4,"requestId":"c-1","delta":"x",)"
      R"("agent":{"name":"demo"},"tokens":[1,2]})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<StreamDelta>(d.value()).delta, "x");
}

TEST(CodecCompatibility, NullOptionalFieldsCountAsAbsent) {
  const auto d = decodeClientMessage(std::string_view(
      R"({"type":"chat.send","id":"c-1","content":"hi","sessionId":null,"model":null})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_FALSE(as<ChatSend>(d.value()).sessionId.has_value());
  EXPECT_FALSE(as<ChatSend>(d.value()).model.has_value());
}

TEST(CodecCompatibility, OptionalBooleansDefaultToFalse) {
  const auto r = decodeClientMessage(std::string_view(
      R"({"type":"tool.approval.response","id":"c-1","toolCallId":"tc-1","approved":true})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(as<ToolApprovalResponse>(r.value()).approved);
  EXPECT_FALSE(as<ToolApprovalResponse>(r.value()).sessionApprove);
  const auto t = decodeClientMessage(std::string_view(R"({"type":"thread.list","id":"c-2"})"));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_FALSE(as<ThreadListRequest>(t.value()).includeArchived);
}

TEST(CodecCompatibility, SessionListEntriesWithoutArchivedAreNotArchived) {
  const auto d = decodeGatewayMessage(std::string_view(
      R"({"type":"session.list","requestId":"c-1","sessions":[{"sessionId":"s-1","title":"t",)"
      R"("createdAt":1,"updatedAt":2,"lastSeq":3}],"lastChange":0})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(as<SessionList>(d.value()).sessions.size(), 1u);
  EXPECT_FALSE(as<SessionList>(d.value()).sessions[0].archived);
  EXPECT_EQ(as<SessionList>(d.value()).sessions[0].lastSeq, 3);
}

TEST(CodecCompatibility, ToolResultMayBeAnyJsonValue) {
  for (const char* result : {"null", "\"text\"", "42", "[1,2]", "{\"ok\":true}"}) {
    const std::string frame =
        std::string(R"({"type":"tool.result","sessionId":"s-1","seq":1,"requestId":"c-1",)") +
        R"("toolCallId":"t","toolName":"n","result":)" + result + "}";
    const auto d = decodeGatewayMessage(std::string_view(frame));
    ASSERT_TRUE(d.ok()) << result << ": " << d.error().message;
    EXPECT_EQ(as<ToolResult>(d.value()).result, json::parse(result));
  }
}

TEST(CodecCompatibility, AuthMayCarryBothTokenAndPin) {
  const auto d = decodeClientMessage(
      std::string_view(R"({"type":"auth","id":"c-1","token":"t","pin":"1234"})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<Auth>(d.value()).token, std::optional<std::string>("t"));
  EXPECT_EQ(as<Auth>(d.value()).pin, std::optional<std::string>("1234"));
}

TEST(CodecCompatibility, AuthWithoutCredentialsIsAcceptedForTheGatewayToJudge) {
  // --no-auth gateways welcome it; others answer auth.failed, not bad_request.
  for (const char* frame : {R"({"type":"auth","id":"c-1"})", R"({"type":"auth","id":"c-1","token":""})",
                            R"({"type":"auth","id":"c-1","token":null,"pin":null})"}) {
    const auto d = decodeClientMessage(std::string_view(frame));
    ASSERT_TRUE(d.ok()) << frame << ": " << d.error().message;
    EXPECT_EQ(as<Auth>(d.value()).id, "c-1");
    EXPECT_FALSE(as<Auth>(d.value()).pin.has_value());
    EXPECT_EQ(as<Auth>(d.value()).token.value_or(""), "");
  }
}

TEST(CodecCompatibility, LargestIntegersThatFitAreAccepted) {
  const auto d = decodeGatewayMessage(std::string_view(
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":9223372036854775807,)"
      R"("requestId":"c-1","delta":""})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<StreamDelta>(d.value()).seq, INT64_MAX);
}

// ---- limits at their exact boundaries ----

std::string chatSendFrame(const std::string& id, const std::string& content) {
  return encode(ClientMessage{ChatSend{id, content, std::nullopt, std::nullopt, std::nullopt}});
}

TEST(CodecLimits, ContentOfExactly32KiBIsAccepted) {
  const auto d = decodeClientMessage(
      std::string_view(chatSendFrame("c-1", std::string(kMaxContentBytes, 'a'))));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<ChatSend>(d.value()).content.size(), kMaxContentBytes);
}

TEST(CodecLimits, ContentOneByteOver32KiBIsTooLarge) {
  const auto d = decodeClientMessage(
      std::string_view(chatSendFrame("c-1", std::string(kMaxContentBytes + 1, 'a'))));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kTooLarge);
  EXPECT_EQ(d.error().field, "content");
}

TEST(CodecLimits, OneByteContentIsAccepted) {
  EXPECT_TRUE(decodeClientMessage(std::string_view(chatSendFrame("c-1", "a"))).ok());
}

TEST(CodecLimits, IdOfExactly64CharsIsAccepted) {
  EXPECT_TRUE(decodeClientMessage(std::string_view(chatSendFrame(std::string(64, 'c'), "a"))).ok());
}

TEST(CodecLimits, FrameOfExactly256KiBIsAcceptedAndOneMoreByteIsNot) {
  // Padding in an ignored extra field: any single known string is capped lower (200 KiB).
  const std::string head =
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":1,"requestId":"c-1","delta":"x",)"
      R"("pad":")";
  const std::string tail = "\"}";
  std::string frame = head + std::string(kMaxFrameBytes - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(frame.size(), kMaxFrameBytes);
  EXPECT_TRUE(decodeGatewayMessage(std::string_view(frame)).ok());
  frame.insert(head.size(), "a");
  const auto d = decodeGatewayMessage(std::string_view(frame));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kTooLarge);
  EXPECT_EQ(d.error().field, "");
}

std::string argsNestedTo(int depth) {
  // The message object is level 1 and args level 2, so `depth - 2` arrays inside args.
  const int arrays = depth - 2;
  return R"({"type":"tool.call","sessionId":"s-1","seq":1,"requestId":"c-1","toolCallId":"t",)"
         R"("toolName":"n","args":{"deep":)" +
         std::string(arrays, '[') + std::string(arrays, ']') + "}}";
}

TEST(CodecLimits, NestingOf64LevelsIsAcceptedAnd65IsNot) {
  EXPECT_TRUE(decodeGatewayMessage(std::string_view(argsNestedTo(64))).ok());
  const auto d = decodeGatewayMessage(std::string_view(argsNestedTo(65)));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kBadRequest);
}

TEST(CodecLimits, BracketsInsideStringsDoNotCountAsNesting) {
  const std::string content = std::string(5000, '[') + "\\\"{{{";
  const std::string frame = R"({"type":"chat.send","id":"c-1","content":")" + content + "\"}";
  const auto d = decodeClientMessage(std::string_view(frame));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(as<ChatSend>(d.value()).content, std::string(5000, '[') + "\"{{{");
}

TEST(CodecLimits, OtherStringsAreBoundedByMaxStringBytes) {
  json j = {{"type", "tool.output"}, {"sessionId", "s-1"},     {"seq", 1},
            {"requestId", "c-1"},    {"toolCallId", "tc-1"},   {"delta", std::string(kMaxStringBytes + 1, 'x')}};
  const auto d = decodeGatewayMessage(j);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kTooLarge);
  EXPECT_EQ(d.error().field, "delta");
}

// ---- decoding already-parsed JSON ----

TEST(CodecFromJson, RejectsNonObjects) {
  const auto d = decodeClientMessage(json::array({1, 2}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kBadRequest);
  EXPECT_EQ(d.error().field, "");
}

TEST(CodecFromJson, RejectsInvalidUtf8BuiltInCode) {
  const json j = {{"type", "chat.send"}, {"id", "c-1"}, {"content", "bad \xff byte"}};
  const auto d = decodeClientMessage(j);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "content");
}

TEST(CodecFromJson, EncoderNeverThrowsOnInvalidUtf8) {
  std::string frame;
  EXPECT_NO_THROW(frame = chatSendFrame("c-1", "bad \xff byte"));
  // The bad byte became U+FFFD, so the frame is valid and decodes.
  EXPECT_TRUE(decodeClientMessage(std::string_view(frame)).ok());
}

// ---- events pages ----

TEST(EventsPage, DecodesEventsInOrderWithLastSeq) {
  std::vector<json> events = {
      toJson(GatewayMessage{SessionCreated{"s-1", 1, "k"}}),
      toJson(GatewayMessage{ChatMessageEvent{"s-1", 2, "c-1", "user", "hi", 5}}),
      toJson(GatewayMessage{StreamStart{"s-1", 3, "c-1", "demo", std::nullopt}}),
  };
  const std::string body = encodeEventsPage(events, 3);
  EXPECT_EQ(json::parse(body).at("lastSeq"), 3);
  const auto page = decodeEventsPage(body);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page.value().lastSeq, 3);
  ASSERT_EQ(page.value().events.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    std::string sessionId;
    int64_t seq = 0;
    ASSERT_TRUE(sessionEventKey(page.value().events[i], &sessionId, &seq));
    EXPECT_EQ(sessionId, "s-1");
    EXPECT_EQ(seq, static_cast<int64_t>(i + 1));
  }
  EXPECT_STREQ(typeName(page.value().events[1]), "chat.message");
}

TEST(EventsPage, EmptyPageOfAnUnknownSession) {
  const auto page = decodeEventsPage(encodeEventsPage({}, 0));
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page.value().events.empty());
  EXPECT_EQ(page.value().lastSeq, 0);
}

TEST(EventsPage, ABadEventFailsThePageNamingItsIndex) {
  const auto page = decodeEventsPage(
      R"({"events":[{"type":"session.created","sessionId":"s-1","seq":1,"sessionKey":"k"},)"
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":0,"requestId":"c","delta":""}],)"
      R"("lastSeq":2})");
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, code::kBadRequest);
  EXPECT_EQ(page.error().field, "events[1].seq");
}

TEST(EventsPage, AnEventThatIsNotAnObjectIsNamed) {
  const auto page = decodeEventsPage(R"({"events":[7],"lastSeq":1})");
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().field, "events[0]");
}

TEST(EventsPage, RejectsMalformedPages) {
  struct Row {
    const char* body;
    const char* field;
  };
  for (const Row& row : {Row{"not json", ""}, Row{"[]", ""}, Row{R"({"lastSeq":0})", "events"},
                         Row{R"({"events":{},"lastSeq":0})", "events"},
                         Row{R"({"events":[]})", "lastSeq"},
                         Row{R"({"events":[],"lastSeq":-1})", "lastSeq"},
                         Row{R"({"events":[],"lastSeq":2.5})", "lastSeq"}}) {
    const auto page = decodeEventsPage(row.body);
    ASSERT_FALSE(page.ok()) << row.body;
    EXPECT_EQ(page.error().code, code::kBadRequest) << row.body;
    EXPECT_EQ(page.error().field, row.field) << row.body;
  }
}

TEST(EventsPage, MayBeLargerThanOneFrame) {
  std::vector<json> events;
  int64_t seq = 0;
  while (events.size() * 1024 < 2 * kMaxFrameBytes) {
    ++seq;
    events.push_back(
        toJson(GatewayMessage{StreamDelta{"s-1", seq, "c-1", std::string(1000, 'x')}}));
  }
  const auto page = decodeEventsPage(encodeEventsPage(events, seq));
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page.value().events.size(), events.size());
}

// ---- error frames for decode failures ----

TEST(ToErrorEvent, CarriesCodeMessageAndUsableRequestId) {
  const auto d = decodeClientMessage(std::string_view(R"({"type":"chat.send","id":"c-7"})"));
  ASSERT_FALSE(d.ok());
  const ErrorEvent e = toErrorEvent(d.error(), std::string("c-7"));
  EXPECT_EQ(e.code, code::kBadRequest);
  EXPECT_EQ(e.message, d.error().message);
  EXPECT_EQ(e.requestId, std::optional<std::string>("c-7"));
  EXPECT_FALSE(e.sessionId.has_value());
  std::string sessionId;
  EXPECT_FALSE(sessionEventKey(GatewayMessage{e}, &sessionId, nullptr));

  // The frame that carries it is itself a valid connection-level error.
  const auto back = decodeGatewayMessage(std::string_view(encode(GatewayMessage{e})));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(as<ErrorEvent>(back.value()).requestId, std::optional<std::string>("c-7"));
}

TEST(ToErrorEvent, KeepsTooLarge) {
  const ErrorEvent e = toErrorEvent(DecodeError{code::kTooLarge, "", "frame is too big"});
  EXPECT_EQ(e.code, code::kTooLarge);
  EXPECT_FALSE(e.requestId.has_value());
}

TEST(ToErrorEvent, DropsAnIdTheContractWouldNotAccept) {
  const DecodeError err{code::kBadRequest, "id", "id: must be 1 to 64 bytes long"};
  EXPECT_FALSE(toErrorEvent(err, std::string(65, 'a')).requestId.has_value());
  EXPECT_FALSE(toErrorEvent(err, std::string()).requestId.has_value());
  EXPECT_FALSE(toErrorEvent(err, std::string("\xff")).requestId.has_value());
}

TEST(ToErrorEvent, FillsAnEmptyErrorWithBadRequest) {
  const ErrorEvent e = toErrorEvent(DecodeError{});
  EXPECT_EQ(e.code, code::kBadRequest);
  EXPECT_FALSE(e.message.empty());
}

// ---- messages.h helpers ----

TEST(MessageHelpers, MessageIdOfEveryClientMessage) {
  const std::vector<ClientMessage> all = {
      Auth{"a", std::string("t"), std::nullopt},
      ChatSend{"b", "x", std::nullopt, std::nullopt, std::nullopt},
      ChatCancel{"c", "b"},
      ToolApprovalResponse{"d", "tc", true, false},
      SessionListRequest{"e"},
      SessionResume{"f", "s-1", 0},
      ThreadListRequest{"g", false},
      Ping{"h"}};
  std::string ids;
  for (const auto& m : all) ids += messageId(m);
  EXPECT_EQ(ids, "abcdefgh");
}

TEST(MessageHelpers, SessionEventKeyOnlyForSessionEvents) {
  std::string sessionId;
  int64_t seq = 0;
  EXPECT_TRUE(sessionEventKey(GatewayMessage{ToolOutput{"s-9", 17, "c", "t", "d"}}, &sessionId,
                              &seq));
  EXPECT_EQ(sessionId, "s-9");
  EXPECT_EQ(seq, 17);
  EXPECT_FALSE(sessionEventKey(GatewayMessage{Ack{"c-1"}}, &sessionId, &seq));
  EXPECT_FALSE(sessionEventKey(GatewayMessage{SessionResumed{"s-1", 4}}, &sessionId, &seq));
  ErrorEvent logged;
  logged.code = "internal";
  logged.sessionId = "s-2";
  logged.seq = 5;
  EXPECT_TRUE(sessionEventKey(GatewayMessage{logged}, &sessionId, &seq));
  EXPECT_EQ(sessionId, "s-2");
  EXPECT_EQ(seq, 5);
  // Null out-params are allowed: the caller may only want the yes/no.
  EXPECT_TRUE(sessionEventKey(GatewayMessage{logged}, nullptr, nullptr));
}

TEST(MessageHelpers, UnknownTypeMessageListsTheKnownTypes) {
  const auto d = decodeClientMessage(std::string_view(R"({"type":"chat.sned","id":"c-1"})"));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("chat.sned"), std::string::npos) << d.error().message;
  EXPECT_NE(d.error().message.find("chat.send"), std::string::npos) << d.error().message;
}

// ---- robustness: mutated frames never crash and always get a contract error code ----

TEST(CodecRobustness, MutatedFramesDecodeOrFailCleanly) {
  const std::vector<std::string> seeds = {
      R"({"type":"chat.send","id":"c-1","content":"hello","sessionId":"s-1"})",
      R"({"type":"chat.stream.end","sessionId":"s-1","seq":3,"requestId":"c-1",)"
      R"("usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},)"
      R"("cost":{"inputCost":0.1,"outputCost":0.2,"totalCost":0.3},"stopReason":"end"})",
      R"({"type":"tool.approval.request","sessionId":"s-1","seq":2,"requestId":"c-1",)"
      R"("toolCallId":"tc-1","toolName":"shell","args":{"a":[1,{"b":null}]},"risk":"low"})",
  };
  std::mt19937 rng(12345);  // fixed seed: the same inputs on every run
  const std::string alphabet = "{}[]\":,0123456789-.eE\\ntrufalsxyz \xff\xc3\x80";
  int decodedOk = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string frame = seeds[round % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !frame.empty(); ++e) {
      const std::size_t pos = rng() % frame.size();
      switch (rng() % 3) {
        case 0: frame[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: frame.erase(pos, 1 + rng() % 3); break;
        default: frame.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
      }
    }
    const auto c = decodeClientMessage(std::string_view(frame));
    const auto g = decodeGatewayMessage(std::string_view(frame));
    for (const DecodeError* err : {c.ok() ? nullptr : &c.error(), g.ok() ? nullptr : &g.error()}) {
      if (!err) continue;
      EXPECT_TRUE(err->code == code::kBadRequest || err->code == code::kTooLarge) << frame;
      EXPECT_FALSE(err->message.empty()) << frame;
    }
    decodedOk += (c.ok() ? 1 : 0) + (g.ok() ? 1 : 0);
  }
  // Some mutations (e.g. inside string values) still decode: the loop exercised both paths.
  EXPECT_GT(decodedOk, 0);
}

}  // namespace
}  // namespace chat::proto
