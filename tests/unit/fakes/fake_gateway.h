// FakeGateway: a small, deterministic stand-in for the real gateway, playing the server end
// of FakeWebSocket and FakeHttp. It keeps a per-session event log (seq 1, 2, ...), applies
// every client id at most once (a resent id gets the same ack, no second effect), answers
// auth / session.resume / chat.send / ping over the socket and /health, /auth, /events,
// /send over HTTP, and runs a scripted agent: each chat.send becomes a turn (stream.start,
// `deltasPerTurn` deltas, stream.end) emitted one event per stepAgent().
//
// Faults are switches the test flips: `down` (nothing reachable), `halfOpen` (the current
// socket stays open but nothing flows on it ever again; new sockets work once it is off), `failHttp` (the next N HTTP answers are 503), dropSocket(),
// and duplicate/partial delivery through deliver().
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "fakes/fake_platform.h"

namespace chat::fakes {

class FakeGateway {
 public:
  FakeGateway(FakeClock& clock, FakeWebSocket& ws, FakeHttp& http)
      : clock_(clock), ws_(ws), http_(http) {}

  // ---- settings
  std::string token = "secret";
  std::string pin = "1234";
  int64_t heartbeatMs = 15000;
  int deltasPerTurn = 3;
  bool down = false;
  bool halfOpen = false;
  bool acceptSockets = true;  // false: opens hang (a connect timeout)
  bool answerPings = true;
  int failHttp = 0;           // the next N HTTP answers are 503
  bool autoDeliver = true;    // pump() delivers queued frames to the client

  // ---- what happened
  std::map<std::string, std::vector<std::string>> log;  // session -> encoded events, seq = i+1
  std::map<std::string, int> applyCount;  // client message id -> times applied (must be 1)
  std::vector<std::string> userMessages;  // chat.send ids in the order applied
  int duplicateSends = 0;                 // resent ids answered from the dedup table
  std::vector<std::string> resumes;       // "session@lastSeq" of every session.resume

  // ---- driving
  // Accepts or refuses a pending open, reads the client's frames, delivers queued frames
  // (if autoDeliver) and answers the HTTP requests that are due.
  void pump() {
    if (ws_.connecting()) {
      if (down) {
        ws_.serverClose(1006, "unreachable");
      } else if (acceptSockets) {
        resetConnection();
        ws_.accept();
      }
    }
    // A connection that went half-open stays dead (TCP never resumes a stalled stream).
    if (ws_.isOpen() && halfOpen) deadSocket_ = ws_.currentIndex();
    if (ws_.isOpen() && !socketDead()) {
      for (const std::string& frame : ws_.takeSent()) onClientFrame(frame);
    } else if (ws_.isOpen()) {
      ws_.takeSent();  // swallowed by the half-open connection
    }
    if (autoDeliver) deliver(toClient_.size());
    answerHttp();
  }

  // Delivers up to n queued frames; with duplicate, each frame twice.
  void deliver(std::size_t n, bool duplicate = false) {
    while (n-- > 0 && !toClient_.empty()) {
      if (!ws_.isOpen() || halfOpen || socketDead()) return;
      std::string frame = toClient_.front();
      toClient_.pop_front();
      ws_.deliver(frame);
      if (duplicate) ws_.deliver(frame);
    }
  }
  std::size_t queued() const { return toClient_.size(); }

  // The server (or the network) drops the socket: queued frames are lost.
  void dropSocket(int code = 1006) {
    toClient_.clear();
    ws_.serverClose(code, "dropped");
  }

  // Emits the next event of the oldest unfinished turn; false when there is none.
  bool stepAgent() {
    while (!turns_.empty()) {
      Turn& t = turns_.front();
      if (t.step == 0) {
        proto::StreamStart e;
        e.requestId = t.requestId;
        e.model = "fake-model";
        emit(t.sessionId, e);
      } else if (t.step <= deltasPerTurn) {
        proto::StreamDelta e;
        e.requestId = t.requestId;
        e.delta = "r" + std::to_string(t.step) + "(" + t.requestId + ") ";
        emit(t.sessionId, e);
      } else {
        proto::StreamEnd e;
        e.requestId = t.requestId;
        e.stopReason = "end";
        e.usage = proto::Usage{1, 2, 3};
        emit(t.sessionId, e);
        turns_.pop_front();
        return true;
      }
      ++t.step;
      return true;
    }
    return false;
  }
  void runAgentToEnd() {
    while (stepAgent()) {
    }
  }
  bool agentIdle() const { return turns_.empty(); }

  // Appends an event to a session's log (assigning seq) and pushes it to subscribers.
  template <class Event>
  void emit(const std::string& sessionId, Event e) {
    std::vector<std::string>& events = log[sessionId];
    e.sessionId = sessionId;
    e.seq = static_cast<int64_t>(events.size()) + 1;
    std::string frame = proto::encode(proto::GatewayMessage{e});
    events.push_back(frame);
    if (authed_ && subscribed_.count(sessionId) != 0) toClient_.push_back(frame);
  }

  // Queues an arbitrary frame to the connected client.
  void push(const std::string& frame) { toClient_.push_back(frame); }

  // The expected assistant reply text of a chat.send, as the agent streams it.
  std::string replyTextFor(const std::string& requestId) const {
    std::string text;
    for (int i = 1; i <= deltasPerTurn; ++i) {
      text += "r" + std::to_string(i) + "(" + requestId + ") ";
    }
    return text;
  }

 private:
  struct Turn {
    std::string sessionId;
    std::string requestId;
    int step = 0;
  };

  bool socketDead() const { return deadSocket_ && ws_.currentIndex() == deadSocket_; }

  void resetConnection() {
    authed_ = false;
    subscribed_.clear();
    toClient_.clear();
  }

  void reply(const proto::GatewayMessage& m) { toClient_.push_back(proto::encode(m)); }

  void onClientFrame(const std::string& frame) {
    proto::Decoded<proto::ClientMessage> d = proto::decodeClientMessage(std::string_view(frame));
    if (!d.ok()) {
      reply(proto::toErrorEvent(d.error()));
      return;
    }
    const proto::ClientMessage& m = d.value();
    const std::string id = proto::messageId(m);
    if (auto* auth = std::get_if<proto::Auth>(&m)) {
      const bool ok = (auth->token && *auth->token == token) || (auth->pin && *auth->pin == pin);
      if (!ok) {
        reply(proto::AuthFailed{"unauthorized", "bad credentials"});
        const auto socket = ws_.currentIndex();
        deliver(toClient_.size());
        toClient_.clear();
        // Close this socket, unless the client already moved on to a new one.
        if (ws_.currentIndex() == socket) ws_.serverClose(4001, "unauthorized");
        return;
      }
      authed_ = true;
      reply(proto::AuthOk{"client-1", heartbeatMs, proto::kProtocolVersion});
      return;
    }
    if (!authed_) {
      proto::ErrorEvent e;
      e.requestId = id;
      e.code = "unauthorized";
      e.message = "auth first";
      reply(e);
      return;
    }
    if (std::holds_alternative<proto::Ping>(m)) {
      if (answerPings) reply(proto::Pong{id});
      return;
    }
    if (auto* resume = std::get_if<proto::SessionResume>(&m)) {
      resumes.push_back(resume->sessionId + "@" + std::to_string(resume->lastSeq));
      subscribed_.insert(resume->sessionId);
      const std::vector<std::string>& events = log[resume->sessionId];
      reply(proto::SessionResumed{resume->sessionId, static_cast<int64_t>(events.size())});
      for (std::size_t i = static_cast<std::size_t>(resume->lastSeq < 0 ? 0 : resume->lastSeq);
           i < events.size(); ++i) {
        toClient_.push_back(events[i]);
      }
      return;
    }
    reply(proto::Ack{id});
    applyOnce(m, /*viaSocket=*/true);
  }

  // The effect of a client message, at most once per id.
  void applyOnce(const proto::ClientMessage& m, bool viaSocket) {
    const std::string id = proto::messageId(m);
    if (++applyCount[id] > 1) {
      --applyCount[id];
      ++duplicateSends;
      return;
    }
    if (auto* send = std::get_if<proto::ChatSend>(&m)) {
      const std::string session = send->sessionId.value_or("s-gateway");
      if (viaSocket) subscribed_.insert(session);  // the sender's socket sees its turn
      if (log[session].empty()) emit(session, proto::SessionCreated{"", 0, "key-" + session});
      proto::ChatMessageEvent echo;
      echo.messageId = id;
      echo.role = "user";
      echo.content = send->content;
      echo.timestamp = clock_.nowMs();
      emit(session, echo);
      userMessages.push_back(id);
      turns_.push_back(Turn{session, id, 0});
    } else if (std::holds_alternative<proto::SessionListRequest>(m)) {
      proto::SessionList list;
      list.requestId = id;
      for (const auto& [sid, events] : log) {
        list.sessions.push_back(proto::SessionInfo{sid, "t", 0, 0, static_cast<int64_t>(events.size()), false});
      }
      if (viaSocket) reply(list);  // over HTTP the list is the POST answer (not modelled)
    }
  }

  void answerHttp() {
    std::vector<FakeHttp::Pending> due;
    for (const FakeHttp::Pending& p : http_.pending) due.push_back(p);
    for (const FakeHttp::Pending& p : due) answer(p);
  }

  void answer(const FakeHttp::Pending& p) {
    const std::string& url = p.req.url;
    if (down) {
      http_.respond(p.id, 0, "", "unreachable");
      return;
    }
    if (failHttp > 0) {
      --failHttp;
      http_.respond(p.id, 503, R"({"error":{"code":"internal","message":"busy"}})");
      return;
    }
    if (url.find("/health") != std::string::npos) {
      http_.respond(p.id, 200, R"({"status":"ok","protocol":1})");
      return;
    }
    if (url.find("/auth") != std::string::npos) {
      nlohmann::json body = nlohmann::json::parse(p.req.body, nullptr, false);
      if (body.is_object() && body.value("pin", "") == pin) {
        http_.respond(p.id, 200, nlohmann::json{{"token", token}}.dump());
      } else {
        http_.respond(p.id, 401, R"({"error":{"code":"unauthorized","message":"bad pin"}})");
      }
      return;
    }
    auto auth = p.req.headers.find("Authorization");
    if (auth == p.req.headers.end() || auth->second != "Bearer " + token) {
      http_.respond(p.id, 401, R"({"error":{"code":"unauthorized","message":"no"}})");
      return;
    }
    if (url.find("/events") != std::string::npos) {
      const std::string session = query(url, "sessionId");
      const int64_t after = std::stoll("0" + query(url, "after"));
      const int64_t waitMs = std::stoll("0" + query(url, "waitMs"));
      const std::vector<std::string>& events = log[session];
      if (static_cast<int64_t>(events.size()) > after) {
        std::vector<nlohmann::json> page;
        for (std::size_t i = static_cast<std::size_t>(after); i < events.size(); ++i) {
          page.push_back(nlohmann::json::parse(events[i]));
        }
        http_.respond(p.id, 200, proto::encodeEventsPage(page, static_cast<int64_t>(events.size())));
      } else if (clock_.nowMs() >= p.issuedAt + waitMs) {
        http_.respond(p.id, 200, proto::encodeEventsPage({}, static_cast<int64_t>(events.size())));
      }
      return;  // otherwise: still waiting (long poll)
    }
    if (url.find("/send") != std::string::npos) {
      proto::Decoded<proto::ClientMessage> d = proto::decodeClientMessage(std::string_view(p.req.body));
      if (!d.ok()) {
        http_.respond(p.id, 400, nlohmann::json{{"error", {{"code", d.error().code}, {"message", d.error().message}}}}.dump());
        return;
      }
      const proto::ClientMessage& m = d.value();
      const std::string id = proto::messageId(m);
      if (auto* send = std::get_if<proto::ChatSend>(&m); send && send->content == "REJECT") {
        http_.respond(p.id, 422, R"({"error":{"code":"bad_request","message":"rejected"}})");
        return;
      }
      applyOnce(m, /*viaSocket=*/false);
      if (std::holds_alternative<proto::ChatSend>(m)) {
        http_.respond(p.id, 200, nlohmann::json{{"status", "queued"}, {"requestId", id}}.dump());
      } else {
        http_.respond(p.id, 200, proto::encode(proto::GatewayMessage{proto::Ack{id}}));
      }
      return;
    }
    http_.respond(p.id, 404, R"({"error":{"code":"not_found","message":"?"}})");
  }

  static std::string query(const std::string& url, const std::string& name) {
    const std::string key = name + "=";
    std::size_t at = url.find("?");
    while (at != std::string::npos) {
      ++at;
      if (url.compare(at, key.size(), key) == 0) {
        std::size_t end = url.find('&', at);
        return url.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
      }
      at = url.find('&', at);
    }
    return "";
  }

  FakeClock& clock_;
  FakeWebSocket& ws_;
  FakeHttp& http_;
  bool authed_ = false;
  std::optional<std::size_t> deadSocket_;
  std::set<std::string> subscribed_;
  std::deque<std::string> toClient_;
  std::deque<Turn> turns_;
};

}  // namespace chat::fakes
