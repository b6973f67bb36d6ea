// The text decoders read flat frames (one object of scalar members) in place and hand every
// other frame, and every error, to the general nlohmann DOM path. These tests pin that the two
// paths agree: same message for every frame the fast path accepts, the general path's exact
// error for everything else. The reference is the general path itself (parseFrame + the DOM
// decoder), run on seed frames and on thousands of deterministic mutations of them.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/protocol/codec.h"
#include "core/protocol/frame_check.h"
#include "protocol/frame_mutations.h"

namespace chat::proto {
namespace {

template <class Message>
Decoded<Message> referenceDecode(std::string_view frame);

template <>
Decoded<GatewayMessage> referenceDecode<GatewayMessage>(std::string_view frame) {
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return decodeGatewayMessage(j);
}

template <>
Decoded<ClientMessage> referenceDecode<ClientMessage>(std::string_view frame) {
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return decodeClientMessage(j);
}

// The text decoders (a std::string would also convert to nlohmann::json).
Decoded<GatewayMessage> decodeGw(const std::string& frame) {
  return decodeGatewayMessage(std::string_view(frame));
}
Decoded<ClientMessage> decodeCl(const std::string& frame) {
  return decodeClientMessage(std::string_view(frame));
}

Decoded<GatewayMessage> decodeText(std::string_view frame, const GatewayMessage*) {
  return decodeGatewayMessage(frame);
}
Decoded<ClientMessage> decodeText(std::string_view frame, const ClientMessage*) {
  return decodeClientMessage(frame);
}

// Both paths give the same answer for `frame`; true when that answer is a message.
template <class Message>
bool expectSameAnswer(const std::string& frame) {
  const Decoded<Message> fast = decodeText(frame, static_cast<const Message*>(nullptr));
  const Decoded<Message> ref = referenceDecode<Message>(frame);
  EXPECT_EQ(fast.ok(), ref.ok()) << printable(frame);
  if (fast.ok() && ref.ok()) {
    EXPECT_EQ(toJson(fast.value()), toJson(ref.value())) << printable(frame);
  } else if (!fast.ok() && !ref.ok()) {
    EXPECT_EQ(fast.error().code, ref.error().code) << printable(frame);
    EXPECT_EQ(fast.error().field, ref.error().field) << printable(frame);
    EXPECT_EQ(fast.error().message, ref.error().message) << printable(frame);
  }
  return ref.ok();
}

const std::vector<std::string>& gatewaySeeds() {
  static const std::vector<std::string> seeds = {
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1","delta":"hi"})",
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1",)"
      R"("delta":"a\"b\\c\/d\b\f\n\r\t \u00e9\u20AC\ud83d\ude00 \u0000 end"})",
      "{\"type\":\"chat.stream.delta\",\"sessionId\":\"s-1\",\"seq\":7,\"requestId\":\"c-1\","
      "\"delta\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xed\x9f\xbf \xf4\x8f\xbf\xbf\"}",
      " \t\r\n{ \"type\" : \"chat.stream.delta\" , \"sessionId\":\"s-1\",\"seq\" :\n7,"
      "\"requestId\":\"c-1\",\"delta\":\"\" } \n",
      R"({"seq":1,"seq":9,"type":"chat.stream.delta","sessionId":"s-1","requestId":"c-1","delta":"x"})",
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":999999999999999999,"requestId":"c-1","delta":"x"})",
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":9223372036854775807,"requestId":"c-1","delta":"x"})",
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1","delta":"x","extra":{"a":[1]}})",
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1","delta":"x","more":null,"n":1.5,"b":true})",
      R"({"type":"chat.message","sessionId":"s-1","seq":2,"messageId":"c-1","role":"user","content":"q","timestamp":1700000000000})",
      R"({"type":"chat.stream.start","sessionId":"s-1","seq":3,"requestId":"c-1","model":"demo","routing":null})",
      R"({"type":"chat.stream.start","sessionId":"s-1","seq":3,"requestId":"c-1","model":"demo","routing":"fast"})",
      R"({"type":"tool.output","sessionId":"s-1","seq":4,"requestId":"c-1","toolCallId":"t-1","delta":"out"})",
      R"({"type":"tool.approval.resolved","sessionId":"s-1","seq":5,"toolCallId":"t-1","approved":true,"sessionApprove":false})",
      R"({"type":"tool.error","sessionId":"s-1","seq":6,"requestId":"c-1","toolCallId":"t-1","toolName":"ls","error":"boom"})",
      R"({"type":"error","code":"bad_request","message":"no"})",
      R"({"type":"error","requestId":"c-1","code":"conflict","message":"no","sessionId":"s-1","seq":8})",
      R"({"type":"session.created","sessionId":"s-1","seq":1,"sessionKey":"k"})",
      R"({"type":"session.resumed","sessionId":"s-1","lastSeq":0})",
      R"({"type":"ack","requestId":"c-1"})",
      R"({"type":"pong","requestId":"c-1"})",
      R"({"type":"auth.ok","clientId":"cl-1","heartbeatMs":15000,"protocol":1})",
      R"({"type":"auth.ok","clientId":"cl-1","heartbeatMs":15000,"protocol":4294967296})",
      R"({"type":"auth.failed","code":"unauthorized","message":"bad pin"})",
      R"({"type":"chat.stream.end","sessionId":"s-1","seq":9,"requestId":"c-1",)"
      R"("usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},)"
      R"("cost":{"inputCost":0.1,"outputCost":0.2,"totalCost":0.3},"stopReason":"end"})",
      R"({"type":"session.list","requestId":"c-1","sessions":[]})",
      R"({"type":"tool.result","sessionId":"s-1","seq":6,"requestId":"c-1","toolCallId":"t-1","toolName":"ls","result":"ok"})",
      R"({"type":"no.such.type","x":1})",
      R"({})",
      R"([])",
  };
  return seeds;
}

const std::vector<std::string>& clientSeeds() {
  static const std::vector<std::string> seeds = {
      R"({"type":"chat.send","id":"c-1","content":"hello","sessionId":"s-1","model":"demo"})",
      R"({"type":"chat.send","id":"c-1","content":"line\nbreak \u00e9","agentId":null})",
      R"({"type":"chat.cancel","id":"c-2","requestId":"c-1"})",
      R"({"type":"tool.approval.response","id":"c-3","toolCallId":"t-1","approved":false})",
      R"({"type":"tool.approval.response","id":"c-3","toolCallId":"t-1","approved":true,"sessionApprove":true})",
      R"({"type":"session.list","id":"c-4"})",
      R"({"type":"session.resume","id":"c-5","sessionId":"s-1","lastSeq":12})",
      R"({"type":"thread.list","id":"c-6","includeArchived":true})",
      R"({"type":"ping","id":"c-7"})",
      R"({"type":"auth","id":"c-8","token":"","pin":"1234"})",
  };
  return seeds;
}

TEST(FlatFastPath, GatewaySeedsDecodeAsTheGeneralPathDoes) {
  int decoded = 0;
  for (const std::string& frame : gatewaySeeds()) decoded += expectSameAnswer<GatewayMessage>(frame);
  EXPECT_GE(decoded, 20);  // the seeds are mostly valid: the comparison covers real messages
}

TEST(FlatFastPath, ClientSeedsDecodeAsTheGeneralPathDoes) {
  int decoded = 0;
  for (const std::string& frame : clientSeeds()) decoded += expectSameAnswer<ClientMessage>(frame);
  EXPECT_EQ(decoded, static_cast<int>(clientSeeds().size()));
}

TEST(FlatFastPath, MutatedGatewayFramesGetTheGeneralPathsAnswer) {
  std::mt19937 rng(20240607);
  int decoded = 0;
  int rejected = 0;
  for (int round = 0; round < 1000; ++round) {
    for (const std::string& seed : gatewaySeeds()) {
      if (expectSameAnswer<GatewayMessage>(mutate(seed, rng))) {
        ++decoded;
      } else {
        ++rejected;
      }
      if (HasFailure()) return;  // one readable failure, not thousands
    }
  }
  // Both outcomes are exercised in bulk, so the agreement is not vacuous.
  EXPECT_GT(decoded, 500);
  EXPECT_GT(rejected, 500);
}

TEST(FlatFastPath, MutatedClientFramesGetTheGeneralPathsAnswer) {
  std::mt19937 rng(77);
  int decoded = 0;
  int rejected = 0;
  for (int round = 0; round < 2000; ++round) {
    for (const std::string& seed : clientSeeds()) {
      if (expectSameAnswer<ClientMessage>(mutate(seed, rng))) {
        ++decoded;
      } else {
        ++rejected;
      }
      if (HasFailure()) return;
    }
  }
  EXPECT_GT(decoded, 500);
  EXPECT_GT(rejected, 500);
}

std::string delta(const std::string& deltaJson, const std::string& extra = "") {
  return R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1","delta":)" +
         deltaJson + extra + "}";
}

TEST(FlatFastPath, EscapesAreDecoded) {
  const auto d =
      decodeGw(delta(R"("q\"b\\s\/ \b\f\n\r\t \u00e9\u20AC \ud83d\ude00 \u0000!")"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  const std::string want = std::string("q\"b\\s/ \b\f\n\r\t \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80 ") +
                           '\0' + "!";
  EXPECT_EQ(std::get<StreamDelta>(d.value()).delta, want);
}

TEST(FlatFastPath, EscapedKeysNameTheirFields) {
  const auto d = decodeGw(std::string(
      R"({"type":"chat.stream.delta","sessionId":"s-1","s\u0065q":7,"requestId":"c-1","delta":"x"})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<StreamDelta>(d.value()).seq, 7);
}

TEST(FlatFastPath, TheLastOfRepeatedKeysWins) {
  const auto d = decodeGw(std::string(
      R"({"type":"chat.stream.delta","sessionId":"s-1","seq":7,"requestId":"c-1","delta":"a","delta":"b"})"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(std::get<StreamDelta>(d.value()).delta, "b");
}

TEST(FlatFastPath, LoneSurrogateEscapesAreRejected) {
  for (const std::string bad : {R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800x")"}) {
    const auto d = decodeGw(delta(bad));
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().code, code::kBadRequest) << bad;
    EXPECT_EQ(d.error().field, "") << bad;
  }
}

TEST(FlatFastPath, InvalidUtf8AnywhereInTheFrameIsRejected) {
  const std::vector<std::string> frames = {
      delta("\"a\xff\""),                                  // in the hot string
      delta("\"\\n\xc3\x28\""),                            // after an escape
      delta("\"x\"", ",\"k\xe9y\":1"),                     // in a key
      delta("\"x\"", ",\"extra\":\"\xc0\xaf\""),           // overlong, in an ignored field
      delta("\"x\"", ",\"extra\":\"\xed\xa0\x80\""),       // an encoded surrogate
      delta("\"x\"", ",\"extra\":\"\xf4\x90\x80\x80\""),   // above U+10FFFF
      delta("\"x\"", ",\"extra\":\"\xe2\x82\""),           // truncated sequence
      delta("\"x\"", " \x80"),                             // between tokens
      delta("\"x\"") + "\xc3",                             // after the object
      "\xef\xbb{\"type\":\"ping\"}",                       // a broken byte order mark
  };
  for (const std::string& frame : frames) {
    const auto d = decodeGw(frame);
    ASSERT_FALSE(d.ok()) << printable(frame);
    EXPECT_EQ(d.error().code, code::kBadRequest) << printable(frame);
    EXPECT_EQ(d.error().field, "") << printable(frame);
    EXPECT_EQ(d.error().message, "frame is not valid UTF-8") << printable(frame);
  }
}

TEST(FlatFastPath, IntegersOutsideTheFlatRangeKeepTheGeneralRules) {
  const auto seq = [](const std::string& v) {
    return R"({"type":"chat.stream.delta","sessionId":"s-1","seq":)" + v +
           R"(,"requestId":"c-1","delta":"x"})";
  };
  const auto big = decodeGw(seq("9223372036854775807"));
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(std::get<StreamDelta>(big.value()).seq, INT64_MAX);
  for (const std::string bad : {"9223372036854775808", "0", "-1", "1.0", "1e2", "-0"}) {
    const auto d = decodeGw(seq(bad));
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().field, "seq") << bad;
  }
  const auto leadingZero = decodeGw(seq("01"));  // not JSON at all
  ASSERT_FALSE(leadingZero.ok());
  EXPECT_EQ(leadingZero.error().field, "");
}

TEST(FlatFastPath, RawControlCharactersInStringsAreRejected) {
  const auto d = decodeGw(delta("\"a\nb\""));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, code::kBadRequest);
  EXPECT_EQ(d.error().message, "frame is not valid JSON");
}

TEST(FlatFastPath, LongContentIsCheckedByteForByte) {
  // Long enough for the 8-bytes-at-a-time scan; a bad byte at every offset of a word is found.
  const std::string text(100, 'a');
  for (std::size_t at = 40; at < 48; ++at) {
    std::string bad = text;
    bad[at] = '\xff';
    EXPECT_FALSE(decodeCl(R"({"type":"chat.send","id":"c-1","content":")" + bad + "\"}").ok())
        << at;
    bad[at] = '\x01';
    EXPECT_FALSE(decodeCl(R"({"type":"chat.send","id":"c-1","content":")" + bad + "\"}").ok())
        << at;
  }
  const auto ok = decodeCl(R"({"type":"chat.send","id":"c-1","content":")" + text + "\"}");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(std::get<ChatSend>(ok.value()).content, text);
}

}  // namespace
}  // namespace chat::proto

namespace chat::proto {
namespace {

// encode() writes client messages without the DOM; it must give toJson()'s dump byte for byte.
std::string randomText(std::mt19937& rng) {
  static const std::string kPieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f",
                                        "\r", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
                                        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                        "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82"};
  std::string s;
  const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 12)(rng);
  for (std::size_t i = 0; i < n; ++i) s += kPieces[rng() % (sizeof kPieces / sizeof kPieces[0])];
  return s;
}

std::optional<std::string> maybe(std::mt19937& rng) {
  if (rng() % 3 == 0) return std::nullopt;
  return randomText(rng);
}

TEST(FlatEncoder, WritesExactlyWhatTheDomDumpWrites) {
  std::mt19937 rng(4242);
  for (int i = 0; i < 1000; ++i) {
    const std::vector<ClientMessage> messages = {
        Auth{randomText(rng), maybe(rng), maybe(rng)},
        ChatSend{randomText(rng), randomText(rng), maybe(rng), maybe(rng), maybe(rng)},
        ChatCancel{randomText(rng), randomText(rng)},
        ToolApprovalResponse{randomText(rng), randomText(rng), rng() % 2 == 0, rng() % 2 == 0},
        SessionListRequest{randomText(rng)},
        SessionResume{randomText(rng), randomText(rng),
                      static_cast<int64_t>(rng()) - static_cast<int64_t>(rng()) * 4096},
        ThreadListRequest{randomText(rng), rng() % 2 == 0},
        Ping{randomText(rng)},
    };
    for (const ClientMessage& m : messages) {
      const std::string want = toJson(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      ASSERT_EQ(encode(m), want) << printable(want);
    }
  }
}

TEST(FlatEncoder, ChatSendKeepsTheWireNamesInMapOrder) {
  const ClientMessage m = ChatSend{"c-1", "hi \"you\"\n", std::string("s-1"), std::string("demo"),
                                   std::nullopt};
  EXPECT_EQ(encode(m),
            R"({"content":"hi \"you\"\n","id":"c-1","model":"demo","sessionId":"s-1","type":"chat.send"})");
}

}  // namespace
}  // namespace chat::proto
