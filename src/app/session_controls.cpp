#include "app/session_controls.h"

#include <ctime>

namespace chat::app {

namespace {

// Typing pauses this long before a search goes out (one request per word, not per key).
constexpr int64_t kSearchDelayMs = 200;

}  // namespace

bool SessionControls::dispatch(const ui::UiIntent& i) {
  using K = ui::UiIntent::Kind;
  switch (i.kind) {
    case K::LoadMoreSessions: client_.loadMoreSessions(); return true;
    case K::BeginRename:
      renamingId_ = i.target;
      rename_.setText(i.text);
      renameFocusOwed_ = true;  // once the field is laid over the row (after this frame)
      return true;
    case K::CancelRename: endRename(); return true;
    case K::ArchiveSession: client_.archiveSession(i.target, i.text != "unarchive"); return true;
    case K::DeleteSession: client_.deleteSession(i.target); return true;
    case K::FocusSearch: search_.focus(); return true;
    case K::ClearSearch:
      search_.clear();
      searchDueAt_ = 0;
      client_.clearSessionSearch();
      return true;
    case K::OpenSearchResult:
      if (i.target != client_.state().currentSessionId) client_.switchSession(i.target);
      if (!i.text.empty()) {
        revealMessageId_ = i.text;
        ++revealSerial_;
      }
      return true;
    case K::Regenerate: client_.regenerate(); return true;
    case K::BeginEdit:
      editingMessageId_ = i.target;
      editingSessionId_ = client_.state().currentSessionId;
      composer_.setText(i.text);
      composer_.focus();
      return true;
    case K::CancelEdit:
      endEdit();
      composer_.clear();
      return true;
    default: return false;
  }
}

bool SessionControls::sendEdit(const std::string& text, std::string* sentId) {
  if (editingMessageId_.empty()) return false;
  *sentId = client_.editLastMessage(editingMessageId_, text);
  if (!sentId->empty()) endEdit();
  return true;
}

DomField* SessionControls::field(DomField::Which which) {
  if (which == DomField::Which::Search) return &search_;
  if (which == DomField::Which::Rename) return &rename_;
  return nullptr;
}

void SessionControls::onFieldInput(DomField::Which which, const std::string& text, int64_t nowMs) {
  DomField* f = field(which);
  if (f == nullptr) return;
  f->onInput(text);
  if (which != DomField::Which::Search) return;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    searchDueAt_ = 0;
    client_.clearSessionSearch();
  } else {
    searchDueAt_ = nowMs + kSearchDelayMs;
  }
}

void SessionControls::onFieldFocus(DomField::Which which, bool focused) {
  DomField* f = field(which);
  if (f == nullptr) return;
  f->onFocus(focused);
  // Leaving the title field without Enter keeps the old title.
  if (which == DomField::Which::Rename && !focused && !renameFocusOwed_) endRename();
}

int SessionControls::onFieldKey(DomField::Which which, const std::string& key, bool composing) {
  if (composing) return 0;
  if (which == DomField::Which::Rename) {
    if (key == "Enter") {
      if (!renamingId_.empty()) client_.renameSession(renamingId_, rename_.text());
      endRename();
      return 1;
    }
    if (key == "Escape") {
      endRename();
      return 1;
    }
    return 0;
  }
  if (which == DomField::Which::Search) {
    if (key == "Escape") {
      dispatch(ui::UiIntent{ui::UiIntent::Kind::ClearSearch, {}, {}});
      return 1;
    }
    if (key == "Enter") {
      // At once, without waiting for the pause; Enter again opens the first result.
      const core::SessionSearch& s = client_.state().sessionSearch;
      if (searchDueAt_ == 0 && s.query == search_.text() && !s.results.empty()) {
        const proto::SearchResult& first = s.results.front();
        dispatch(ui::UiIntent{ui::UiIntent::Kind::OpenSearchResult, first.sessionId,
                              first.messageId.value_or(std::string())});
      } else {
        searchDueAt_ = 0;
        client_.searchSessions(search_.text());
      }
      return 1;
    }
  }
  return 0;
}

void SessionControls::tick(int64_t nowMs) {
  if (searchDueAt_ != 0 && nowMs >= searchDueAt_) {
    searchDueAt_ = 0;
    client_.searchSessions(search_.text());
  }
  // Another chat is on screen (picked, or this one deleted): the edit was about the old one.
  if (!editingMessageId_.empty() && client_.state().currentSessionId != editingSessionId_) {
    endEdit();
    composer_.clear();
  }
}

void SessionControls::fillInput(ui::FrameInput& in, int64_t nowMs) const {
  in.searchText = search_.text();
  in.searchFocused = search_.focused();
  in.renamingSessionId = renamingId_;
  in.renameFocused = rename_.focused();
  in.editingMessageId = editingMessageId_;
  in.revealMessageId = revealMessageId_;
  in.revealSerial = revealSerial_;
  // The zone's offset now (it changes with daylight saving time).
  const std::time_t t = static_cast<std::time_t>(nowMs / 1000);
  std::tm local{};
  if (localtime_r(&t, &local) != nullptr) in.utcOffsetMs = static_cast<int64_t>(local.tm_gmtoff) * 1000;
}

void SessionControls::place(const ui::FrameOutput& out, bool shown, float displayWidth, double cssWidth) {
  search_.place(out.searchFieldRect, shown, displayWidth, cssWidth);
  rename_.place(out.renameFieldRect, shown, displayWidth, cssWidth);
  if (renameFocusOwed_ && rename_.visible()) {
    renameFocusOwed_ = false;
    rename_.focus();
  }
  // The row being renamed went away (deleted, archived out of view): nothing to rename.
  if (!renamingId_.empty() && !renameFocusOwed_ && !rename_.visible()) endRename();
}

void SessionControls::endRename() {
  renamingId_.clear();
  renameFocusOwed_ = false;
}

void SessionControls::endEdit() {
  editingMessageId_.clear();
  editingSessionId_.clear();
}

}  // namespace chat::app
