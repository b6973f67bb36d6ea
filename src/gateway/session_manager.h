// What the gateway does with the session-list messages (declared with the rest of the protocol
// in core/protocol/messages.h), on either
// transport: list pages (and the older unpaged thread.list), the watch of the list feed,
// rename, archive, delete, search, regenerate / retry and edit, on a SessionListStore
// (session_list_store.h). Also the publisher of the list feed: after every commit, after every
// write of its own, and when the store hears of another node's change, the list changes it has
// not published yet go to this process's Hub on the list channel, where WebSocket watchers and
// long polls (GET /api/session-changes) take them.
//
// Regenerate and edit never rewrite: a regenerate is a new turn with no user message of its own
// (it answers the last user message again; clients show the replies after one user message as
// its variants), an edit is a new chat.message with `edits` naming the message it replaces,
// then its turn. Both only on a session with no turn running or waiting (else conflict).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/protocol/messages.h"

#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/session_list_store.h"

namespace chat::gateway {

class SessionManager {
 public:
  // The Hub channel of the list feed (no session id can look like it). Its "seq" is the
  // change number; numbers skip (a session's newer change replaces its older one).
  static const std::string kListChannel;

  // `list`: where the list lives (the log's SessionCatalog, or Redis with --redis).
  SessionManager(GatewayCore& core, Hub& hub, SessionListStore& list);
  // On the log's catalog (tests).
  SessionManager(GatewayCore& core, Hub& hub);

  // False when `message` is not one of these messages (the caller hands it to the core).
  // Otherwise `reply` is called once, maybe after a commit. A watch's answer asks the WebSocket
  // to subscribe to kListChannel from the change it names (Result::sessionId / fromSeq).
  bool handle(const proto::ClientMessage& message, const GatewayCore::Reply& reply);

  // Publishes the list changes not published yet (called after every commit).
  void publishChanges();
  int64_t lastPublished() const { return published_; }

 private:
  void listPage(const proto::SessionListRequest& r, const GatewayCore::Reply& reply);
  void threadList(const proto::ThreadListRequest& r, const GatewayCore::Reply& reply);
  void watch(const proto::SessionWatch& r, const GatewayCore::Reply& reply);
  void rename(const proto::SessionRename& r, const GatewayCore::Reply& reply);
  void archive(const proto::SessionArchive& r, const GatewayCore::Reply& reply);
  void remove(const proto::SessionDelete& r, const GatewayCore::Reply& reply);
  void search(const proto::SessionSearchRequest& r, const GatewayCore::Reply& reply);
  void regenerate(const proto::ChatRegenerate& r, const GatewayCore::Reply& reply);
  void edit(const proto::ChatEdit& r, const GatewayCore::Reply& reply);
  // Acks `id` once recorded as applied, and publishes what the write changed.
  void done(const std::string& id, const MessageIdUse& use, const GatewayCore::Reply& reply);

  GatewayCore& core_;
  Hub& hub_;
  SessionListStore& list_;
  int64_t published_ = -1;  // -1: not known yet (the store was unreachable at start)
};

}  // namespace chat::gateway
