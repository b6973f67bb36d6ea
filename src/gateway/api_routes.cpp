#include "gateway/api_routes.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <boost/asio/steady_timer.hpp>

#include "core/protocol/codec.h"
#include "gateway/request_guard.h"
#include "gateway/session_manager.h"
#include "gateway/session_routes.h"
#include "gateway/static_files.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace http = boost::beast::http;

namespace {

constexpr int64_t kMaxWaitMs = 30000;
constexpr std::size_t kEventsPageLimit = 1000;

ApiResponse jsonResponse(const ApiRequest& req, http::status status, std::string body) {
  ApiResponse res{status, req.version()};
  res.set(http::field::server, "chat-gateway");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

ApiResponse errorResponse(const ApiRequest& req, const std::string& code,
                          const std::string& message,
                          const std::optional<std::string>& requestId = {}) {
  return jsonResponse(req, static_cast<http::status>(httpStatusForCode(code)),
                      encodeError(requestId, code, message));
}

bool originIsAllowed(const ServerContext& ctx, const std::string& origin) {
  const auto& list = ctx.config.allowOrigins;
  return !origin.empty() && std::find(list.begin(), list.end(), origin) != list.end();
}

void addCors(const ServerContext& ctx, const ApiRequest& req, ApiResponse& res) {
  std::string origin(req[http::field::origin]);
  if (!originIsAllowed(ctx, origin)) return;
  res.set(http::field::access_control_allow_origin, origin);
  res.set(http::field::vary, "Origin");
}

// One GET /api/events request waiting for events (or its timeout).
class LongPoll : public std::enable_shared_from_this<LongPoll> {
 public:
  LongPoll(ServerContext& ctx, ApiRequest req, std::string sessionId, int64_t after,
           std::function<void(ApiResponse&&)> respond)
      : ctx_(ctx),
        req_(std::move(req)),
        sessionId_(std::move(sessionId)),
        after_(after),
        timer_(ctx.ioc),
        respond_(std::move(respond)) {}

  void start(int64_t waitMs) {
    bool ready = true;
    try {
      ready = waitMs <= 0 || ctx_.log.lastSeq(sessionId_) > after_;
    } catch (const std::exception&) {
      // page() reports the failure
    }
    if (ready) {
      finish();
      return;
    }
    auto self = shared_from_this();
    waiter_ = ctx_.hub.addWaiter(sessionId_, after_, [self] {
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
    ApiResponse res = page();
    respond_(std::move(res));
  }

  ApiResponse page() {
    try {
      auto events = ctx_.log.eventsAfter(sessionId_, after_, kEventsPageLimit);
      int64_t lastSeq = events.empty() ? ctx_.log.lastSeq(sessionId_) : events.back().seq;
      std::string body = "{\"events\":[";
      for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) body += ',';
        body += events[i].json;
      }
      body += "],\"lastSeq\":" + std::to_string(lastSeq) + "}";
      auto res = jsonResponse(req_, http::status::ok, std::move(body));
      addCors(ctx_, req_, res);
      return res;
    } catch (const std::exception& e) {
      logLine(std::string("GET /api/events: ") + e.what());
      auto res = errorResponse(req_, proto::code::kInternal, "internal error");
      addCors(ctx_, req_, res);
      return res;
    }
  }

  ServerContext& ctx_;
  ApiRequest req_;
  std::string sessionId_;
  int64_t after_;
  boost::asio::steady_timer timer_;
  std::function<void(ApiResponse&&)> respond_;
  uint64_t waiter_ = 0;
  bool done_ = false;
};

bool parseNonNegative(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoll(s);
  return true;
}

ApiResponse handleAuth(ServerContext& ctx, const ApiRequest& req, const std::string& remote) {
  auto body = nlohmann::json::parse(req.body(), nullptr, false);
  if (!body.is_object()) return errorResponse(req, proto::code::kBadRequest, "body: expected {pin}");
  if (!ctx.auth.required())
    return jsonResponse(req, http::status::ok, nlohmann::json{{"token", ""}}.dump());
  auto pin = body.find("pin");
  auto token = body.find("token");
  if (pin != body.end() && pin->is_string()) {
    switch (ctx.auth.checkPin(remote, pin->get<std::string>(), monotonicMs())) {
      case Authenticator::PinResult::Ok:
        return jsonResponse(req, http::status::ok,
                            nlohmann::json{{"token", ctx.auth.token()}}.dump());
      case Authenticator::PinResult::LockedOut:
        return errorResponse(req, proto::code::kRateLimited,
                             "too many wrong PINs; try again later");
      case Authenticator::PinResult::NotEnabled:
        return errorResponse(req, proto::code::kBadRequest, "PIN login is not enabled");
      case Authenticator::PinResult::Wrong:
        return errorResponse(req, proto::code::kUnauthorized, "wrong PIN");
    }
  }
  if (token != body.end() && token->is_string()) {  // lets a client check a stored token
    switch (ctx.auth.checkTokenAttempt(remote, token->get<std::string>(), monotonicMs())) {
      case Authenticator::TokenResult::Ok:
        return jsonResponse(req, http::status::ok,
                            nlohmann::json{{"token", ctx.auth.token()}}.dump());
      case Authenticator::TokenResult::LockedOut:
        return errorResponse(req, proto::code::kRateLimited,
                             "too many wrong PINs or tokens from this address; try again later");
      case Authenticator::TokenResult::Wrong:
        return errorResponse(req, proto::code::kUnauthorized, "wrong token");
    }
  }
  return errorResponse(req, proto::code::kBadRequest, "body: expected {pin}");
}

// POST /api/send: answered once the message's effects are committed (like a WebSocket ack).
void handleSend(ServerContext& ctx, const ApiRequest& req,
                std::function<void(ApiResponse&&)> respond) {
  const std::string& frame = req.body();
  if (frame.size() > proto::kMaxFrameBytes)
    return respond(errorResponse(req, proto::code::kTooLarge, "a message is at most 256 KiB"));
  auto decoded = proto::decodeClientMessage(std::string_view(frame));
  if (!decoded) {
    const auto& e = decoded.error();
    return respond(errorResponse(req, e.code.empty() ? proto::code::kBadRequest : e.code,
                                 e.message.empty() ? "invalid message" : e.message,
                                 extractMessageId(frame)));
  }
  const proto::ClientMessage& message = decoded.value();
  if (std::holds_alternative<proto::Auth>(message)) {
    // The bearer header already authenticated this request: confirm it.
    proto::AuthOk ok;
    ok.clientId = "http-" + randomHex(6);
    ok.heartbeatMs = ctx.config.heartbeatMs;
    return respond(jsonResponse(req, http::status::ok, proto::encode(proto::GatewayMessage{ok})));
  }
  const bool isChatSend = std::holds_alternative<proto::ChatSend>(message);
  const std::string id = proto::messageId(message);
  // Only what the answer needs is kept while the commit is pending (not the request body).
  ApiRequest head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  GatewayCore::Reply answer = [head = std::move(head), isChatSend, id,
                                respond = std::move(respond)](GatewayCore::Result result) {
    if (result.isError)
      return respond(jsonResponse(
          head, static_cast<http::status>(httpStatusForCode(result.errorCode)),
          result.frames.back()));
    if (isChatSend)
      return respond(jsonResponse(head, http::status::ok,
                                  nlohmann::json{{"status", "queued"}, {"requestId", id}}.dump()));
    respond(jsonResponse(head, http::status::ok, result.frames.back()));
  };
  // The session list's messages (session_manager.h), then everything else.
  if (ctx.sessions.handle(message, answer)) return;
  ctx.core.handle(message, answer);
}

}  // namespace

bool isProtectedApiPath(const std::string& path) {
  return path == "/api/send" || path == "/api/events" || isSessionRoute(path);
}

std::optional<ApiResponse> refuseBeforeBody(ServerContext& ctx, const ApiRequest& head) {
  std::string target(head.target());
  std::string path = target.substr(0, target.find('?'));
  auto refuse = [&](http::status status, const std::string& code, const std::string& message) {
    ApiResponse res = jsonResponse(head, status, encodeError(std::nullopt, code, message));
    res.keep_alive(false);  // the body, if any, is not read: this connection cannot go on
    addCors(ctx, head, res);
    return res;
  };
  const auto method = head.method();
  const bool stateChanging =
      method != http::verb::get && method != http::verb::head && method != http::verb::options;
  if (stateChanging &&
      !stateChangeAllowed(std::string(head[http::field::origin]), std::string(head["Sec-Fetch-Site"]),
                          std::string(head[http::field::host]), ctx.config)) {
    logLine("refused a cross-site " + std::string(head.method_string()) + " " + path +
            " from origin '" + std::string(head[http::field::origin]) + "'");
    return refuse(http::status::forbidden, proto::code::kBadRequest,
                  "cross-site requests may not change anything here (Origin not allowed)");
  }
  if (method == http::verb::post && (path == "/api/auth" || path == "/api/send") &&
      !isJsonContentType(std::string(head[http::field::content_type])))
    return refuse(http::status::unsupported_media_type, proto::code::kBadRequest,
                  "Content-Type: application/json bodies only");
  if (method != http::verb::options && isProtectedApiPath(path) &&
      !ctx.auth.checkAuthorizationHeader(std::string(head[http::field::authorization])))
    return refuse(http::status::unauthorized, proto::code::kUnauthorized,
                  "missing or wrong Authorization: Bearer token");
  return std::nullopt;
}

unsigned httpStatusForCode(const std::string& code) {
  if (code == proto::code::kBadRequest) return 400;
  if (code == proto::code::kUnauthorized) return 401;
  if (code == proto::code::kNotFound) return 404;
  if (code == proto::code::kConflict) return 409;
  if (code == proto::code::kTooLarge) return 413;
  if (code == proto::code::kRateLimited) return 429;
  return 500;
}

std::map<std::string, std::string> parseQuery(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i <= query.size()) {
    auto amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(i, amp - i);
    i = amp + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    std::replace(value.begin(), value.end(), '+', ' ');
    auto decodedKey = percentDecode(key);
    auto decodedValue = percentDecode(value);
    if (decodedKey && decodedValue) out[*decodedKey] = *decodedValue;
  }
  return out;
}

void handleApiRequest(ServerContext& ctx, const ApiRequest& req, const std::string& remote,
                      std::function<void(ApiResponse&&)> respond) {
  std::string target(req.target());
  auto q = target.find('?');
  std::string path = target.substr(0, q);
  auto query = parseQuery(q == std::string::npos ? "" : target.substr(q + 1));
  auto send = [&](ApiResponse res) {
    addCors(ctx, req, res);
    respond(std::move(res));
  };

  try {
    if (req.method() == http::verb::options) {  // CORS preflight
      ApiResponse res = jsonResponse(req, http::status::no_content, "");
      res.body().clear();
      res.prepare_payload();
      if (originIsAllowed(ctx, std::string(req[http::field::origin]))) {
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        res.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
        res.set(http::field::access_control_max_age, "600");
      }
      return send(std::move(res));
    }

    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    const bool post = req.method() == http::verb::post;
    auto wrongMethod = [&] {
      return send(errorResponse(req, proto::code::kBadRequest, "method not allowed here"));
    };

    if (path == "/api/health") {
      if (!get) return wrongMethod();
      return send(jsonResponse(req, http::status::ok,
                               nlohmann::json{{"status", "ok"}, {"protocol", 1}}.dump()));
    }
    if (path == "/api/config") {
      if (!get) return wrongMethod();
      return send(jsonResponse(req, http::status::ok,
                               nlohmann::json{{"protocol", 1},
                                              {"heartbeatMs", ctx.config.heartbeatMs},
                                              {"embedOrigins", ctx.config.embedOrigins}}
                                   .dump()));
    }
    if (path == "/api/auth") {
      if (!post) return wrongMethod();
      return send(handleAuth(ctx, req, remote));
    }

    const bool known = isProtectedApiPath(path);
    if (!known) return send(errorResponse(req, proto::code::kNotFound, "no such endpoint"));
    if (!ctx.auth.checkAuthorizationHeader(std::string(req[http::field::authorization])))
      return send(errorResponse(req, proto::code::kUnauthorized,
                                "missing or wrong Authorization: Bearer token"));

    if (path == "/api/send") {
      if (!post) return wrongMethod();
      // The WebSocket's per-connection budget, per address here (HTTP has no connection to
      // count on: a client may open a new one per request).
      if (!ctx.httpSends.tryTake(remote, monotonicMs())) {
        auto res = errorResponse(req, proto::code::kRateLimited,
                                 "too many messages from this address: slow down and resend",
                                 extractMessageId(req.body()));
        int64_t waitMs = ctx.httpSends.msUntilAllowed(remote, monotonicMs());
        res.set(http::field::retry_after, std::to_string(std::max<int64_t>(1, (waitMs + 999) / 1000)));
        return send(std::move(res));
      }
      // CORS headers are added when the answer comes (after the commit).
      ApiRequest corsHead;
      corsHead.set(http::field::origin, req[http::field::origin]);
      return handleSend(ctx, req, [&ctx, corsHead = std::move(corsHead),
                                   respond](ApiResponse&& res) {
        addCors(ctx, corsHead, res);
        respond(std::move(res));
      });
    }
    if (isSessionRoute(path)) {
      ApiRequest corsHead;
      corsHead.set(http::field::origin, req[http::field::origin]);
      corsHead.version(req.version());
      corsHead.keep_alive(req.keep_alive());
      return handleSessionRoute(
          ctx, req, path, query,
          [corsHead](unsigned status, std::string body) {
            return jsonResponse(corsHead, static_cast<http::status>(status), std::move(body));
          },
          [&ctx, corsHead, respond](ApiResponse&& res) {
            addCors(ctx, corsHead, res);
            respond(std::move(res));
          });
    }
    // GET /api/events?sessionId=S&after=N&waitMs=W
    if (!get) return wrongMethod();
    const std::string& sessionId = query["sessionId"];
    if (!isValidSessionId(sessionId))
      return send(errorResponse(req, proto::code::kBadRequest,
                                "sessionId: 1..64 chars of [A-Za-z0-9._:-]"));
    int64_t after = 0;
    int64_t waitMs = 0;
    if (query.count("after") && !parseNonNegative(query["after"], &after))
      return send(errorResponse(req, proto::code::kBadRequest, "after: an integer >= 0"));
    if (query.count("waitMs") && !parseNonNegative(query["waitMs"], &waitMs))
      return send(errorResponse(req, proto::code::kBadRequest, "waitMs: an integer >= 0"));
    waitMs = std::min(waitMs, kMaxWaitMs);
    auto poll = std::make_shared<LongPoll>(ctx, req, sessionId, after, std::move(respond));
    poll->start(waitMs);
  } catch (const std::exception& e) {
    logLine(std::string("API ") + path + ": " + e.what());
    send(errorResponse(req, proto::code::kInternal, "internal error"));
  }
}

}  // namespace chat::gateway
