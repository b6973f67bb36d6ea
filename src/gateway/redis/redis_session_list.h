// The session list every node of a --redis deployment shares (session_list_store.h): kept by
// the append script (redis_event_store.h: head hash, `sessions`, the change counter and
// `changed`, the search text) and by the scripts here for what users do to it. Each write is
// one Lua script, so it is atomic and seen by every node at once:
//   - rename / archive: the head's title or archived flag, the session's next change number;
//   - delete: the log, search text, grants, waiting and open turns go; the head keeps only
//     `deleted` (appends to it are dropped, chat.send to it refused, its events unreadable)
//     and the "deleted" change is the tombstone.
// Every write that moves the feed publishes the counter on the list channel; each node listens
// there (a connection on the network thread's io_context) and tells its publisher
// (onExternalChange), which reads the changes after the last it published: a node that was cut
// off from Redis catches up the same way when it reconnects.
//
// Paging: newest first by the `sessions` sorted set; sessions updated in the same millisecond
// come in descending id order (SQLite: ascending), the cursor "<updatedAt>:<id>" is the same.
// Archived sessions are skipped while walking the set (cost: the archived ones read per page).
//
// Search, without a full-text index: titles (case-insensitive substring, as SQLite's LIKE),
// then the messages and replies of each session's text hash (every typed word a substring,
// case-insensitive ASCII), sessions most recently updated first, newest message first in each.
// Cost: a search reads every session's text inside Redis (scripts of 50 sessions, so other
// commands run in between); only the hits travel. Fine for thousands of chats, not millions.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_client.h"
#include "gateway/redis/redis_keys.h"
#include "gateway/redis/redis_script.h"
#include "gateway/session_list_store.h"

namespace chat::gateway::redis {

class RedisSessionList : public SessionListStore {
 public:
  // `redis` makes the calls (shared, outlives this); the list channel is listened to on `ioc`.
  RedisSessionList(boost::asio::io_context& ioc, RedisBlocking& redis, const RedisEndpoint& endpoint,
                   RedisKeys keys = {}, RedisClientOptions subscriberOptions = {});
  ~RedisSessionList() override;

  int64_t lastChange() override;
  std::vector<SessionChange> changesAfter(int64_t afterChange, std::size_t limit) override;
  SessionPage listPage(const std::optional<std::string>& cursor, std::size_t limit,
                       bool includeArchived) override;
  bool isDeleted(const std::string& sessionId) override;
  std::optional<LastUserMessage> lastUserMessage(const std::string& sessionId) override;
  std::vector<SearchHit> search(const std::string& query, std::size_t limit) override;

  bool rename(const std::string& sessionId, const std::string& title, int64_t nowMs) override;
  bool setArchived(const std::string& sessionId, bool archived, int64_t nowMs) override;
  bool remove(const std::string& sessionId) override;

  bool takeChangedFlag() override { return changed_.exchange(false); }
  void onExternalChange(std::function<void()> handler) override { onChange_ = std::move(handler); }

  bool listening() const { return subscriber_.ready(); }

 private:
  void heard();  // on the io_context: the feed may have moved
  std::vector<SearchHit> searchTitles(const std::string& trimmed, std::size_t limit);

  RedisBlocking& redis_;
  RedisKeys keys_;
  RedisClient subscriber_;
  std::atomic<bool> changed_{true};  // the first publish reads the feed
  std::function<void()> onChange_;
  RedisScript changesScript_, pageScript_, titleScript_, textScript_, renameScript_,
      archiveScript_, removeScript_;
};

}  // namespace chat::gateway::redis
