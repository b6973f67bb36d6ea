#include "gateway/session_routes.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {

constexpr int64_t kMaxWaitMs = 30000;
constexpr std::size_t kChangesPage = 1000;
using JsonResponder = std::function<ApiResponse(unsigned status, std::string body)>;

bool parseCount(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoll(s);
  return true;
}

// One GET /api/session-changes waiting for a list change (or its timeout).
class ChangesPoll : public std::enable_shared_from_this<ChangesPoll> {
 public:
  ChangesPoll(ServerContext& ctx, int64_t after, JsonResponder json,
              std::function<void(ApiResponse&&)> respond)
      : ctx_(ctx), after_(after), timer_(ctx.ioc), json_(std::move(json)),
        respond_(std::move(respond)) {}

  void start(int64_t waitMs) {
    bool ready = true;
    try {
      ready = waitMs <= 0 || ctx_.log.catalog().lastChange() > after_;
    } catch (const std::exception&) {
      // page() reports the failure
    }
    if (ready) return finish();
    auto self = shared_from_this();
    waiter_ = ctx_.hub.addWaiter(SessionManager::kListChannel, after_, [self] {
      self->waiter_ = 0;  // the hub removed it
      self->finish();
    });
    timer_.expires_after(std::chrono::milliseconds(waitMs));
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->finish();
    });
  }

 private:
  void finish() {
    if (done_) return;
    done_ = true;
    if (waiter_) ctx_.hub.removeWaiter(waiter_);
    waiter_ = 0;
    timer_.cancel();
    respond_(page());
  }

  ApiResponse page() {
    try {
      auto changes = ctx_.log.catalog().changesAfter(after_, kChangesPage);
      int64_t last = changes.empty() ? std::max(after_, ctx_.log.catalog().lastChange())
                                     : changes.back().changeSeq;
      proto::SessionChangesPage out;
      out.lastChange = last;
      out.more = changes.size() == kChangesPage;
      out.changes = std::move(changes);
      std::string body = proto::encodeSessionChangesPage(out);
      return json_(200, std::move(body));
    } catch (const std::exception& e) {
      logLine(std::string("GET /api/session-changes: ") + e.what());
      return json_(500, encodeError(std::nullopt, proto::code::kInternal, "internal error"));
    }
  }

  ServerContext& ctx_;
  int64_t after_;
  boost::asio::steady_timer timer_;
  JsonResponder json_;
  std::function<void(ApiResponse&&)> respond_;
  uint64_t waiter_ = 0;
  bool done_ = false;
};

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
  auto poll = std::make_shared<ChangesPoll>(ctx, after, json, std::move(respond));
  poll->start(std::min(waitMs, kMaxWaitMs));
}

}  // namespace chat::gateway
