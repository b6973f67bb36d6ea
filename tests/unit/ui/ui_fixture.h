// Headless ImGui for view tests: a real context with the real DejaVu fonts, frames driven by
// hand, mouse and keys injected through ImGuiIO's event queue, and a fake clock (nowMs).
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/net/connection_engine.h"
#include "ui/chat_view.h"

namespace chat::ui::test {

inline const char* kFontDir = "/usr/share/fonts/truetype/dejavu";

// Small builders for ChatState (the reducer is not needed to test drawing).
inline core::SessionState& addSession(core::ChatState& st, const std::string& id,
                                      const std::string& title) {
  core::SessionState& s = st.sessions[id];
  s.sessionId = id;
  s.title = title;
  return s;
}

inline core::Message& addMessage(core::SessionState& s, core::Role role, const std::string& text,
                                 core::MessageStatus status = core::MessageStatus::Complete) {
  core::Message m;
  m.id = "m" + std::to_string(s.messages.size());
  m.role = role;
  m.status = status;
  m.content = text;
  const std::size_t idx = s.messages.size();
  s.messages.push_back(m);
  s.messageById[role == core::Role::Assistant ? "reply:" + m.id : m.id] = idx;
  s.timeline.push_back(core::Entry{core::EntryKind::Message, idx});
  return s.messages.back();
}

// What the reducer does with a chat.stream.delta: the first creates the reply's message (its
// requestId is the stream's), each appends to its text and bumps its revision.
inline core::Message& streamDelta(core::SessionState& s, const std::string& text) {
  const std::string key = "reply:" + s.streaming->requestId;
  if (s.messageById.count(key) == 0) {
    core::Message m;
    m.id = m.requestId = s.streaming->requestId;
    m.role = core::Role::Assistant;
    m.status = core::MessageStatus::Streaming;
    s.messageById[key] = s.messages.size();
    s.timeline.push_back(core::Entry{core::EntryKind::Message, s.messages.size()});
    s.messages.push_back(m);
  }
  core::Message& reply = s.messages[s.messageById[key]];
  reply.content += text;
  ++reply.revision;
  return reply;
}

inline core::ApprovalCard& addApproval(core::SessionState& s, const std::string& toolCallId,
                                       const std::string& risk) {
  core::ApprovalCard a;
  a.toolCallId = toolCallId;
  a.toolName = "shell";
  a.args = {{"command", "ls -la"}};
  a.risk = risk;
  const std::size_t idx = s.approvals.size();
  s.approvals.push_back(a);
  s.approvalById[toolCallId] = idx;
  s.timeline.push_back(core::Entry{core::EntryKind::Approval, idx});
  return s.approvals.back();
}

inline core::ToolCard& addTool(core::SessionState& s, const std::string& toolCallId,
                               core::ToolStatus status) {
  core::ToolCard t;
  t.toolCallId = toolCallId;
  t.toolName = "shell";
  t.args = {{"command", "ls"}};
  t.status = status;
  const std::size_t idx = s.tools.size();
  s.tools.push_back(t);
  s.toolById[toolCallId] = idx;
  s.timeline.push_back(core::Entry{core::EntryKind::Tool, idx});
  return s.tools.back();
}

class ViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1024, 768);
    io.DeltaTime = 1.0f / 60.0f;
    view.loadFonts(kFontDir, 1.0f);
    buildAtlas();
    status.phase = net::Phase::Live;
    status.health = net::Health::Full;
    in.state = &state;
    in.status = &status;
    in.nowMs = 1'000'000;
  }
  void TearDown() override { ImGui::DestroyContext(context_); }

  static void buildAtlas() {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }

  FrameOutput frame() {
    ImGui::NewFrame();
    FrameOutput out = view.frame(in);
    ImGui::Render();
    in.nowMs += 16;
    for (const auto& i : out.intents) intents.push_back(i);
    return out;
  }

  void frames(int n) {
    for (int k = 0; k < n; ++k) frame();
  }

  bool hasWidget(const std::string& name) const { return view.debug().widgets.count(name) > 0; }

  Rect widget(const std::string& name) const {
    auto it = view.debug().widgets.find(name);
    EXPECT_NE(it, view.debug().widgets.end()) << "no widget " << name;
    return it == view.debug().widgets.end() ? Rect{} : it->second;
  }

  void moveTo(float x, float y) {
    ImGui::GetIO().AddMousePosEvent(x, y);
    frame();
  }

  // Press and release the left button at the centre of a widget drawn last frame.
  void click(const std::string& name) {
    const Rect r = widget(name);
    const float x = r.x + r.w * 0.5f, y = r.y + r.h * 0.5f;
    moveTo(x, y);
    ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, true);
    frame();
    ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, false);
    frame();
    frame();
  }

  void pressKey(ImGuiKey key) {
    ImGui::GetIO().AddKeyEvent(key, true);
    frame();
    ImGui::GetIO().AddKeyEvent(key, false);
    frame();
  }

  std::vector<UiIntent> intentsOf(UiIntent::Kind kind) const {
    std::vector<UiIntent> out;
    for (const auto& i : intents) {
      if (i.kind == kind) out.push_back(i);
    }
    return out;
  }

  ImGuiContext* context_ = nullptr;
  ChatView view;
  core::ChatState state;
  net::Status status;
  FrameInput in;
  std::vector<UiIntent> intents;
};

}  // namespace chat::ui::test
