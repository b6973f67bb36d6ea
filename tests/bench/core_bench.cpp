// Client core benchmarks (Google Benchmark): what the browser client spends per gateway event.
//
//   BM_DecodeApplyDelta/<history>  decode one chat.stream.delta frame + reduce it into a state
//                                  whose session already holds <history> messages (10 and
//                                  10,000 run in the same invocation: the ratio shows whether
//                                  the cost per event stays flat as the history grows)
//   BM_ReduceDelta/<history>       the reducer alone (frames decoded beforehand)
//   BM_DecodeChatSend32K           decode of a 32 KiB chat.send (the gateway's side)
//   BM_DecodeChatMessage32K        decode of a 32 KiB chat.message event (the client's side)
//   BM_EncodeChatSend              encode of a typical chat.send
//   BM_DecodeEventsPage            decode of a 1,000-event GET /api/events page as the gateway
//                                  serves it (how a long session's history reaches the client):
//                                  turns of chat.message, chat.stream.start, 20 deltas, .end
//
// Frames carry increasing seqs (the reducer drops anything at or below lastSeq), so a ring of
// pre-made frames is replayed and the session's lastSeq and streaming text are rewound, outside
// the measured loop body's normal path, each time the ring wraps.
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/chat/reducer.h"
#include "core/protocol/codec.h"

namespace {

using chat::core::ChatState;
using chat::core::Outcome;
using chat::core::reduce;
namespace proto = chat::proto;

const std::string kSession = "s-00112233aabbccdd";
constexpr std::size_t kRing = 8192;  // pre-made delta frames per replay

void applyFrame(ChatState& state, const std::string& frame) {
  auto decoded = proto::decodeGatewayMessage(std::string_view(frame));
  if (!decoded) {
    std::fprintf(stderr, "bench: bad frame: %s\n", decoded.error().message.c_str());
    std::abort();
  }
  auto r = reduce(std::move(state), decoded.value());
  state = std::move(r.state);
}

std::string userMessage(int64_t seq, const std::string& id, const std::string& text) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"type":"chat.message","sessionId":"%s","seq":%lld,"messageId":"%s",)"
                R"("role":"user","content":"%s","timestamp":1700000000000})",
                kSession.c_str(), static_cast<long long>(seq), id.c_str(), text.c_str());
  return buf;
}

std::string streamStart(int64_t seq, const std::string& requestId) {
  return R"({"type":"chat.stream.start","sessionId":")" + kSession + R"(","seq":)" +
         std::to_string(seq) + R"(,"requestId":")" + requestId + R"(","model":"demo"})";
}

std::string streamDelta(int64_t seq, const std::string& requestId, const std::string& delta) {
  return R"({"type":"chat.stream.delta","sessionId":")" + kSession + R"(","seq":)" +
         std::to_string(seq) + R"(,"requestId":")" + requestId + R"(","delta":")" + delta +
         R"("})";
}

std::string streamEnd(int64_t seq, const std::string& requestId) {
  return R"({"type":"chat.stream.end","sessionId":")" + kSession + R"(","seq":)" +
         std::to_string(seq) +
         R"(,"requestId":")" + requestId +
         R"(","usage":{"inputTokens":3,"outputTokens":5,"totalTokens":8},)"
         R"("cost":{"inputCost":0.0001,"outputCost":0.0002,"totalCost":0.0003},"stopReason":"end"})";
}

// A state whose session holds `messages` finished messages (user + assistant pairs) and then
// an open stream the benchmark appends deltas to. Returns the next seq to use.
int64_t buildSession(ChatState& state, int messages) {
  int64_t seq = 1;
  applyFrame(state, R"({"type":"session.created","sessionId":")" + kSession + R"(","seq":1,"sessionKey":"k"})");
  for (int turn = 0; turn < messages / 2; ++turn) {
    const std::string id = "c-" + std::to_string(turn);
    applyFrame(state, userMessage(++seq, id, "question number " + std::to_string(turn)));
    applyFrame(state, streamStart(++seq, id));
    applyFrame(state, streamDelta(++seq, id, "an answer of a few words"));
    applyFrame(state, streamEnd(++seq, id));
  }
  applyFrame(state, userMessage(++seq, "c-live", "the question being answered now"));
  applyFrame(state, streamStart(++seq, "c-live"));
  return seq + 1;
}

std::vector<std::string> deltaRing(int64_t firstSeq) {
  std::vector<std::string> ring;
  ring.reserve(kRing);
  for (std::size_t i = 0; i < kRing; ++i)
    ring.push_back(streamDelta(firstSeq + static_cast<int64_t>(i), "c-live", " word"));
  return ring;
}

// Back to the state right before the ring's first frame: lastSeq rewound, streamed text cut.
void rewind(ChatState& state, int64_t firstSeq) {
  auto& session = state.sessions[kSession];
  session.lastSeq = firstSeq - 1;
  const std::size_t reply = session.streamingReplyIndex();
  if (reply != SIZE_MAX) session.messages[reply].content.clear();
}

void BM_DecodeApplyDelta(benchmark::State& bs) {
  ChatState state;
  const int64_t firstSeq = buildSession(state, static_cast<int>(bs.range(0)));
  const std::vector<std::string> ring = deltaRing(firstSeq);
  std::size_t i = 0;
  int64_t applied = 0;
  for (auto _ : bs) {
    auto decoded = proto::decodeGatewayMessage(std::string_view(ring[i]));
    auto r = reduce(std::move(state), decoded.value());
    applied += r.outcome == Outcome::Applied;
    state = std::move(r.state);
    if (++i == kRing) {
      i = 0;
      rewind(state, firstSeq);
    }
  }
  bs.SetItemsProcessed(bs.iterations());
  bs.counters["applied_fraction"] = static_cast<double>(applied) / static_cast<double>(bs.iterations());
  bs.counters["history_messages"] = static_cast<double>(state.sessions[kSession].messages.size());
}
BENCHMARK(BM_DecodeApplyDelta)->Arg(10)->Arg(10000);

void BM_ReduceDelta(benchmark::State& bs) {
  ChatState state;
  const int64_t firstSeq = buildSession(state, static_cast<int>(bs.range(0)));
  std::vector<proto::GatewayMessage> ring;
  for (const std::string& frame : deltaRing(firstSeq))
    ring.push_back(proto::decodeGatewayMessage(std::string_view(frame)).value());
  std::size_t i = 0;
  int64_t applied = 0;
  for (auto _ : bs) {
    auto r = reduce(std::move(state), ring[i]);
    applied += r.outcome == Outcome::Applied;
    state = std::move(r.state);
    if (++i == kRing) {
      i = 0;
      rewind(state, firstSeq);
    }
  }
  bs.SetItemsProcessed(bs.iterations());
  bs.counters["applied_fraction"] = static_cast<double>(applied) / static_cast<double>(bs.iterations());
  bs.counters["history_messages"] = static_cast<double>(state.sessions[kSession].messages.size());
}
BENCHMARK(BM_ReduceDelta)->Arg(10)->Arg(10000);

std::string text32K() {
  std::string s;
  const std::string word = "lorem ipsum dolor sit amet ";
  while (s.size() + word.size() <= 32 * 1024) s += word;
  return s;
}

void BM_DecodeChatSend32K(benchmark::State& bs) {
  proto::ChatSend send{"c-1", text32K(), kSession, std::nullopt, std::nullopt};
  const std::string frame = proto::encode(proto::ClientMessage{send});
  for (auto _ : bs) {
    auto decoded = proto::decodeClientMessage(std::string_view(frame));
    benchmark::DoNotOptimize(decoded);
  }
  bs.SetBytesProcessed(bs.iterations() * static_cast<int64_t>(frame.size()));
  bs.counters["frame_bytes"] = static_cast<double>(frame.size());
}
BENCHMARK(BM_DecodeChatSend32K);

void BM_DecodeChatMessage32K(benchmark::State& bs) {
  const std::string frame = userMessage(2, "c-1", "x").replace(
      userMessage(2, "c-1", "x").find("\"x\""), 3, "\"" + text32K() + "\"");
  for (auto _ : bs) {
    auto decoded = proto::decodeGatewayMessage(std::string_view(frame));
    benchmark::DoNotOptimize(decoded);
  }
  bs.SetBytesProcessed(bs.iterations() * static_cast<int64_t>(frame.size()));
  bs.counters["frame_bytes"] = static_cast<double>(frame.size());
}
BENCHMARK(BM_DecodeChatMessage32K);

void BM_EncodeChatSend(benchmark::State& bs) {
  const proto::ClientMessage send =
      proto::ChatSend{"c-42", "How do I list the files of a folder sorted by size?", kSession,
                      std::string("demo"), std::nullopt};
  for (auto _ : bs) {
    std::string frame = proto::encode(send);
    benchmark::DoNotOptimize(frame);
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_EncodeChatSend);

// A history page the way the gateway writes it: events from its log, through encodeEventsPage.
std::string historyPage(std::size_t events) {
  std::vector<nlohmann::json> log;
  int64_t seq = 0;
  for (int turn = 0; log.size() < events; ++turn) {
    const std::string id = "c-" + std::to_string(turn);
    log.push_back(nlohmann::json::parse(userMessage(++seq, id, "question number " + std::to_string(turn))));
    log.push_back(nlohmann::json::parse(streamStart(++seq, id)));
    for (int d = 0; d < 20 && log.size() < events; ++d)
      log.push_back(nlohmann::json::parse(streamDelta(++seq, id, d == 0 ? "An" : " answer")));
    if (log.size() < events) log.push_back(nlohmann::json::parse(streamEnd(++seq, id)));
  }
  log.resize(events);
  return proto::encodeEventsPage(log, seq);
}

void BM_DecodeEventsPage(benchmark::State& bs) {
  const std::size_t events = static_cast<std::size_t>(bs.range(0));
  const std::string body = historyPage(events);
  for (auto _ : bs) {
    auto page = proto::decodeEventsPage(body);
    if (!page || page.value().events.size() != events) {
      bs.SkipWithError("the page did not decode");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  bs.SetItemsProcessed(bs.iterations() * static_cast<int64_t>(events));
  bs.SetBytesProcessed(bs.iterations() * static_cast<int64_t>(body.size()));
  bs.counters["page_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_DecodeEventsPage)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
