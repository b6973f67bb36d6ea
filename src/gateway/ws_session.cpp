#include "gateway/ws_session.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

#include "core/protocol/codec.h"
#include "gateway/gateway_core.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {
constexpr std::size_t kLowWater = 64;    // refill replay pages below this many queued frames
constexpr std::size_t kReplayPage = 256;  // events read from the log per page
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxAwaiting = 8;  // messages of one connection waiting for their commit

}  // namespace

WsSession::WsSession(ServerContext& ctx, beast::tcp_stream&& stream,
                     std::unique_ptr<ConnectionCounter::Slot> slot, std::string remote,
                     std::string clientAddress)
    : ctx_(ctx),
      ws_(std::move(stream)),
      slot_(std::move(slot)),
      remote_(std::move(remote)),
      address_(std::move(clientAddress)),
      clientId_("cl-" + randomHex(6)),
      heartbeat_(ctx.ioc),
      authDeadline_(ctx.ioc),
      rate_(ctx.config.rateLimitPerSec, ctx.config.rateBurst) {
  ctx_.bound.insert(this);
}

WsSession::~WsSession() {
  if (!registered_) return;  // detached: the context may already be destroyed
  teardown("gone");
  ctx_.bound.erase(this);
}

void WsSession::run(http::request<http::string_body> req) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket has its own timeouts
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = websocket::stream_base::none();  // our heartbeat decides
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "chat-gateway"); }));
  // Frames are checked against the 256 KiB limit as they arrive (onRead); this larger cap
  // only stops absurd frame headers before any payload is read.
  ws_.read_message_max(8 * 1024 * 1024);
  ws_.async_accept(req, beast::bind_front_handler(&WsSession::onAccept, shared_from_this()));
}

void WsSession::onAccept(beast::error_code ec) {
  if (tornDown_) return;  // detached while the handshake completed
  if (ec) {
    tornDown_ = true;  // never opened: nothing to log as closed
    logLine("ws handshake failed " + remote_ + ": " + ec.message());
    return;
  }
  ctx_.wsSessions.insert(this);
  if (!quietConnectionLogs()) logLine("ws open " + remote_ + " " + clientId_);
  if (!ctx_.auth.required()) authed_ = true;
  lastFrameMs_ = monotonicMs();
  armHeartbeat();
  if (!authed_) armAuthDeadline();
  doRead();
  // Opened while the gateway is stopping: closed like the others.
  if (ctx_.stopping) closeForShutdown();
}

void WsSession::armHeartbeat() {
  heartbeat_.expires_after(std::chrono::milliseconds(std::max<int64_t>(ctx_.config.heartbeatMs / 2, 50)));
  heartbeat_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->tornDown_) return;
    // 2.5 intervals without a single frame from the client: it is gone (sleeping laptop,
    // dead network) even if TCP has not noticed.
    if (monotonicMs() - self->lastFrameMs_ > self->ctx_.config.heartbeatMs * 5 / 2) {
      self->drop("heartbeat timeout");
      return;
    }
    self->armHeartbeat();
  });
}

void WsSession::armAuthDeadline() {
  // Frames now and then keep the heartbeat happy; only auth.ok ends this wait.
  authDeadline_.expires_after(std::chrono::milliseconds(ctx_.config.authTimeoutMs));
  authDeadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->tornDown_ || self->authed_) return;
    self->send(encodeError(std::nullopt, proto::code::kUnauthorized,
                           "not authenticated in time: send auth first"));
    self->closeWith(4008, "authentication timeout");
  });
}

void WsSession::doRead() {
  ws_.async_read_some(readBuffer_, kReadChunk,
                      beast::bind_front_handler(&WsSession::onRead, shared_from_this()));
}

void WsSession::onRead(beast::error_code ec, std::size_t) {
  if (ec) {
    teardown(ec == websocket::error::closed ? "closed by client" : ec.message());
    return;
  }
  lastFrameMs_ = monotonicMs();
  if (closing_) {  // waiting for the close handshake: ignore what still arrives
    readBuffer_.consume(readBuffer_.size());
    return doRead();
  }
  if (readBuffer_.size() > proto::kMaxFrameBytes) {
    readBuffer_.consume(readBuffer_.size());
    send(encodeError(std::nullopt, proto::code::kTooLarge, "a frame is at most 256 KiB"));
    closeWith(4008, "frame too large");
    return doRead();
  }
  if (!ws_.is_message_done()) return doRead();
  std::string frame = beast::buffers_to_string(readBuffer_.data());
  readBuffer_.consume(readBuffer_.size());
  handleFrame(frame);
  if (tornDown_) return;
  // Fairness: a connection with kMaxAwaiting messages still waiting for their commit reads no
  // more until one is answered (TCP pushes back on it), so one flooding client cannot fill
  // every group commit and delay everyone else's events behind it.
  if (awaiting_ >= kMaxAwaiting) {
    readPaused_ = true;
    return;
  }
  doRead();
}

void WsSession::handleFrame(const std::string& frame) {
  const MessageRateLimiter::Verdict verdict = rate_.onMessage(monotonicMs());  // binary too
  if (!ws_.got_text()) {
    // The protocol is JSON text; a binary frame is a broken or hostile client: 1003 (data
    // of a type the endpoint cannot accept).
    send(encodeError(std::nullopt, proto::code::kBadRequest, "only text frames (JSON) are accepted"));
    closeWith(1003, "binary frames are not accepted");
    return;
  }
  switch (verdict) {
    case MessageRateLimiter::Verdict::Accept:
      break;
    case MessageRateLimiter::Verdict::Refuse:
      send(encodeError(extractMessageId(frame), proto::code::kRateLimited,
                       "too many messages: slow down and resend"));
      return;
    case MessageRateLimiter::Verdict::Disconnect:
      send(encodeError(extractMessageId(frame), proto::code::kRateLimited,
                       "too many messages: disconnecting"));
      closeWith(4008, "rate limit");
      return;
  }

  auto decoded = proto::decodeClientMessage(std::string_view(frame));
  if (!decoded) {
    const auto& e = decoded.error();
    send(encodeError(extractMessageId(frame), e.code.empty() ? proto::code::kBadRequest : e.code,
                     e.message.empty() ? "invalid message" : e.message));
    return;
  }
  const proto::ClientMessage& message = decoded.value();
  if (auto* auth = std::get_if<proto::Auth>(&message)) return handleAuth(*auth);
  if (!authed_) {
    send(encodeError(proto::messageId(message), proto::code::kUnauthorized,
                     "authenticate first: {type:\"auth\", id, token}"));
    return;
  }
  if (auto* resume = std::get_if<proto::SessionResume>(&message)) return handleResume(*resume);

  handleWith([&](const GatewayCore::Reply& reply) {
    if (!ctx_.sessions.handle(message, reply)) ctx_.core.handle(message, reply);  // list, then core
  });
}

void WsSession::handleWith(const std::function<void(const GatewayCore::Reply&)>& handler) {
  // Answered at once (lists, ping) or once the commit holding its effects is done (sends).
  handling_ = true;
  ++awaiting_;
  handler([self = shared_from_this()](GatewayCore::Result result) {
    --self->awaiting_;
    self->onResult(std::move(result));
    if (self->readPaused_ && self->awaiting_ < kMaxAwaiting && !self->tornDown_) {
      self->readPaused_ = false;
      self->doRead();
    }
  });
  handling_ = false;
  // Events caused by this message and published while it was handled follow its answer.
  auto deferred = std::move(deferred_);
  deferred_.clear();
  for (const auto& d : deferred) deliver(d.sessionId, d.seq, d.frame);
}

void WsSession::onResult(GatewayCore::Result result) {
  if (tornDown_) return;  // gone while its message waited for the commit
  for (auto& f : result.frames) send(std::move(f));
  if (!result.sessionId || result.isError || subscriptions_.count(*result.sessionId)) return;
  // The commit that answers this message publishes its events right after this answer (the
  // in-process hub): live at once, without reading the log's head and page (two reads per
  // chat.send on the network thread, each waiting for the commit worker's transaction).
  // A hole, should one ever appear, is filled from the log by deliver().
  if (result.eventsFollow && &ctx_.fanoutOf(*result.sessionId) == &static_cast<EventFanout&>(ctx_.localHub))
    return subscribeLive(*result.sessionId, result.fromSeq);
  subscribeFrom(*result.sessionId, result.fromSeq, false);
}

void WsSession::subscribeLive(const std::string& sessionId, int64_t afterSeq) {
  Subscription& sub = subscriptions_[sessionId];
  sub.lastSentSeq = std::max<int64_t>(afterSeq, 0);
  sub.live = true;
  ctx_.fanoutOf(sessionId).subscribe(sessionId, this);
}

void WsSession::handleAuth(const proto::Auth& auth) {
  // A second auth on an authenticated connection is answered auth.ok again.
  if (!authed_) {
    AuthVerdict verdict = ctx_.auth.judge(auth, address_, monotonicMs());
    if (!verdict.ok) {
      send(proto::encode(proto::GatewayMessage{proto::AuthFailed{verdict.code, verdict.message}}));
      closeWith(verdict.closeCode, verdict.code);
      return;
    }
  }
  authed_ = true;
  authDeadline_.cancel();
  proto::AuthOk authOk;
  authOk.clientId = clientId_;
  authOk.heartbeatMs = ctx_.config.heartbeatMs;
  send(proto::encode(proto::GatewayMessage{authOk}));
}

void WsSession::handleResume(const proto::SessionResume& resume) {
  if (!isValidSessionId(resume.sessionId)) {
    send(encodeError(resume.id, proto::code::kBadRequest,
                     "sessionId: 1..64 chars of [A-Za-z0-9._:-]"));
    return;
  }
  send(encodeAck(resume.id));
  subscribeFrom(resume.sessionId, resume.lastSeq, true);
}

void WsSession::subscribeFrom(const std::string& sessionId, int64_t fromSeq, bool announce) {
  int64_t last = 0;
  try {
    last = sessionId == SessionManager::kListChannel ? ctx_.sessionList.lastChange()
                                                     : ctx_.store.lastSeq(sessionId);
  } catch (const std::exception& e) {
    logLine(std::string("ws resume: ") + e.what());
    send(encodeError(std::nullopt, proto::code::kInternal, "internal error"));
    return;
  }
  Subscription& sub = subscriptions_[sessionId];
  sub.lastSentSeq = std::min(std::max<int64_t>(fromSeq, 0), last);
  sub.live = false;
  sub.announce = sub.announce || announce;
  ctx_.fanoutOf(sessionId).subscribe(sessionId, this);
  pump();
}

void WsSession::pump() {
  // Replay in pages while the queue has room (in frames and bytes), so a long session never
  // overflows the send queue of a healthy client.
  const std::size_t frameBudget = std::max<std::size_t>(
      1, std::min(kLowWater, ctx_.config.maxQueueFrames / 4));
  const std::size_t byteBudget = ctx_.config.maxQueueBytes / 2;
  try {
    for (auto& [sessionId, sub] : subscriptions_) {
      while (!sub.live && !closing_ && queue_.size() < frameBudget && queuedBytes_ < byteBudget) {
        auto page = sessionId == SessionManager::kListChannel
                        ? listChangesAfter(sub.lastSentSeq, kReplayPage)
                        : ctx_.store.eventsAfter(sessionId, sub.lastSentSeq, kReplayPage);
        bool complete = page.size() < kReplayPage;
        for (auto& event : page) {
          if (!queue_.empty() && (queue_.size() >= ctx_.config.maxQueueFrames / 2 ||
                                  queuedBytes_ + event.json.size() > byteBudget)) {
            complete = false;  // the rest is read again when the queue has drained
            break;
          }
          sub.lastSentSeq = event.seq;
          send(std::move(event.json));
        }
        if (complete) {
          sub.live = true;  // synchronous with the read: no event can slip in between
          if (sub.announce) {
            sub.announce = false;
            send(proto::encode(
                proto::GatewayMessage{proto::SessionResumed{sessionId, sub.lastSentSeq}}));
          }
        }
      }
      if (closing_) return;
    }
  } catch (const std::exception& e) {
    // A read error (a damaged log): say so and stop replaying, instead of dropping the
    // connection (the client would reconnect and hit the same page forever).
    logLine(std::string("ws replay: ") + e.what());
    for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
      if (it->second.live) {
        ++it;
        continue;
      }
      send(encodeError(std::nullopt, proto::code::kInternal,
                       "session " + it->first + ": the event log cannot be read after seq " +
                           std::to_string(it->second.lastSentSeq) + "; replay stopped"));
      ctx_.fanoutOf(it->first).unsubscribe(it->first, this);
      it = subscriptions_.erase(it);
    }
  }
}

std::vector<LoggedEvent> WsSession::listChangesAfter(int64_t afterChange, std::size_t limit) {
  std::vector<LoggedEvent> out;
  for (const auto& change : ctx_.sessionList.changesAfter(afterChange, limit))
    out.push_back(LoggedEvent{change.changeSeq, encodeSessionChange(change)});
  return out;
}

void WsSession::onSessionEvent(const std::string& sessionId, int64_t seq,
                               const std::shared_ptr<const std::string>& frame) {
  if (closing_) return;
  if (handling_) {
    deferred_.push_back(Deferred{sessionId, seq, frame});
    return;
  }
  deliver(sessionId, seq, frame);
}

void WsSession::deliver(const std::string& sessionId, int64_t seq,
                        const std::shared_ptr<const std::string>& frame) {
  auto it = subscriptions_.find(sessionId);
  if (it == subscriptions_.end() || !it->second.live) return;  // the pump reads the log
  Subscription& sub = it->second;
  if (seq <= sub.lastSentSeq) return;
  // The list feed's numbers skip (a session's newer change replaces its older one).
  if (seq == sub.lastSentSeq + 1 || sessionId == SessionManager::kListChannel) {
    sub.lastSentSeq = seq;
    send(frame);
    return;
  }
  sub.live = false;  // a hole (should not happen): fill it from the log
  pump();
}

void WsSession::send(std::string frame) {
  send(std::make_shared<const std::string>(std::move(frame)));
}

void WsSession::send(std::shared_ptr<const std::string> frame) {
  if (closing_ || tornDown_) return;
  if (queue_.size() >= ctx_.config.maxQueueFrames ||
      queuedBytes_ + frame->size() > ctx_.config.maxQueueBytes) {
    drop("send queue full (slow client; it can resume by seq)");
    return;
  }
  queuedBytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) {
    // Once per loop turn, not per frame: everything queued meanwhile goes along.
    writing_ = true;
    boost::asio::post(ws_.get_executor(), [self = shared_from_this()] { self->doWrite(); });
  }
}

void WsSession::doWrite() {
  // The queued messages go into the socket's pending bytes as whole text frames
  // (CoalescingStream::appendTextFrame: no Beast write operation per message), as long as
  // the socket keeps up; beyond that they wait here, where a slow client fills the queue.
  writing_ = false;
  if (tornDown_) return;
  CoalescingStream& stream = ws_.next_layer();
  while (!queue_.empty()) {
    const CoalescingStream::Append appended = stream.appendTextFrame(*queue_.front());
    if (appended == CoalescingStream::Append::Failed) {
      teardown("write failed");
      return;
    }
    if (appended == CoalescingStream::Append::Full) {
      writing_ = true;
      stream.whenWritable([self = shared_from_this()] { self->doWrite(); });
      return;
    }
    queuedBytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  if (closing_) {
    doClose();
    return;
  }
  pump();
}

void WsSession::closeWith(uint16_t code, const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  closeCode_ = code;
  closeReason_ = reason;
  if (!writing_) doClose();
}

void WsSession::doClose() {
  if (closeSent_ || tornDown_) return;
  closeSent_ = true;
  websocket::close_reason why(static_cast<websocket::close_code>(closeCode_), closeReason_);
  ws_.async_close(why, [self = shared_from_this()](beast::error_code) {
    self->teardown("closed " + std::to_string(self->closeCode_) + " " + self->closeReason_);
  });
}

void WsSession::closeForShutdown() { closeWith(1001, "gateway shutting down"); }

void WsSession::detach(const std::string& why) {
  if (!registered_) return;
  drop(why);
  ctx_.bound.erase(this);
  registered_ = false;
}

void WsSession::drop(const std::string& why) {
  teardown(why);
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

void WsSession::teardown(const std::string& why) {
  if (tornDown_) return;
  tornDown_ = true;
  closing_ = true;
  ctx_.hub.unsubscribeAll(this);
  ctx_.localHub.unsubscribeAll(this);  // the list feed (the same Hub without --redis)
  ctx_.wsSessions.erase(this);
  heartbeat_.cancel();
  authDeadline_.cancel();
  if (!quietConnectionLogs()) logLine("ws close " + remote_ + " " + clientId_ + ": " + why);
}

}  // namespace chat::gateway
