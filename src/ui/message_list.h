// The scrolling transcript. Long histories stay cheap: each entry's layout (wrap points,
// rows) is cached per (entry, revision, width, fonts) and its height kept in a prefix
// sum, so a frame binary-searches the first visible entry and lays out only the entries on
// screen (plus the last few, so the bottom is exact while a reply streams). Entries never seen
// carry an estimate from their byte count until they scroll into view.
//
// Sticks to the bottom while new content arrives unless the user scrolled up; then a
// "Jump to latest" button brings it back.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "ui/card_layout.h"
#include "ui/height_index.h"
#include "ui/streaming_layout.h"
#include "ui/tool_card.h"
#include "ui/view_context.h"

namespace chat::ui {

class MessageList {
 public:
  // Draws the list as a child region of `size` at the cursor. `session` may be null.
  void draw(const core::SessionState* session, ViewContext& ctx, ImVec2 size);
  // A keyboard scroll for the next draw (about 90% of the visible height per page).
  void scroll(TranscriptScroll request) {
    if (request != TranscriptScroll::None) scrollRequest_ = request;
  }
  // Scrolls to the message `messageId` (a user message's id, a reply's requestId) as soon as
  // it is in the timeline (a search result opened its chat there); a new `serial` asks again.
  void reveal(const std::string& messageId, uint64_t serial);

  uint64_t layoutCalls() const { return layoutCalls_; }
  std::size_t entryCount() const { return heights_.size(); }
  std::size_t firstVisible() const { return firstVisible_; }
  std::size_t lastVisible() const { return lastVisible_; }
  bool stickToBottom() const { return stick_; }
  double contentHeight() { return heights_.total(); }
  bool wantsAnotherFrame() const { return wantsFrame_; }

 private:
  // What an entry index shows: a timeline entry, or, after the last one, the caret of a reply
  // whose stream started but whose first delta (which creates its message) has not arrived.
  struct EntryRef {
    int kind = 0;  // 0 message, 1 tool, 2 approval, 3 reply not yet written
    std::size_t index = 0;
    bool operator!=(const EntryRef& o) const { return kind != o.kind || index != o.index; }
  };
  struct Slot {
    EntryRef ref;
    uint64_t version = 0;
    float width = -1;
    uint32_t fontGeneration = 0;
    std::unique_ptr<CardLayout> layout;  // null until the entry was on screen or near the end
  };

  void reset(const std::string& sessionId);
  void sync(const core::SessionState& s, const ViewContext& ctx);
  EntryRef refOf(const core::SessionState& s, std::size_t i) const;
  uint64_t versionOf(const core::SessionState& s, const EntryRef& ref);
  float estimate(const core::SessionState& s, const EntryRef& ref, const ViewContext& ctx) const;
  // Lays the entry out again if its content, the width or the fonts changed; returns the
  // change of its height.
  float ensureLaidOut(const core::SessionState& s, std::size_t i, ViewContext& ctx);
  void noteToolTimes(const core::SessionState& s, const EntryRef& ref, int64_t nowMs);
  void drawEntry(const core::SessionState& s, std::size_t i, ImVec2 origin, ViewContext& ctx);
  void reportEntry(const core::SessionState& s, std::size_t i, ImVec2 origin, float height) const;

  std::string sessionId_;
  bool haveSession_ = false;
  std::vector<Slot> slots_;
  HeightIndex heights_;
  std::map<std::string, ToolCardUi> toolUi_;
  std::size_t streamingMessage_ = SIZE_MAX;  // message index whose text is the live stream
  StreamingLayout streaming_;                // its layout, extended delta by delta
  float width_ = 0;
  uint64_t layoutCalls_ = 0;
  std::size_t firstVisible_ = 0, lastVisible_ = 0;
  bool stick_ = true;
  bool jump_ = false;
  TranscriptScroll scrollRequest_ = TranscriptScroll::None;
  float viewH_ = 0;
  std::string revealId_;      // the message to scroll to once it is there ("" when none)
  uint64_t revealSerial_ = 0;
  float pendingScrollAdjust_ = 0;
  float lastScrollY_ = 0;
  ImVec2 lastMin_{0, 0}, lastMax_{0, 0};
  bool wantsFrame_ = false;
};

}  // namespace chat::ui
