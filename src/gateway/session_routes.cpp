#include "gateway/session_routes.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/long_poll.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {

constexpr std::size_t kChangesPage = 1000;
using JsonResponder = std::function<ApiResponse(unsigned status, std::string body)>;

bool parseCount(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoll(s);
  return true;
}

// GET /api/session-changes's answer: the list changes after `after` (at most a page).
ApiResponse changesPage(ServerContext& ctx, int64_t after, const JsonResponder& json) {
  try {
    auto changes = ctx.sessionList.changesAfter(after, kChangesPage);
    proto::SessionChangesPage out;
    out.lastChange = changes.empty() ? std::max(after, ctx.sessionList.lastChange())
                                     : changes.back().changeSeq;
    out.more = changes.size() == kChangesPage;
    out.changes = std::move(changes);
    return json(200, proto::encodeSessionChangesPage(out));
  } catch (const std::exception& e) {
    logLine(std::string("GET /api/session-changes: ") + e.what());
    return json(500, encodeError(std::nullopt, proto::code::kInternal, "internal error"));
  }
}

// Runs a session request through the manager and answers with its main frame.
void viaManager(ServerContext& ctx, const proto::ClientMessage& request, const JsonResponder& json,
                const std::function<void(ApiResponse&&)>& respond) {
  ctx.sessions.handle(request, [json, respond](GatewayCore::Result result) {
    respond(json(result.isError ? httpStatusForCode(result.errorCode) : 200,
                 std::move(result.frames.back())));
  });
}

}  // namespace

bool isSessionRoute(const std::string& path) {
  return path == "/api/sessions" || path == "/api/session-changes" || path == "/api/search";
}

void handleSessionRoute(ServerContext& ctx, const ApiRequest& req, const std::string& path,
                        std::map<std::string, std::string>& query, const JsonResponder& json,
                        std::function<void(ApiResponse&&)> respond) {
  namespace http = boost::beast::http;
  auto bad = [&](const std::string& message) {
    respond(json(400, encodeError(std::nullopt, proto::code::kBadRequest, message)));
  };
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return bad("method not allowed here");
  const std::string id = "http-" + randomHex(6);
  int64_t limit = 0;
  if (query.count("limit") &&
      (!parseCount(query["limit"], &limit) || limit < 1 ||
       limit > static_cast<int64_t>(SessionCatalog::kMaxPage)))
    return bad("limit: 1.." + std::to_string(SessionCatalog::kMaxPage));

  if (path == "/api/sessions") {
    proto::SessionListRequest r;
    r.id = id;
    if (limit) r.limit = limit;
    if (query.count("cursor")) r.cursor = query["cursor"];
    r.includeArchived = query["includeArchived"] == "true" || query["includeArchived"] == "1";
    return viaManager(ctx, r, json, respond);
  }
  if (path == "/api/search") {
    proto::SessionSearchRequest r;
    r.id = id;
    r.query = query["q"];
    if (r.query.empty() || r.query.size() > proto::rule::kMaxQueryBytes)
      return bad("q: 1.." + std::to_string(proto::rule::kMaxQueryBytes) + " bytes");
    if (limit) r.limit = limit;
    return viaManager(ctx, r, json, respond);
  }
  // /api/session-changes?after=N&waitMs=W
  int64_t after = 0;
  int64_t waitMs = 0;
  if (query.count("after") && !parseCount(query["after"], &after))
    return bad("after: an integer >= 0");
  if (query.count("waitMs") && !parseCount(query["waitMs"], &waitMs))
    return bad("waitMs: an integer >= 0");
  LongPoll::Source source;
  source.channel = SessionManager::kListChannel;
  source.after = after;
  source.last = [&ctx] { return ctx.sessionList.lastChange(); };
  source.page = [&ctx, after, json] { return changesPage(ctx, after, json); };
  std::make_shared<LongPoll>(ctx, std::move(source), std::move(respond))->start(std::min(waitMs, LongPoll::kMaxWaitMs));
}

}  // namespace chat::gateway
