#include "ui/streaming_layout.h"

#include <algorithm>
#include <utility>

#include "ui/markdown_blocks.h"
#include "ui/markdown_prose.h"
#include "ui/thinking_block.h"

namespace chat::ui {

namespace {

bool isBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool isTrimmed(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The text's end once trailing blanks are dropped (what a prose block's text ends with).
std::size_t trimmedEnd(std::string_view text, std::size_t from) {
  std::size_t end = text.size();
  while (end > from && isTrimmed(text[end - 1])) --end;
  return end;
}

}  // namespace

uint64_t StreamingLayout::thinkingKey(const MessageModel& m) {
  if (m.message == nullptr) return 0;
  const core::Message& msg = *m.message;
  return (static_cast<uint64_t>(msg.reasoning.size()) << 2) | (msg.reasoningOpen ? 2u : 0u) |
         (msg.thinking() ? 1u : 0u);
}

void StreamingLayout::reset() {
  settledEnd_ = 0;
  settled_ = CardBuilder::Mark{};
  scanEnd_ = searchedTo_ = 0;
  inFence_ = afterBlank_ = afterFence_ = false;
  growable_ = false;
  grownTo_ = 0;
  beforeLast_ = CardBuilder::Mark{};
}

std::size_t StreamingLayout::findSettlePoint(std::string_view text) {
  std::size_t point = settledEnd_;
  while (true) {
    const std::size_t nl = text.find('\n', std::max(scanEnd_, searchedTo_));
    if (nl == std::string_view::npos) {
      searchedTo_ = text.size();
      return point;
    }
    const std::string_view line = text.substr(scanEnd_, nl - scanEnd_);
    std::string_view info;
    const bool fence = isFenceLine(line, &info);
    if (!inFence_) {
      // A fresh start for the Markdown below: nothing above can change how it reads, and
      // nothing below can change what is above.
      const bool margin = !line.empty() && line[0] != ' ' && !fence && !isBlankLine(line) &&
                          !isListItemLine(line);
      if (afterFence_ || (afterBlank_ && margin)) point = scanEnd_;
    }
    afterFence_ = false;
    if (inFence_) {
      if (fence && info.empty()) {
        inFence_ = false;
        afterFence_ = true;
      }
      afterBlank_ = false;
    } else if (fence) {
      inFence_ = true;
      afterBlank_ = false;
    } else {
      afterBlank_ = isBlankLine(line);
    }
    scanEnd_ = searchedTo_ = nl + 1;
  }
}

void StreamingLayout::layoutTail(std::string_view text, CardBuilder& b, Row* earlierLast,
                                 bool haveEarlierLast) {
  const std::string_view tail = text.substr(settledEnd_);
  CardBuilder::Mark lastMark = b.mark();
  bool lastIsProse = false;
  addMessageBlocks(b, tail, core::Role::Assistant, [&](bool code) -> Row* {
    // Called right before the tail's last row is added.
    lastMark = b.mark();
    lastIsProse = !code;
    return haveEarlierLast ? earlierLast : nullptr;
  });
  beforeLast_ = lastMark;
  // Plain characters appended later only grow the last paragraph when the text so far ends in
  // that paragraph with a plain character (not an open fence, not a marker awaiting its pair),
  // and its last line is long enough that no character added can make it an item, a heading
  // or a quote (whose markers all sit within 12 characters of the line's first non-space).
  const std::size_t end = trimmedEnd(text, settledEnd_);
  const std::string_view lastLine = text.substr(scanEnd_);
  const std::size_t first = lastLine.find_first_not_of(' ');
  // The last word must be plain too: letters added to a URL (http://...) would extend its link.
  std::size_t word = end;
  while (word > scanEnd_ && text[word - 1] != ' ' && isPlainTextChar(text[word - 1])) --word;
  const bool plainWord = word == scanEnd_ || text[word - 1] == ' ';
  growable_ = lastIsProse && !inFence_ && b.mark().rows == lastMark.rows + 1 && end > scanEnd_ &&
              plainWord && word < end && first != std::string_view::npos && lastLine.size() - first >= 12 &&
              !b.pending().rows.back().rtl;
  grownTo_ = end;
}

void StreamingLayout::update(const MessageModel& m, const ViewContext& ctx, float listWidth,
                             CardLayout& layout) {
  const std::string_view text = m.text;
  const bool same = m.message != nullptr && m.message->id == messageId_ &&
                    listWidth == listWidth_ && ctx.fontGeneration == fontGeneration_ &&
                    text.size() >= textSize_ && !layout.rows.empty() &&
                    layout.rows.size() == madeRows_ && layout.height == madeHeight_ &&
                    thinkingKey(m) == thinkingKey_;
  if (!same) {
    reset();
    layout = CardLayout{};
    // The "Thinking" block (thinking_block.h) comes first and is settled like a block of text:
    // while the reasoning changes (grows, opens) the reply is laid out again from the start.
    CardBuilder prefix(ctx, bubbleInnerWidth(core::Role::Assistant, listWidth));
    addThinkingRows(prefix, m.message, ctx);
    settled_ = prefix.mark();
    layout = std::move(prefix.pending());
  }
  thinkingKey_ = thinkingKey(m);
  messageId_ = m.message ? m.message->id : std::string();
  listWidth_ = listWidth;
  fontGeneration_ = ctx.fontGeneration;
  textSize_ = text.size();

  // The previous tail's last row: its wrapped lines are worth reusing.
  Row earlierLast;
  bool haveEarlierLast = false;
  if (same && layout.rows.size() > beforeLast_.rows) {
    earlierLast = std::move(layout.rows[beforeLast_.rows]);
    haveEarlierLast = true;
  }

  CardBuilder b(ctx, bubbleInnerWidth(core::Role::Assistant, listWidth));
  const std::size_t point = findSettlePoint(text);
  if (point > settledEnd_) {
    // Blocks that can no longer change: laid out once, after the rows settled before.
    b.resume(std::move(layout), settled_);
    addMessageBlocks(b, text.substr(settledEnd_, point - settledEnd_), core::Role::Assistant);
    settled_ = b.mark();
    settledEnd_ = point;
    growable_ = false;
    haveEarlierLast = false;  // it belonged to text that is settled now
    layoutTail(text, b, nullptr, false);
  } else if (growable_ && haveEarlierLast) {
    const std::size_t end = trimmedEnd(text, grownTo_);
    bool plain = text.find('\n', grownTo_) == std::string_view::npos;
    for (std::size_t i = grownTo_; plain && i < end; ++i) plain = isPlainTextChar(text[i]);
    if (plain) {
      b.resume(std::move(layout), beforeLast_);
      b.addGrownText(std::move(earlierLast), text.substr(grownTo_, end - grownTo_));
      grownTo_ = end;
    } else {
      b.resume(std::move(layout), settled_);
      layoutTail(text, b, &earlierLast, true);
    }
  } else {
    b.resume(std::move(layout), settled_);
    layoutTail(text, b, &earlierLast, haveEarlierLast);
  }
  layout = finishMessageLayout(m, b, listWidth);
  madeRows_ = layout.rows.size();
  madeHeight_ = layout.height;
}

}  // namespace chat::ui
