// What the accessible twin (src/ui/a11y_tree.h) costs per frame, against the frame it belongs to.
// A headless ImGui frame of the real ChatView (real fonts, a 100-message chat with a pending
// approval, 1280x800) reports its controls; then the same controls are replayed through the
// bookkeeping alone: an idle frame (nothing changed: nothing sent), a scrolling frame (every
// rect moved: the moves and their JSON for the page), and a first frame (everything built:
// the JSON of every control). The browser's side (DOM updates) is in the e2e scenarios, not here.
//
// Prints one JSON object per figure ({"figure","value","unit","method"}) like chat_ui_bench.
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/net/connection_engine.h"
#include "headless_ui.h"
#include "ui/a11y_report.h"

namespace {

constexpr int kFrames = 2000;

chat::core::ChatState makeChat() {
  using namespace chat;
  core::ChatState st;
  core::SessionState& s = st.sessions["s-1"];
  s.sessionId = "s-1";
  s.title = "Bench";
  st.currentSessionId = "s-1";
  for (int i = 0; i < 100; ++i) {
    core::Message m;
    m.id = "m" + std::to_string(i);
    m.role = i % 2 ? core::Role::Assistant : core::Role::User;
    m.content = "Message " + std::to_string(i) +
                " with a body long enough to wrap over two or three lines of the list, as replies do.";
    s.messageById[m.id] = s.messages.size();
    s.timeline.push_back(core::Entry{core::EntryKind::Message, s.messages.size()});
    s.messages.push_back(m);
  }
  core::ApprovalCard a;
  a.toolCallId = "t-1";
  a.toolName = "shell";
  a.args = {{"command", "ls"}};
  a.risk = "high";
  s.approvalById["t-1"] = 0;
  s.timeline.push_back(core::Entry{core::EntryKind::Approval, 0});
  s.approvals.push_back(a);
  for (int i = 0; i < 20; ++i) {
    proto::SessionInfo info;
    info.sessionId = "s-" + std::to_string(i + 1);
    info.title = "Chat number " + std::to_string(i + 1);
    st.sessionList.rows.push_back(info);
  }
  st.sessionList.firstPageLoaded = true;
  return st;
}

}  // namespace

int main() {
  using namespace chat;
  using bench::printFigure;
  using bench::threadCpuMs;
  bench::HeadlessUi headless(1280, 800);

  const core::ChatState state = makeChat();
  net::Status status;
  status.phase = net::Phase::Live;
  status.health = net::Health::Full;
  ui::FrameInput in;
  in.state = &state;
  in.status = &status;
  in.nowMs = 1'000'000;

  // The whole frame, twins included (idle: the same picture again and again).
  auto frame = [&] {
    headless.frame(in);
    in.nowMs += 16;
  };
  for (int i = 0; i < 20; ++i) frame();
  double t0 = threadCpuMs();
  for (int i = 0; i < kFrames; ++i) frame();
  const double frameMs = (threadCpuMs() - t0) / kFrames;
  const std::vector<ui::A11yControl> controls = ui::a11yTree().controls();
  const std::string method = "chat_a11y_bench: headless ImGui, real ChatView and fonts, 1280x800, 100 messages + a "
                             "pending approval + 20 chats, " + std::to_string(controls.size()) +
                             " controls reported, mean of " + std::to_string(kFrames) + " frames, thread CPU";
  printFigure("UI frame CPU, idle chat (twins included)", frameMs, "ms", method);

  // The bookkeeping alone, replaying that frame's controls.
  ui::A11yTree tree;
  auto replay = [&](float dy) {
    for (ui::A11yControl c : controls) {
      c.rect.y += dy;
      tree.add(std::move(c));
    }
    return tree.finishFrame();
  };
  replay(0);
  t0 = threadCpuMs();
  std::size_t sent = 0;
  for (int i = 0; i < kFrames; ++i) sent += replay(0).empty() ? 0 : 1;
  const double idleMs = (threadCpuMs() - t0) / kFrames;
  printFigure("Twin bookkeeping per idle frame (report + diff, nothing sent)", idleMs * 1000, "us", method);
  printFigure("Twin share of the idle frame", 100.0 * idleMs / frameMs, "%", method);
  if (sent != 0) printFigure("Idle frames that sent something (must be 0)", static_cast<double>(sent), "frames", method);

  t0 = threadCpuMs();
  std::size_t moveBytes = 0;
  for (int i = 1; i <= kFrames; ++i) {
    const ui::A11yDelta d = replay(static_cast<float>(i % 2 ? 3 : 0));  // scrolling by 3 px and back
    moveBytes += ui::a11yDeltaJson(d, 1280.0f).size();
  }
  const double scrollMs = (threadCpuMs() - t0) / kFrames;
  printFigure("Twin update per scrolling frame (every rect moved: diff + JSON)", scrollMs * 1000, "us", method);
  printFigure("Twin JSON per scrolling frame", static_cast<double>(moveBytes) / kFrames, "bytes", method);

  t0 = threadCpuMs();
  std::size_t fullBytes = 0;
  for (int i = 0; i < kFrames / 10; ++i) {
    ui::A11yTree fresh;
    for (const ui::A11yControl& c : controls) fresh.add(c);
    fullBytes += ui::a11yDeltaJson(fresh.finishFrame(), 1280.0f).size();
  }
  const double fullMs = (threadCpuMs() - t0) / (kFrames / 10);
  printFigure("Twin first frame (every control built: diff + JSON)", fullMs * 1000, "us", method);
  printFigure("Twin JSON of a first frame", static_cast<double>(fullBytes) / (kFrames / 10), "bytes", method);

  return 0;
}
