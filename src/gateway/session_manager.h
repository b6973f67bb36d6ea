// What the gateway does with the session-list messages (session_requests.h), on either
// transport: list pages, the watch of the list feed, rename, archive, delete, search,
// regenerate / retry and edit. Also the publisher of the list feed: after every commit (and
// after every write of its own) the list changes it has not published yet go to the Hub on the
// list channel, where WebSocket watchers and long polls (GET /api/session-changes) take them.
//
// Regenerate and edit never rewrite: a regenerate is a new turn with no user message of its own
// (it answers the last user message again; clients show the replies after one user message as
// its variants), an edit is a new chat.message with `edits` naming the message it replaces,
// then its turn. Both only on a session with no turn running or waiting (else conflict).
#pragma once

#include <cstdint>
#include <string>

#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/session_requests.h"

namespace chat::gateway {

class SessionManager {
 public:
  // The Hub channel of the list feed (no session id can look like it). Its "seq" is the
  // change number; numbers skip (a session's newer change replaces its older one).
  static const std::string kListChannel;

  SessionManager(GatewayCore& core, Hub& hub);

  // False when `frame` is not one of these messages (the caller hands it to the core).
  // Otherwise `reply` is called once, maybe after a commit. A watch's answer asks the WebSocket
  // to subscribe to kListChannel from the change it names (Result::sessionId / fromSeq).
  bool handleFrame(const std::string& frame, const GatewayCore::Reply& reply);
  void handle(const SessionRequest& request, const GatewayCore::Reply& reply);

  // Publishes the list changes not published yet (called after every commit).
  void publishChanges();
  int64_t lastPublished() const { return published_; }

 private:
  void listPage(const ListPageRequest& r, const GatewayCore::Reply& reply);
  void watch(const WatchRequest& r, const GatewayCore::Reply& reply);
  void rename(const RenameRequest& r, const GatewayCore::Reply& reply);
  void archive(const ArchiveRequest& r, const GatewayCore::Reply& reply);
  void remove(const DeleteRequest& r, const GatewayCore::Reply& reply);
  void search(const SearchRequest& r, const GatewayCore::Reply& reply);
  void regenerate(const RegenerateRequest& r, const GatewayCore::Reply& reply);
  void edit(const EditRequest& r, const GatewayCore::Reply& reply);
  // Acks `id` once recorded as applied, and publishes what the write changed.
  void done(const std::string& id, const MessageIdUse& use, const GatewayCore::Reply& reply);

  GatewayCore& core_;
  Hub& hub_;
  int64_t published_ = 0;
};

}  // namespace chat::gateway
