// One WebSocket connection on /gateway: auth first, then client messages through the core.
//
// Sending: a bounded queue (bytes and frames); a client too slow to drain it is disconnected
// (it resumes by seq later and loses nothing). Resume: the log is replayed in pages as the
// queue drains, then the subscription goes live; session.resumed follows the replay.
// Reading: frames over 256 KiB -> error too_large + close 4008; a flood -> error rate_limited,
// then close 4008; bad JSON / invalid message -> error bad_request (the connection stays); a
// binary frame (counted by the rate limit too) -> close 1003. Not authenticated within
// --auth-timeout-ms -> close 4008.
// Heartbeat: no frame from the client for 2.5 heartbeat intervals -> the connection is dropped.
// Answers: a message that changes something (chat.send, cancel, approval) is acked once the
// group commit holding its effects is done (commit_queue.h), so answers may come a loop turn
// later than the read, and events are sent only once committed.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "core/protocol/messages.h"
#include "gateway/coalescing_stream.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/limits.h"
#include "gateway/server_context.h"

namespace chat::gateway {

class WsSession : public std::enable_shared_from_this<WsSession>,
                  public EventSubscriber,
                  public ContextBound {
 public:
  WsSession(ServerContext& ctx, boost::beast::tcp_stream&& stream,
            std::unique_ptr<ConnectionCounter::Slot> slot, std::string remoteAddress,
            std::string clientAddress);
  ~WsSession() override;

  void run(boost::beast::http::request<boost::beast::http::string_body> upgradeRequest);
  // Clean shutdown: close with 1001 once the queued frames are written.
  void closeForShutdown();
  // Gateway stopping (the close handshake was not answered in time): torn down at once.
  void detach(const std::string& why) override;

  void onSessionEvent(const std::string& sessionId, int64_t seq,
                      const std::shared_ptr<const std::string>& frame) override;

 private:
  struct Subscription {
    int64_t lastSentSeq = 0;
    bool live = false;      // false: catching up from the log (the pump sends pages)
    bool announce = false;  // send session.resumed when caught up
  };

  void onAccept(boost::beast::error_code ec);
  void doRead();
  void onRead(boost::beast::error_code ec, std::size_t bytes);
  void handleFrame(const std::string& frame);
  // The core's answer to a client message (maybe after a group commit).
  void onResult(GatewayCore::Result result);
  // Runs `handler` (the core's or the session manager's) with the reply that answers this
  // connection; events it causes follow its answer.
  void handleWith(const std::function<void(const GatewayCore::Reply&)>& handler);
  // The list feed's changes as frames (the replay of a session.watch).
  std::vector<LoggedEvent> listChangesAfter(int64_t afterChange, std::size_t limit);
  void handleAuth(const proto::Auth& auth);
  void handleResume(const proto::SessionResume& resume);
  void deliver(const std::string& sessionId, int64_t seq,
               const std::shared_ptr<const std::string>& frame);
  void subscribeFrom(const std::string& sessionId, int64_t fromSeq, bool announce);
  // Subscribed live after `afterSeq`: the events after it are about to be published.
  void subscribeLive(const std::string& sessionId, int64_t afterSeq);
  void pump();

  void send(std::string frame);
  void send(std::shared_ptr<const std::string> frame);
  void doWrite();
  void closeWith(uint16_t code, const std::string& reason);
  void doClose();
  void drop(const std::string& why);  // tear the TCP connection down at once
  void armHeartbeat();
  void armAuthDeadline();
  void teardown(const std::string& why);

  ServerContext& ctx_;
  boost::beast::websocket::stream<CoalescingStream> ws_;  // frames due together: one write
  std::unique_ptr<ConnectionCounter::Slot> slot_;
  std::string remote_;   // address:port, for logs
  std::string address_;  // address only: PIN attempts are counted per address
  std::string clientId_;
  boost::beast::flat_buffer readBuffer_;
  boost::asio::steady_timer heartbeat_;
  boost::asio::steady_timer authDeadline_;  // closes a socket that never authenticates
  int64_t lastFrameMs_ = 0;
  MessageRateLimiter rate_;
  bool authed_ = false;
  std::size_t awaiting_ = 0;  // messages handed to the core and not answered yet
  bool readPaused_ = false;   // too many awaiting: reading resumes with the next answer

  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queuedBytes_ = 0;
  bool writing_ = false;

  std::map<std::string, Subscription> subscriptions_;
  bool handling_ = false;  // live events met while handling a message wait until its answer
  struct Deferred {
    std::string sessionId;
    int64_t seq;
    std::shared_ptr<const std::string> frame;
  };
  std::vector<Deferred> deferred_;

  bool closing_ = false;  // no more frames accepted; close after the queue drains
  bool closeSent_ = false;
  uint16_t closeCode_ = 1000;
  std::string closeReason_;
  bool tornDown_ = false;
  bool registered_ = true;  // in ctx_.bound: false once detached (the context may then be gone)
};

}  // namespace chat::gateway
