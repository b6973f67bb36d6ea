#include "gateway/session_manager.h"

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/message_id_use.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

const std::string SessionManager::kListChannel = "*session-list";

namespace {
constexpr std::size_t kPublishPage = 1000;

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

GatewayCore::Result answer(const std::string& id, nlohmann::json frame) {
  GatewayCore::Result r = GatewayCore::ackOf(id);
  frame["requestId"] = id;
  r.frames.push_back(dump(frame));
  return r;
}
}  // namespace

SessionManager::SessionManager(GatewayCore& core, Hub& hub) : core_(core), hub_(hub) {
  published_ = core_.log().catalog().lastChange();
  core_.commits().setAfterCommit([this] { publishChanges(); });
}

void SessionManager::publishChanges() {
  SessionCatalog& catalog = core_.log().catalog();
  if (!catalog.takeChangedFlag()) return;
  try {
    for (;;) {
      auto changes = catalog.changesAfter(published_, kPublishPage);
      if (changes.empty()) return;
      std::vector<LoggedEvent> frames;
      frames.reserve(changes.size());
      for (const auto& change : changes)
        frames.push_back(LoggedEvent{change.changeSeq, encodeSessionChange(change)});
      published_ = changes.back().changeSeq;
      hub_.publish(kListChannel, frames);
      if (changes.size() < kPublishPage) return;
    }
  } catch (const std::exception& e) {
    // Watchers catch up from the feed on their next read; nothing is lost.
    logLine(std::string("session list publish: ") + e.what());
  }
}

bool SessionManager::handleFrame(const std::string& frame, const GatewayCore::Reply& reply) {
  auto decoded = decodeSessionRequest(frame);
  if (!decoded) return false;
  if (decoded->error) {
    GatewayCore::Result r;
    r.frames.push_back(encodeError(decoded->error->id, proto::code::kBadRequest,
                                   decoded->error->message));
    r.isError = true;
    r.errorCode = proto::code::kBadRequest;
    reply(std::move(r));
    return true;
  }
  handle(*decoded->request, reply);
  return true;
}

void SessionManager::handle(const SessionRequest& request, const GatewayCore::Reply& reply) {
  try {
    std::visit(
        [&](const auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, ListPageRequest>) listPage(r, reply);
          if constexpr (std::is_same_v<T, WatchRequest>) watch(r, reply);
          if constexpr (std::is_same_v<T, RenameRequest>) rename(r, reply);
          if constexpr (std::is_same_v<T, ArchiveRequest>) archive(r, reply);
          if constexpr (std::is_same_v<T, DeleteRequest>) remove(r, reply);
          if constexpr (std::is_same_v<T, SearchRequest>) search(r, reply);
          if constexpr (std::is_same_v<T, RegenerateRequest>) regenerate(r, reply);
          if constexpr (std::is_same_v<T, EditRequest>) edit(r, reply);
        },
        request);
  } catch (const std::exception& e) {
    logLine(std::string("session request: ") + e.what());
    reply(GatewayCore::error(requestId(request), proto::code::kInternal, "internal error"));
  }
}

void SessionManager::listPage(const ListPageRequest& r, const GatewayCore::Reply& reply) {
  SessionPage page;
  try {
    page = core_.log().catalog().listPage(r.cursor, r.limit, r.includeArchived);
  } catch (const std::invalid_argument& e) {
    return reply(GatewayCore::error(r.id, proto::code::kBadRequest, e.what()));
  }
  nlohmann::json sessions = nlohmann::json::array();
  for (const auto& s : page.sessions) sessions.push_back(sessionInfoJson(s));
  nlohmann::json frame = {{"type", "session.list"},
                          {"sessions", std::move(sessions)},
                          {"lastChange", page.lastChange}};
  if (page.nextCursor) frame["nextCursor"] = *page.nextCursor;
  reply(answer(r.id, std::move(frame)));
}

void SessionManager::watch(const WatchRequest& r, const GatewayCore::Reply& reply) {
  GatewayCore::Result result = GatewayCore::ackOf(r.id);
  result.sessionId = kListChannel;  // the WebSocket replays the feed after it, then goes live
  result.fromSeq = r.afterChange;
  reply(std::move(result));
}

void SessionManager::done(const std::string& id, const MessageIdUse& use,
                          const GatewayCore::Reply& reply) {
  core_.log().markProcessed(ProcessedRecord{id, encodeProcessedReply(encodeAck(id), use)},
                            wallClockMs());
  publishChanges();
  reply(GatewayCore::ackOf(id));
}

void SessionManager::rename(const RenameRequest& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{"session.rename", r.sessionId, digestOf(r.title)};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  std::string title = r.title;
  for (char& c : title)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (!core_.log().catalog().rename(r.sessionId, title, wallClockMs()))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, "no chat " + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::archive(const ArchiveRequest& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{"session.archive", r.sessionId, r.archived ? "1" : "0"};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  if (!core_.log().catalog().setArchived(r.sessionId, r.archived, wallClockMs()))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, "no chat " + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::remove(const DeleteRequest& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{"session.delete", r.sessionId, ""};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  // Its turns stop first; whatever they still emit is dropped by the log (the tombstone).
  core_.stopSessionTurns(r.sessionId);
  if (!core_.log().catalog().remove(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, "no chat " + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::search(const SearchRequest& r, const GatewayCore::Reply& reply) {
  nlohmann::json results = nlohmann::json::array();
  for (const SearchHit& hit : core_.log().catalog().search(r.query, r.limit)) {
    nlohmann::json item = {{"sessionId", hit.sessionId},
                           {"title", hit.title},
                           {"archived", hit.archived},
                           {"match", hit.kind}};
    if (hit.kind == "message") {
      item["seq"] = hit.seq;
      item["messageId"] = hit.messageId;
      item["role"] = hit.role;
      item["snippet"] = hit.snippet;
    }
    results.push_back(std::move(item));
  }
  reply(answer(r.id, {{"type", "session.search"}, {"query", r.query}, {"results", results}}));
}

void SessionManager::regenerate(const RegenerateRequest& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{"chat.regenerate", r.sessionId, ""};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  auto last = core_.log().catalog().lastUserMessage(r.sessionId);
  if (!last)
    return reply(GatewayCore::error(r.id, proto::code::kNotFound,
                                    "no message to answer again in " + r.sessionId));
  if (core_.sessionBusy(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    "a reply is still streaming in this chat: stop it first"));
  core_.submitTurn(r.id, {}, QueuedTurn{r.sessionId, r.id, last->content, last->model, false},
                   use, reply);
}

void SessionManager::edit(const EditRequest& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{"chat.edit", r.sessionId, digestOf(r.messageId + '\0' + r.content)};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  auto last = core_.log().catalog().lastUserMessage(r.sessionId);
  if (!last)
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, "no message to edit"));
  if (last->messageId != r.messageId)
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    "only the last user message can be edited"));
  if (core_.sessionBusy(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    "a reply is still streaming in this chat: stop it first"));
  nlohmann::json echo = {{"type", "chat.message"}, {"messageId", r.id},
                         {"role", "user"},         {"content", r.content},
                         {"timestamp", wallClockMs()}, {"edits", r.messageId}};
  core_.submitTurn(r.id, {std::move(echo)},
                   QueuedTurn{r.sessionId, r.id, r.content, last->model, false}, use, reply);
}

}  // namespace chat::gateway
