// The "Thinking" block: a reply's reasoning as one header line above its text, collapsed by
// default, the reasoning shown when open; and the streaming layout of a reply with reasoning
// equals its whole layout at every step (reasoning growing, then the answer, open or closed).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ui/message_view.h"
#include "ui/streaming_layout.h"
#include "ui/theme.h"
#include "ui/thinking_block.h"

namespace chat::ui {
namespace {

struct FixedFonts {
  std::vector<float> advances = std::vector<float>(128, 7.0f);
  Palette palette;
  ViewContext ctx;
  FixedFonts() {
    ctx.palette = &palette;
    ctx.sansMetrics = FontMetrics{advances.data(), advances.size(), 7.0f, 1.0f, 16.0f};
    ctx.monoMetrics = FontMetrics{advances.data(), advances.size(), 8.0f, 1.0f, 15.0f};
  }
};

core::Message reply(const std::string& reasoning, const std::string& content, bool streaming) {
  core::Message m;
  m.id = m.requestId = "c-1";
  m.role = core::Role::Assistant;
  m.status = streaming ? core::MessageStatus::Streaming : core::MessageStatus::Complete;
  m.reasoning = reasoning;
  m.content = content;
  return m;
}

bool hasRowWithText(const CardLayout& l, const std::string& text) {
  for (const Row& r : l.rows)
    if (r.kind == RowKind::Text && r.text == text) return true;
  return false;
}

TEST(ThinkingBlock, CollapsedIsOneHeaderLineAboveTheText) {
  FixedFonts f;
  const core::Message m = reply("I should greet them.", "Hello!", false);
  const CardLayout l = layoutMessage(MessageModel{&m, m.content, false, {}}, f.ctx, 400.0f);
  ASSERT_GE(l.rows.size(), 2u);
  EXPECT_EQ(l.rows[0].kind, RowKind::Custom);
  EXPECT_EQ(l.rows[0].tag, kThinkingHeaderTag);
  EXPECT_FALSE(hasRowWithText(l, m.reasoning));
  EXPECT_GT(l.rows[1].y, l.rows[0].y + l.rows[0].h);  // the text comes after the block

  const core::Message plain = reply("", "Hello!", false);
  const CardLayout without = layoutMessage(MessageModel{&plain, plain.content, false, {}}, f.ctx, 400.0f);
  for (const Row& r : without.rows) EXPECT_NE(r.tag, kThinkingHeaderTag);
  EXPECT_GT(l.height, without.height);
}

TEST(ThinkingBlock, OpenShowsTheReasoningMutedBetweenHeaderAndText) {
  FixedFonts f;
  core::Message m = reply("I should greet them.", "Hello!", false);
  m.reasoningOpen = true;
  const CardLayout l = layoutMessage(MessageModel{&m, m.content, false, {}}, f.ctx, 400.0f);
  ASSERT_GE(l.rows.size(), 3u);
  EXPECT_EQ(l.rows[0].tag, kThinkingHeaderTag);
  EXPECT_EQ(l.rows[1].kind, RowKind::Text);
  EXPECT_EQ(l.rows[1].text, m.reasoning);
  EXPECT_EQ(l.rows[1].color, &Palette::textMuted);
  m.reasoningOpen = false;
  const CardLayout closed = layoutMessage(MessageModel{&m, m.content, false, {}}, f.ctx, 400.0f);
  EXPECT_GT(l.height, closed.height);
}

TEST(ThinkingBlock, LabelSaysThinkingWhileTheReasoningGrows) {
  EXPECT_EQ(thinkingLabel(reply("hmm", "", true)), "Thinking\xE2\x80\xA6");
  EXPECT_EQ(thinkingLabel(reply("hmm", "Hi", true)), "Thought");
  EXPECT_EQ(thinkingLabel(reply("hmm", "", false)), "Thought");  // cancelled while thinking
}

void expectSame(const CardLayout& got, const CardLayout& want, const std::string& where) {
  ASSERT_EQ(got.rows.size(), want.rows.size()) << where;
  EXPECT_EQ(got.height, want.height) << where;
  EXPECT_EQ(got.width, want.width) << where;
  for (std::size_t i = 0; i < want.rows.size(); ++i) {
    EXPECT_EQ(got.rows[i].kind, want.rows[i].kind) << where << " row " << i;
    EXPECT_EQ(got.rows[i].tag, want.rows[i].tag) << where << " row " << i;
    EXPECT_EQ(got.rows[i].text, want.rows[i].text) << where << " row " << i;
    EXPECT_EQ(got.rows[i].y, want.rows[i].y) << where << " row " << i;
  }
}

// Reasoning in pieces, then the answer in pieces; opened halfway through the answer.
TEST(ThinkingBlock, StreamingLayoutWithReasoningEqualsTheWholeLayout) {
  FixedFonts f;
  const std::string reasoning = "The user greets me, so I will greet them back politely.";
  const std::string answer = "Hello there! Here is a list:\n\n- one\n- two\n\nAnd more words after.";
  core::Message m = reply("", "", true);
  StreamingLayout streaming;
  CardLayout layout;
  for (std::size_t at = 0; at < reasoning.size(); at += 5) {
    m.reasoning = reasoning.substr(0, at + 5);
    const MessageModel model{&m, m.content, true, {}};
    streaming.update(model, f.ctx, 300.0f, layout);
    expectSame(layout, layoutMessage(model, f.ctx, 300.0f), "reasoning " + std::to_string(at));
  }
  for (std::size_t at = 0; at < answer.size(); at += 3) {
    if (at == 30) m.reasoningOpen = true;
    m.content = answer.substr(0, at + 3);
    const MessageModel model{&m, m.content, true, {}};
    streaming.update(model, f.ctx, 300.0f, layout);
    expectSame(layout, layoutMessage(model, f.ctx, 300.0f), "answer " + std::to_string(at));
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace chat::ui
