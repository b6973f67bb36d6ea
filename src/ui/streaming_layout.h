// The layout of a reply while it streams, extended by each delta instead of recomputed, so a
// delta costs what it adds, not the length of the reply.
//
// Two levels:
//  - Settled blocks. Text before a point where Markdown can no longer change (the start of a
//    line after a blank line that begins a paragraph, heading or quote at the left margin, or
//    right after a closed code fence) is laid out once; its rows are kept, and only the text
//    after the last such point (the tail) is parsed and laid out again.
//  - A growing last line. When a delta adds only plain characters (letters, digits, spaces and
//    a little punctuation: isPlainTextChar) to the tail's last paragraph, which ends in a plain
//    word, the paragraph's text grows by exactly those characters: they are appended to its row
//    and only its last wrapped line is wrapped again.
//    Otherwise the tail is parsed again, reusing the wrapped lines of its last row up to where
//    its text changed.
// The result equals layoutMessage() of the whole text (tests/unit/ui/streaming_layout_test).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ui/card_layout.h"
#include "ui/message_view.h"

namespace chat::ui {

class StreamingLayout {
 public:
  // `layout`: what this object produced for the same message last time (or anything, the
  // first time); replaced by the layout of m.text. Falls back to a full layout when the width,
  // the fonts or the message changed, or the text did not grow.
  void update(const MessageModel& m, const ViewContext& ctx, float listWidth, CardLayout& layout);

 private:
  void reset();
  // What of the reply's "Thinking" block its layout depends on (reasoning length, open, live).
  static uint64_t thinkingKey(const MessageModel& m);
  // Scans complete lines not yet scanned; returns the last settle point found (or settledEnd_).
  std::size_t findSettlePoint(std::string_view text);
  void layoutTail(std::string_view text, CardBuilder& b, Row* earlierLast, bool haveEarlierLast);

  // What the cached state belongs to.
  std::string messageId_;
  float listWidth_ = -1;
  uint32_t fontGeneration_ = 0;
  std::size_t textSize_ = 0;
  std::size_t madeRows_ = 0;  // the layout made last time (is `layout` still that one?)
  float madeHeight_ = -1;
  uint64_t thinkingKey_ = 0;

  // Settled blocks: text [0, settledEnd_) is laid out in the rows before settled_.
  std::size_t settledEnd_ = 0;
  CardBuilder::Mark settled_;
  // Line scan for settle points.
  std::size_t scanEnd_ = 0;      // start of the first line not scanned yet
  std::size_t searchedTo_ = 0;   // no '\n' in [scanEnd_, searchedTo_)
  bool inFence_ = false;
  bool afterBlank_ = false;      // the last scanned line was blank (outside a fence)
  bool afterFence_ = false;      // the last scanned line closed a fence

  // The tail's last row, when it is a paragraph that plain characters can grow (see above).
  bool growable_ = false;
  std::size_t grownTo_ = 0;      // the row's text ends where the source text (trimmed) ends
  CardBuilder::Mark beforeLast_;  // the builder before the tail's last row
};

}  // namespace chat::ui
