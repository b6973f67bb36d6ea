#include "gateway/session_manager.h"

#include <type_traits>

#include "core/protocol/codec.h"
#include "gateway/message_id_use.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

const std::string SessionManager::kListChannel = "*session-list";

namespace {
constexpr std::size_t kPublishPage = 1000;
constexpr std::size_t kMaxThreads = 10000;  // thread.list's answer stays a bounded frame

// The ack of request `id`, then its answer.
GatewayCore::Result answer(const std::string& id, proto::GatewayMessage frame) {
  GatewayCore::Result r = GatewayCore::ackOf(id);
  r.frames.push_back(proto::encode(frame));
  return r;
}

const std::string kNoSuchChat = "no chat ";
const char* const kStillStreaming = "a reply is still streaming in this chat: stop it first";
}  // namespace

SessionManager::SessionManager(GatewayCore& core, Hub& hub)
    : SessionManager(core, hub, core.log().catalog()) {}

SessionManager::SessionManager(GatewayCore& core, Hub& hub, SessionListStore& list)
    : core_(core), hub_(hub), list_(list) {
  try {
    published_ = list_.lastChange();
  } catch (const std::exception& e) {
    logLine(std::string("session list: ") + e.what() + " (the feed starts when it can be read)");
  }
  core_.commits().setAfterCommit([this] { publishChanges(); });
  list_.onExternalChange([this] { publishChanges(); });  // another node's change (--redis)
}

void SessionManager::publishChanges() {
  if (!list_.takeChangedFlag()) return;
  try {
    if (published_ < 0) published_ = list_.lastChange();
    for (;;) {
      auto changes = list_.changesAfter(published_, kPublishPage);
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

bool SessionManager::handle(const proto::ClientMessage& message, const GatewayCore::Reply& reply) {
  bool taken = true;
  try {
    std::visit(
        [&](const auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, proto::SessionListRequest>) listPage(r, reply);
          else if constexpr (std::is_same_v<T, proto::ThreadListRequest>) threadList(r, reply);
          else if constexpr (std::is_same_v<T, proto::SessionWatch>) watch(r, reply);
          else if constexpr (std::is_same_v<T, proto::SessionRename>) rename(r, reply);
          else if constexpr (std::is_same_v<T, proto::SessionArchive>) archive(r, reply);
          else if constexpr (std::is_same_v<T, proto::SessionDelete>) remove(r, reply);
          else if constexpr (std::is_same_v<T, proto::SessionSearchRequest>) search(r, reply);
          else if constexpr (std::is_same_v<T, proto::ChatRegenerate>) regenerate(r, reply);
          else if constexpr (std::is_same_v<T, proto::ChatEdit>) edit(r, reply);
          else taken = false;
        },
        message);
  } catch (const std::exception& e) {
    logLine(std::string("session request: ") + e.what());
    reply(GatewayCore::error(proto::messageId(message), proto::code::kInternal, "internal error"));
  }
  return taken;
}

void SessionManager::listPage(const proto::SessionListRequest& r, const GatewayCore::Reply& reply) {
  SessionPage page;
  try {
    page = list_.listPage(r.cursor, static_cast<std::size_t>(r.limit), r.includeArchived);
  } catch (const std::invalid_argument& e) {
    return reply(GatewayCore::error(r.id, proto::code::kBadRequest, e.what()));
  }
  proto::SessionList list;
  list.requestId = r.id;
  list.sessions = std::move(page.sessions);
  list.lastChange = page.lastChange;
  list.nextCursor = std::move(page.nextCursor);
  reply(answer(r.id, std::move(list)));
}

void SessionManager::threadList(const proto::ThreadListRequest& r, const GatewayCore::Reply& reply) {
  // The unpaged list older clients ask for: every page, up to kMaxThreads sessions.
  proto::ThreadList list;
  list.requestId = r.id;
  std::optional<std::string> cursor;
  do {
    SessionPage page = list_.listPage(cursor, SessionListStore::kMaxPage, r.includeArchived);
    for (auto& s : page.sessions) list.threads.push_back(std::move(s));
    cursor = std::move(page.nextCursor);
  } while (cursor && list.threads.size() < kMaxThreads);
  reply(answer(r.id, std::move(list)));
}

void SessionManager::watch(const proto::SessionWatch& r, const GatewayCore::Reply& reply) {
  GatewayCore::Result result = GatewayCore::ackOf(r.id);
  result.sessionId = kListChannel;  // the WebSocket replays the feed after it, then goes live
  result.fromSeq = r.afterChange;
  reply(std::move(result));
}

void SessionManager::done(const std::string& id, const MessageIdUse& use,
                          const GatewayCore::Reply& reply) {
  ProcessedRecord record{id, encodeProcessedReply(encodeAck(id), use)};
  publishChanges();
  if (&core_.store() == static_cast<EventStore*>(&core_.log())) {
    core_.log().markProcessed(record, wallClockMs());
    return reply(GatewayCore::ackOf(id));
  }
  // A shared store (--redis): the id is recorded where every node's resend check looks,
  // through the commit queue like the core's records; acked once recorded.
  core_.commits().enqueue(
      AppendRequest{"", {}, std::move(record), std::nullopt},
      [reply, id] { reply(GatewayCore::error(id, proto::code::kInternal, "internal error")); },
      [reply, id](const std::vector<LoggedEvent>&) { reply(GatewayCore::ackOf(id)); });
}

void SessionManager::rename(const proto::SessionRename& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{proto::SessionRename::kType, r.sessionId, digestOf(r.title)};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  std::string title = r.title;
  for (char& c : title)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (!list_.rename(r.sessionId, title, wallClockMs()))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, kNoSuchChat + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::archive(const proto::SessionArchive& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{proto::SessionArchive::kType, r.sessionId, r.archived ? "1" : "0"};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  if (!list_.setArchived(r.sessionId, r.archived, wallClockMs()))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, kNoSuchChat + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::remove(const proto::SessionDelete& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{proto::SessionDelete::kType, r.sessionId, ""};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  // Its turns stop first; whatever they still emit is dropped by the log (the tombstone).
  core_.stopSessionTurns(r.sessionId);
  if (!list_.remove(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, kNoSuchChat + r.sessionId));
  done(r.id, use, reply);
}

void SessionManager::search(const proto::SessionSearchRequest& r, const GatewayCore::Reply& reply) {
  proto::SessionSearchResult result;
  result.requestId = r.id;
  result.query = r.query;
  result.results = list_.search(r.query, static_cast<std::size_t>(r.limit));
  reply(answer(r.id, std::move(result)));
}

void SessionManager::regenerate(const proto::ChatRegenerate& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{proto::ChatRegenerate::kType, r.sessionId, ""};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  auto last = list_.lastUserMessage(r.sessionId);
  if (!last)
    return reply(GatewayCore::error(r.id, proto::code::kNotFound,
                                    "no message to answer again in " + r.sessionId));
  if (core_.sessionBusy(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    kStillStreaming));
  core_.submitTurn(r.id, {}, QueuedTurn{r.sessionId, r.id, last->content, last->model, false},
                   use, reply);
}

void SessionManager::edit(const proto::ChatEdit& r, const GatewayCore::Reply& reply) {
  const MessageIdUse use{proto::ChatEdit::kType, r.sessionId, digestOf(r.messageId + '\0' + r.content)};
  if (core_.answeredAsResend(r.id, use, reply)) return;
  auto last = list_.lastUserMessage(r.sessionId);
  if (!last)
    return reply(GatewayCore::error(r.id, proto::code::kNotFound, "no message to edit"));
  if (last->messageId != r.messageId)
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    "only the last user message can be edited"));
  if (core_.sessionBusy(r.sessionId))
    return reply(GatewayCore::error(r.id, proto::code::kConflict,
                                    kStillStreaming));
  proto::ChatMessageEvent echo;
  echo.messageId = r.id;
  echo.role = "user";
  echo.content = r.content;
  echo.timestamp = wallClockMs();
  echo.edits = r.messageId;
  core_.submitTurn(r.id, {std::move(echo)},
                   QueuedTurn{r.sessionId, r.id, r.content, last->model, false}, use, reply);
}

}  // namespace chat::gateway
