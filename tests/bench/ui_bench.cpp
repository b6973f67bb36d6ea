// The client's frame CPU while a long reply streams: a 20,000-word reply arrives one word per
// chat.stream.delta, each delta applied by the reducer and followed by one headless ImGui frame
// of the real ChatView (real fonts, layout and draw lists, no GPU). With the reply's layout
// extended by each delta (ui/streaming_layout.h) the frame cost must not grow with the reply:
// the figure is the mean frame CPU over the last 1,000 deltas against the first 1,000
// (target <= 1.2x).
//
// Prints one JSON object per figure ({"figure","value","unit","method"}) like chat-loadgen.
#include <algorithm>
#include <string>
#include <vector>

#include "core/chat/reducer.h"
#include "core/net/connection_engine.h"
#include "headless_ui.h"
#include "ui/message_view.h"
#include "ui/streaming_layout.h"

namespace {

constexpr int kWords = 20000;
constexpr int kWindow = 1000;
constexpr int kHistory = 100;  // messages above the reply
const char* const kLorem[] = {"lorem", "ipsum", "dolor", "sit", "amet",
                              "consectetur", "adipiscing", "elit", "sed", "do"};

using chat::bench::printFigure;
using chat::bench::threadCpuMs;

struct Stats {
  double mean = 0, p95 = 0;
};

// The layout step alone, with fixed 7 px glyphs: the whole reply laid out again (what every
// delta cost before the layout was incremental) against StreamingLayout's update, per delta,
// around `words` words.
void layoutFigures(int words) {
  std::vector<float> advances(128, 7.0f);
  chat::ui::Palette palette{};
  chat::ui::ViewContext ctx;
  ctx.palette = &palette;
  ctx.sansMetrics = chat::ui::FontMetrics{advances.data(), advances.size(), 7.0f, 1.0f, 16.0f};
  ctx.monoMetrics = ctx.sansMetrics;
  chat::core::Message reply;
  reply.id = reply.requestId = "c-long";
  reply.role = chat::core::Role::Assistant;
  reply.status = chat::core::MessageStatus::Streaming;
  for (int i = 0; i < words - 100; ++i) reply.content += std::string(i == 0 ? "" : " ") + kLorem[i % 10];
  chat::ui::StreamingLayout streaming;
  chat::ui::CardLayout layout;
  streaming.update(chat::ui::MessageModel{&reply, reply.content, true, {}}, ctx, 700.0f, layout);
  double incremental = 0, full = 0;
  for (int i = words - 100; i < words; ++i) {
    reply.content += std::string(" ") + kLorem[i % 10];
    const chat::ui::MessageModel model{&reply, reply.content, true, {}};
    double t0 = threadCpuMs();
    streaming.update(model, ctx, 700.0f, layout);
    incremental += threadCpuMs() - t0;
    t0 = threadCpuMs();
    const chat::ui::CardLayout whole = chat::ui::layoutMessage(model, ctx, 700.0f);
    full += threadCpuMs() - t0;
  }
  const std::string method = "chat_ui_bench: layout of a streaming single-paragraph reply at " +
                             std::to_string(words) + " words, mean of 100 deltas, fixed 7 px glyphs";
  printFigure("Reply layout per delta at " + std::to_string(words) + " words: whole reply again (before)",
        full / 100, "ms", method);
  printFigure("Reply layout per delta at " + std::to_string(words) + " words: extended (StreamingLayout)",
        incremental / 100, "ms", method);
}

Stats statsOf(std::vector<double> v) {
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  std::sort(v.begin(), v.end());
  s.p95 = v[static_cast<std::size_t>(0.95 * static_cast<double>(v.size() - 1))];
  return s;
}

}  // namespace

int main() {
  using namespace chat;
  bench::HeadlessUi headless(1024, 768);
  ui::ChatView& view = headless.view();

  // A session with some history, then the long reply, all through the reducer.
  const std::string sid = "s-bench";
  core::ChatState state;
  int64_t seq = 0;
  auto feed = [&](const proto::GatewayMessage& m) { state = core::reduce(std::move(state), m).state; };
  feed(proto::SessionCreated{sid, ++seq, "key"});
  for (int i = 0; i < kHistory; ++i) {
    feed(proto::ChatMessageEvent{sid, ++seq, "h-" + std::to_string(i), i % 2 ? "assistant" : "user",
                                 "History message " + std::to_string(i) + " with a few words.", 1000});
  }
  feed(proto::StreamStart{sid, ++seq, "c-long", "demo", std::nullopt});

  net::Status status;
  status.phase = net::Phase::Live;
  status.health = net::Health::Full;
  ui::FrameInput in;
  in.state = &state;
  in.status = &status;
  in.nowMs = 1'000'000;

  std::vector<double> frameMs;
  frameMs.reserve(kWords);
  const uint64_t layoutsBefore = view.debug().layoutCalls;
  for (int i = 0; i < kWords; ++i) {
    const std::string word = std::string(i == 0 ? "" : " ") + kLorem[i % 10];
    const double t0 = threadCpuMs();
    feed(proto::StreamDelta{sid, ++seq, "c-long", word});
    headless.frame(in);
    frameMs.push_back(threadCpuMs() - t0);
    in.nowMs += 16;
  }
  const double layoutsPerDelta =
      static_cast<double>(view.debug().layoutCalls - layoutsBefore) / static_cast<double>(kWords);
  const Stats first = statsOf(std::vector<double>(frameMs.begin(), frameMs.begin() + kWindow));
  const Stats last = statsOf(std::vector<double>(frameMs.end() - kWindow, frameMs.end()));
  const std::string method =
      "chat_ui_bench: thread CPU of chat::core::reduce(delta) + one headless ImGui frame of the "
      "real ChatView (DejaVu fonts, 1024x768, " + std::to_string(kHistory) +
      " messages above), one word per delta, 20,000-word single-paragraph reply (/long)";
  printFigure("Streaming reply: frame CPU per delta, first 1,000 of 20,000 words (mean)", first.mean, "ms", method);
  printFigure("Streaming reply: frame CPU per delta, last 1,000 of 20,000 words (mean)", last.mean, "ms", method);
  printFigure("Streaming reply: frame CPU per delta, first 1,000 (p95)", first.p95, "ms", method);
  printFigure("Streaming reply: frame CPU per delta, last 1,000 (p95)", last.p95, "ms", method);
  printFigure("Streaming reply: frame CPU last 1,000 / first 1,000 deltas (target <= 1.2x)",
        last.mean / first.mean, "x", method);
  printFigure("Streaming reply: entries laid out per delta", layoutsPerDelta, "",
        method + " (the reply, once per delta: nothing else is laid out again)");
  layoutFigures(1000);
  layoutFigures(20000);
  return 0;
}
