// The session list (the sidebar's chats) as the client knows it, and the pure steps that keep
// it current: pages of `session.list` read as the user scrolls, and the list feed's
// `session.changed` changes (PROTOCOL.md "The session list"), over WebSocket or long poll.
//
// Ordering rule: every row remembers the change number it reflects (`knownAt`). A change
// carries its own number; a page reflects the feed as of its `lastChange`. Whatever arrives
// with a number below what a row already reflects is stale and dropped, so pages and changes
// may arrive in any order, twice, or over both transports, and the list ends the same.
//
// Pure: no I/O, no clock. The client (core/client) decides when to ask for pages and from
// which change to watch (`lastChange`).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/protocol/messages.h"

namespace chat::core {

enum class ListChangeKind { Created, Retitled, Updated, Archived, Unarchived, Deleted };

// "created", "retitled", ... <-> the kind; false for a name the protocol does not have.
bool parseListChangeKind(const std::string& name, ListChangeKind* out);
const char* listChangeKindName(ListChangeKind kind);

// One change of the feed. A deleted session's change holds only its sessionId.
struct ListChange {
  int64_t changeSeq = 0;
  ListChangeKind kind = ListChangeKind::Updated;
  proto::SessionInfo session;
};

// One page of session.list: the request it answers, its rows (newest first), the feed's
// number when it was read, and where the next page starts (none: this was the last one).
struct ListPage {
  std::string requestId;
  std::vector<proto::SessionInfo> sessions;
  int64_t lastChange = 0;
  std::optional<std::string> nextCursor;
};

struct SessionList {
  // Loaded rows in the gateway's order: updatedAt descending, then sessionId ascending.
  // Archived rows are kept (the sidebar shows them on request).
  std::vector<proto::SessionInfo> rows;
  // The watch position: every change up to here is applied; watch from here after a reconnect.
  int64_t lastChange = 0;
  bool firstPageLoaded = false;
  // Where the next page starts; none once the last page arrived (or before the first).
  std::optional<std::string> nextCursor;
  // The page request in flight ("" when none): one at a time, so scrolling asks once.
  std::string pendingPageId;
  // sessionId -> the change number its row (or its deletion) reflects. Deleted sessions stay
  // here as tombstones, so a late page cannot bring them back.
  std::map<std::string, int64_t> knownAt;
  // The last row of the last page read (its order key): rows older than it are not loaded yet,
  // so a change about such a row waits for its page instead of showing out of place.
  std::optional<proto::SessionInfo> boundary;

  // Iterable as its rows (the header and the page snapshot read titles this way).
  std::vector<proto::SessionInfo>::const_iterator begin() const { return rows.begin(); }
  std::vector<proto::SessionInfo>::const_iterator end() const { return rows.end(); }
  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  // Every page read: nothing more to ask for.
  bool complete() const { return firstPageLoaded && !nextCursor; }
  // More can be asked for now: the first page, or the next one when none is in flight.
  bool canLoadMore() const { return pendingPageId.empty() && (!firstPageLoaded || nextCursor); }
  const proto::SessionInfo* find(const std::string& sessionId) const;
  bool wasDeleted(const std::string& sessionId) const;
};

// The sidebar's search: the query asked last, its answer (session.search: title matches
// first, then messages with the seq and messageId to open the chat at).
struct SessionSearch {
  std::string query;
  std::string pendingId;  // the session.search in flight ("" when answered)
  std::vector<proto::SearchResult> results;
  std::string error;      // why the last search failed ("" when it did not)
};

// What a step did.
struct ListStep {
  bool applied = false;       // false: stale or a duplicate, nothing changed
  std::string removedId;      // a row that went away (deleted), "" otherwise
  std::size_t removedIndex = 0;  // where it was in `rows`
};

// A page arrived. Its rows join the list (rows the list knows from a newer change stay as
// they are). Only the answer to `pendingPageId` moves the paging on (nextCursor); the first
// such answer also sets the watch position to its lastChange when the list is behind it.
// Pages answering other requests (e.g. resent from a persisted outbox) only add their rows.
ListStep applyListPage(SessionList& list, const ListPage& page);

// The page request `requestId` failed: paging may ask again.
void listPageFailed(SessionList& list, const std::string& requestId);

// A change of the feed arrived (live or caught up after a reconnect).
ListStep applyListChange(SessionList& list, const ListChange& change);

// The chat to show after the row at `removedIndex` went away (ListStep): the first one not
// archived from that place on, else the nearest one before it, else "" (the caller opens a
// new chat).
std::string sessionAfterRemoval(const SessionList& list, std::size_t removedIndex);

}  // namespace chat::core
