// StreamingLayout: a reply laid out delta by delta equals the reply laid out whole, at every
// delta, for Markdown of every kind the list renders (settled blocks, the growing last line,
// code fences opening and closing, markers closing late).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ui/message_view.h"
#include "ui/streaming_layout.h"
#include "ui/theme.h"

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

void expectSameLayout(const CardLayout& got, const CardLayout& want, const std::string& where) {
  ASSERT_EQ(got.rows.size(), want.rows.size()) << where;
  EXPECT_EQ(got.width, want.width) << where;
  EXPECT_EQ(got.height, want.height) << where;
  EXPECT_EQ(got.entryHeight, want.entryHeight) << where;
  for (std::size_t i = 0; i < want.rows.size(); ++i) {
    const Row& a = got.rows[i];
    const Row& b = want.rows[i];
    const std::string at = where + ", row " + std::to_string(i);
    EXPECT_EQ(a.kind, b.kind) << at;
    EXPECT_EQ(a.text, b.text) << at;
    EXPECT_EQ(a.lang, b.lang) << at;
    EXPECT_EQ(a.marker, b.marker) << at;
    EXPECT_EQ(a.indent, b.indent) << at;
    EXPECT_EQ(a.bold, b.bold) << at;
    EXPECT_EQ(a.quote, b.quote) << at;
    EXPECT_EQ(a.y, b.y) << at;
    EXPECT_EQ(a.h, b.h) << at;
    ASSERT_EQ(a.spans.size(), b.spans.size()) << at;
    for (std::size_t k = 0; k < a.spans.size(); ++k) {
      EXPECT_EQ(a.spans[k].begin, b.spans[k].begin) << at;
      EXPECT_EQ(a.spans[k].end, b.spans[k].end) << at;
    }
    ASSERT_EQ(a.lines.size(), b.lines.size()) << at;
    for (std::size_t k = 0; k < a.lines.size(); ++k) {
      EXPECT_EQ(a.lines[k].begin, b.lines[k].begin) << at << ", line " << k;
      EXPECT_EQ(a.lines[k].end, b.lines[k].end) << at << ", line " << k;
      EXPECT_EQ(a.lines[k].width, b.lines[k].width) << at << ", line " << k;
    }
  }
}

// Streams `text` in pieces of 1..17 bytes and compares with the whole layout at every step.
void streamAndCompare(const std::string& text, float listWidth) {
  FixedFonts f;
  core::Message reply;
  reply.id = reply.requestId = "c-1";
  reply.role = core::Role::Assistant;
  reply.status = core::MessageStatus::Streaming;
  StreamingLayout streaming;
  CardLayout layout;
  std::size_t at = 0;
  int step = 0;
  while (at < text.size()) {
    at = std::min(text.size(), at + 1 + static_cast<std::size_t>((step * 7) % 17));
    ++step;
    reply.content = text.substr(0, at);
    const MessageModel model{&reply, reply.content, true, {}};
    streaming.update(model, f.ctx, listWidth, layout);
    const CardLayout whole = layoutMessage(model, f.ctx, listWidth);
    expectSameLayout(layout, whole, "after " + std::to_string(at) + " bytes");
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(StreamingLayout, MarkdownGrownDeltaByDeltaEqualsTheWholeLayout) {
  const std::string text =
      "# A heading\n\nFirst paragraph with **bold words** and `code` that wraps over a few lines "
      "of the narrow bubble.\nIts second line.\n\n- one\n- two\n  - nested item that is long "
      "enough to wrap around\n- three\n\n1. first\n2) second\n\n> a quote\n> on two lines\n\n"
      "```cpp\nint main() {\n  return 0;\n}\n```\nRight after the fence, **a bold that closes "
      "late** and an escaped \\* star.\n\n```\nunclosed code block at the end\nstill code\n";
  streamAndCompare(text, 420.0f);
  streamAndCompare(text, 160.0f);
}

TEST(StreamingLayout, LinksItalicTablesRulesAndUrlsGrowLikeTheWhole) {
  streamAndCompare("Some *italic* and _more italic_ text, ~~struck~~, a [link](https://example.com) "
                   "and a bare URL https://example.com/a/long/path that keeps growing plain words "
                   "after it\n\n| a | b |\n|---|:-:|\n| one | two |\n\n---\n\nsnake_case and 2*3*4 "
                   "stay literal, mailto:someone@example.com too, then more words to wrap around",
                   230.0f);
}

TEST(StreamingLayout, ALongSingleParagraphGrowsOnlyAtItsEnd) {
  std::string text;
  const char* words[] = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing"};
  for (int i = 0; i < 1500; ++i) text += (i ? " " : "") + std::string(words[i % 7]);
  streamAndCompare(text, 300.0f);
}

TEST(StreamingLayout, LinesThatBecomeItemsOrHeadingsLate) {
  streamAndCompare("Intro paragraph here.\n\n12345678. a numbered item after a long number\n\n"
                   "###### deep heading\n\n    - indented item\nplain\n\n**never closed bold and "
                   "more plain words after it, enough to wrap twice in the bubble",
                   250.0f);
}

}  // namespace
}  // namespace chat::ui
