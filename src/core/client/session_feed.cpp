#include "core/client/session_feed.h"

#include <algorithm>
#include <string_view>
#include <variant>
#include <utility>

#include "core/net/backoff.h"
#include "core/net/http_api.h"
#include "core/protocol/codec.h"

namespace chat::client {

namespace {

// A poll may take waitMs; the network gets this much on top.
constexpr int kSlackMs = 10000;

}  // namespace

SessionFeed::SessionFeed(net::Clock& clock, net::Random& random, net::HttpTransport& http,
                         int waitMs, std::function<void(const proto::GatewayMessage&)> apply)
    : clock_(clock), random_(random), http_(http), waitMs_(waitMs), apply_(std::move(apply)) {}

SessionFeed::~SessionFeed() {
  *alive_ = false;
  if (inFlight_ != 0) http_.cancel(inFlight_);
  for (net::HttpTransport::RequestId id : reads_) http_.cancel(id);
}

bool SessionFeed::read(const Wanted& wanted, const proto::SessionListRequest& page) {
  std::string q = "/sessions?limit=" + std::to_string(page.limit);
  if (page.cursor) q += "&cursor=" + net::http_api::encodeQueryValue(*page.cursor);
  if (page.includeArchived) q += "&includeArchived=1";
  return get(wanted, q, page.id);
}

bool SessionFeed::read(const Wanted& wanted, const proto::SessionSearchRequest& search) {
  return get(wanted, "/search?q=" + net::http_api::encodeQueryValue(search.query) +
                         "&limit=" + std::to_string(search.limit),
             search.id);
}

bool SessionFeed::get(const Wanted& wanted, const std::string& pathAndQuery, const std::string& id) {
  if (wanted.apiBase.empty() || wanted.token.empty()) return false;
  net::HttpTransport::Request req;
  req.method = "GET";
  req.url = wanted.apiBase + pathAndQuery;
  req.headers["Authorization"] = "Bearer " + wanted.token;
  req.timeoutMs = kSlackMs + 5000;
  std::weak_ptr<bool> weak = alive_;
  auto handle = std::make_shared<net::HttpTransport::RequestId>(0);
  const net::HttpTransport::RequestId rid =
      http_.request(req, [this, weak, id, handle](const net::HttpTransport::Response& r) {
        if (weak.expired()) return;
        reads_.erase(std::remove(reads_.begin(), reads_.end(), *handle), reads_.end());
        if (net::http_api::isSuccess(r.status)) {
          proto::Decoded<proto::GatewayMessage> m = proto::decodeGatewayMessage(std::string_view(r.body));
          if (m.ok()) {
            proto::GatewayMessage answer = m.value();
            if (auto* list = std::get_if<proto::SessionList>(&answer)) list->requestId = id;
            if (auto* found = std::get_if<proto::SessionSearchResult>(&answer)) found->requestId = id;
            if (std::holds_alternative<proto::SessionList>(answer) ||
                std::holds_alternative<proto::SessionSearchResult>(answer)) {
              apply_(answer);
              return;
            }
          }
        }
        const net::http_api::ErrorInfo info =
            net::http_api::errorFrom(r.status, r.body, proto::code::kInternal);
        proto::ErrorEvent error;
        error.requestId = id;
        error.code = info.code;
        error.message = info.message;
        apply_(error);
      });
  *handle = rid;
  reads_.push_back(rid);
  return true;
}

net::HttpTransport::Request SessionFeed::request(const std::string& apiBase,
                                                 const std::string& token, int64_t after,
                                                 int waitMs) {
  net::HttpTransport::Request req;
  req.method = "GET";
  req.url = apiBase + "/session-changes?after=" + std::to_string(after) +
            "&waitMs=" + std::to_string(waitMs);
  if (!token.empty()) req.headers["Authorization"] = "Bearer " + token;
  req.timeoutMs = waitMs + kSlackMs;
  return req;
}

void SessionFeed::step(const Wanted& wanted) {
  const bool can = wanted.poll && !wanted.apiBase.empty() && !wanted.token.empty();
  if (!can) {
    if (inFlight_ != 0) {
      http_.cancel(inFlight_);
      inFlight_ = 0;
      ++generation_;
    }
    failures_ = 0;
    retryAt_ = 0;
    return;
  }
  if (inFlight_ != 0 || clock_.nowMs() < retryAt_) return;
  const uint64_t mine = ++generation_;
  std::weak_ptr<bool> weak = alive_;
  inFlight_ = ~net::HttpTransport::RequestId{0};  // busy until the transport names the request
  const net::HttpTransport::RequestId id = http_.request(
      request(wanted.apiBase, wanted.token, wanted.afterChange, waitMs_),
      [this, weak, mine](const net::HttpTransport::Response& r) {
        if (weak.expired() || mine != generation_) return;
        inFlight_ = 0;
        onAnswer(r);
      });
  if (mine == generation_ && inFlight_ != 0) inFlight_ = id;
}

void SessionFeed::onAnswer(const net::HttpTransport::Response& r) {
  if (net::http_api::isSuccess(r.status)) {
    proto::Decoded<proto::SessionChangesPage> page = proto::decodeSessionChangesPage(r.body);
    if (page.ok()) {
      failures_ = 0;
      // An empty page is a wait that ended: ask again at once (the next step).
      retryAt_ = 0;
      std::weak_ptr<bool> weak = alive_;
      for (const proto::SessionChanged& change : page.value().changes) {
        apply_(proto::GatewayMessage{change});
        if (weak.expired()) return;
      }
      return;
    }
  }
  // A refusal, a server error or an unreadable page: try again later (the engine handles
  // credentials; a 401 here means it is about to stop polling too).
  ++failures_;
  retryAt_ = clock_.nowMs() + net::backoffDelayMs(failures_, random_);
}

}  // namespace chat::client
