// The session list over HTTP while the socket is down: the feed, GET /api/session-changes
// long-polled from the last change applied, each change handed to the client's reducer like a
// socket frame; and the one-off reads a socket would carry as session.list / session.search
// (GET /api/sessions, GET /api/search), answered as if the socket had answered them. (With the
// socket live, the list is watched with session.watch on it instead, after each sign-in; see
// chat_client.cpp.) A poll is only run while the engine polls for events, once the first page
// of the list was read (its lastChange is where the feed starts).
//
// Pure C++ on the platform seams (platform.h); single-threaded like the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/net/platform.h"
#include "core/protocol/messages.h"

namespace chat::client {

class SessionFeed {
 public:
  struct Wanted {
    bool poll = false;        // the engine is on the HTTP fallback and the list was read
    std::string apiBase;
    std::string token;
    int64_t afterChange = 0;  // the last change applied
  };
  // `apply` takes every change, in order; `waitMs` is the long poll's wait.
  SessionFeed(net::Clock& clock, net::Random& random, net::HttpTransport& http, int waitMs,
              std::function<void(const proto::GatewayMessage&)> apply);
  ~SessionFeed();
  SessionFeed(const SessionFeed&) = delete;
  SessionFeed& operator=(const SessionFeed&) = delete;

  // Starts a poll when one is wanted and due; cancels the one running when not wanted.
  void step(const Wanted& wanted);
  bool polling() const { return inFlight_ != 0; }

  // Reads a page / a search over HTTP. The answer goes to `apply` with its requestId set to
  // the request's id (the gateway names HTTP reads itself); a failure as an `error` answering
  // it. False when HTTP cannot be used (no token).
  bool read(const Wanted& wanted, const proto::SessionListRequest& page);
  bool read(const Wanted& wanted, const proto::SessionSearchRequest& search);

  // GET <apiBase>/session-changes?after=N&waitMs=W with the bearer token.
  static net::HttpTransport::Request request(const std::string& apiBase, const std::string& token,
                                             int64_t after, int waitMs);

 private:
  void onAnswer(const net::HttpTransport::Response& r);
  bool get(const Wanted& wanted, const std::string& pathAndQuery, const std::string& id);

  net::Clock& clock_;
  net::Random& random_;
  net::HttpTransport& http_;
  int waitMs_;
  std::function<void(const proto::GatewayMessage&)> apply_;
  net::HttpTransport::RequestId inFlight_ = 0;  // 0: none
  uint64_t generation_ = 0;
  int failures_ = 0;
  int64_t retryAt_ = 0;
  std::vector<net::HttpTransport::RequestId> reads_;  // one-off reads in flight
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chat::client
