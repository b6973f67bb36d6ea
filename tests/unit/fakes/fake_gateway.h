// FakeGateway: a small, deterministic stand-in for the real gateway, playing the server end
// of FakeWebSocket and FakeHttp. It keeps a per-session event log (seq 1, 2, ...), applies
// every client id at most once (a resent id gets the same ack, no second effect), answers
// auth / session.resume / chat.send / ping over the socket and /health, /auth, /events,
// /send over HTTP, and runs a scripted agent: each chat.send becomes a turn (stream.start,
// `deltasPerTurn` deltas, stream.end) emitted one event per stepAgent().
//
// The session list (PROTOCOL.md "The session list") is modelled too: listChange() records a
// numbered change (a chat.send into a new session records `created`, later ones `updated`),
// session.list answers pages of the rows (cursor = "updatedAt:sessionId", archived ones only
// when asked), session.watch replays the latest change of every session after `afterChange`
// and then pushes new ones, and GET /session-changes long-polls the same feed.
//
// Faults are switches the test flips: `down` (nothing reachable), `halfOpen` (the current
// socket stays open but nothing flows on it ever again; new sockets work once it is off), `failHttp` (the next N HTTP answers are 503), dropSocket(),
// and duplicate/partial delivery through deliver().
#pragma once

#include <algorithm>
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
  int failSends = 0;          // the next N chat.sends on the socket are answered `internal`, not applied
  std::vector<int64_t> failedSendTimes;  // when each of those arrived (the client's clock)

  // ---- what happened
  std::map<std::string, std::vector<std::string>> log;  // session -> encoded events, seq = i+1
  std::map<std::string, int> applyCount;  // client message id -> times applied (must be 1)
  std::vector<std::string> userMessages;  // chat.send ids in the order applied
  int duplicateSends = 0;                 // resent ids answered from the dedup table
  std::vector<std::string> resumes;       // "session@lastSeq" of every session.resume
  std::vector<int64_t> watches;           // afterChange of every session.watch (socket)
  std::vector<int64_t> changePolls;       // `after` of every GET /session-changes

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

  // ---- the session list
  // Records a change of the list feed (numbered 1, 2, ...) and pushes it to a watching socket.
  // `deleted` removes the row (its change holds only the sessionId).
  void listChange(const std::string& kind, proto::SessionInfo info) {
    proto::SessionChanged change;
    change.changeSeq = static_cast<int64_t>(changes_.size()) + 1;
    change.change = kind;
    if (kind == "deleted") {
      listRows.erase(info.sessionId);
      proto::SessionInfo only;
      only.sessionId = info.sessionId;
      change.session = only;
    } else {
      listRows[info.sessionId] = info;
      change.session = info;
    }
    changes_.push_back(change);
    if (authed_ && watching_) toClient_.push_back(proto::encode(proto::GatewayMessage{change}));
  }
  // A row as the list shows it, updated at `updatedAt` (its title "chat <id>").
  static proto::SessionInfo row(const std::string& id, int64_t updatedAt, bool archived = false) {
    return proto::SessionInfo{id, "chat " + id, updatedAt, updatedAt, 1, archived};
  }
  int64_t lastChange() const { return static_cast<int64_t>(changes_.size()); }
  std::map<std::string, proto::SessionInfo> listRows;

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
    watching_ = false;
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
    if (failSends > 0 && std::holds_alternative<proto::ChatSend>(m)) {
      --failSends;
      failedSendTimes.push_back(clock_.nowMs());
      proto::ErrorEvent e;
      e.requestId = id;
      e.code = "internal";
      e.message = "internal error";
      reply(e);
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
    if (auto* watch = std::get_if<proto::SessionWatch>(&m)) {
      watches.push_back(watch->afterChange);
      reply(proto::Ack{id});
      for (const proto::SessionChanged& c : changesAfter(watch->afterChange)) reply(c);
      watching_ = true;
      return;
    }
    reply(proto::Ack{id});
    applyOnce(m, /*viaSocket=*/true);
  }

  // The latest change of every session changed after `after`, in order (as the gateway
  // keeps them: a session's newer change replaces its older one).
  std::vector<proto::SessionChanged> changesAfter(int64_t after) const {
    std::map<std::string, int64_t> latest;
    for (const proto::SessionChanged& c : changes_) latest[c.session.sessionId] = c.changeSeq;
    std::vector<proto::SessionChanged> out;
    for (const proto::SessionChanged& c : changes_) {
      if (c.changeSeq > after && latest[c.session.sessionId] == c.changeSeq) out.push_back(c);
    }
    return out;
  }

  // One page of session.list, most recently updated first.
  proto::SessionList listPage(const proto::SessionListRequest& r) const {
    std::vector<proto::SessionInfo> rows;
    for (const auto& [id, info] : listRows) {
      if (!info.archived || r.includeArchived) rows.push_back(info);
    }
    std::sort(rows.begin(), rows.end(), [](const proto::SessionInfo& a, const proto::SessionInfo& b) {
      return a.updatedAt != b.updatedAt ? a.updatedAt > b.updatedAt : a.sessionId < b.sessionId;
    });
    std::size_t from = 0;
    if (r.cursor) {
      const std::size_t colon = r.cursor->find(':');
      const int64_t stamp = std::stoll(r.cursor->substr(0, colon));
      const std::string last = r.cursor->substr(colon + 1);
      while (from < rows.size() && (rows[from].updatedAt > stamp ||
                                    (rows[from].updatedAt == stamp && rows[from].sessionId <= last))) {
        ++from;
      }
    }
    proto::SessionList page;
    page.requestId = r.id;
    page.lastChange = lastChange();
    const std::size_t limit = static_cast<std::size_t>(r.limit);
    for (std::size_t i = from; i < rows.size() && page.sessions.size() < limit; ++i) page.sessions.push_back(rows[i]);
    if (from + page.sessions.size() < rows.size()) {
      const proto::SessionInfo& last = page.sessions.back();
      page.nextCursor = std::to_string(last.updatedAt) + ":" + last.sessionId;
    }
    return page;
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
      const bool created = log[session].empty();
      if (created) emit(session, proto::SessionCreated{"", 0, "key-" + session});
      proto::ChatMessageEvent echo;
      echo.messageId = id;
      echo.role = "user";
      echo.content = send->content;
      echo.timestamp = clock_.nowMs();
      emit(session, echo);
      userMessages.push_back(id);
      turns_.push_back(Turn{session, id, 0});
      proto::SessionInfo info = row(session, clock_.nowMs());
      if (!created && listRows.count(session)) info.title = listRows[session].title;
      info.lastSeq = static_cast<int64_t>(log[session].size());
      listChange(created ? "created" : "updated", info);
    } else if (auto* list = std::get_if<proto::SessionListRequest>(&m)) {
      if (viaSocket) reply(listPage(*list));  // over HTTP: the POST's answer (answer())
    } else if (auto* rename = std::get_if<proto::SessionRename>(&m)) {
      if (listRows.count(rename->sessionId)) {
        proto::SessionInfo info = listRows[rename->sessionId];
        info.title = rename->title;
        listChange("retitled", info);
      }
    } else if (auto* archive = std::get_if<proto::SessionArchive>(&m)) {
      if (listRows.count(archive->sessionId)) {
        proto::SessionInfo info = listRows[archive->sessionId];
        info.archived = archive->archived;
        listChange(archive->archived ? "archived" : "unarchived", info);
      }
    } else if (auto* removed = std::get_if<proto::SessionDelete>(&m)) {
      if (listRows.count(removed->sessionId)) listChange("deleted", listRows[removed->sessionId]);
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
    if (url.find("/session-changes") != std::string::npos) {
      const int64_t after = std::stoll("0" + query(url, "after"));
      const int64_t waitMs = std::stoll("0" + query(url, "waitMs"));
      if (seenPolls_.insert(p.id).second) changePolls.push_back(after);  // once per request
      proto::SessionChangesPage page;
      page.changes = changesAfter(after);
      page.lastChange = page.changes.empty() ? std::max(after, lastChange()) : page.changes.back().changeSeq;
      if (!page.changes.empty() || clock_.nowMs() >= p.issuedAt + waitMs) {
        http_.respond(p.id, 200, proto::encodeSessionChangesPage(page));
      }
      return;  // otherwise: still waiting (long poll)
    }
    if (url.find("/sessions?") != std::string::npos) {  // a page, as the gateway names HTTP reads
      proto::SessionListRequest r;
      r.id = "http-read";
      r.limit = std::stoll("0" + query(url, "limit"));
      const std::string cursor = query(url, "cursor");
      if (!cursor.empty()) r.cursor = percentDecoded(cursor);
      r.includeArchived = query(url, "includeArchived") == "1";
      http_.respond(p.id, 200, proto::encode(proto::GatewayMessage{listPage(r)}));
      return;
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
      } else if (auto* list = std::get_if<proto::SessionListRequest>(&m)) {
        http_.respond(p.id, 200, proto::encode(proto::GatewayMessage{listPage(*list)}));
      } else {
        http_.respond(p.id, 200, proto::encode(proto::GatewayMessage{proto::Ack{id}}));
      }
      return;
    }
    http_.respond(p.id, 404, R"({"error":{"code":"not_found","message":"?"}})");
  }

  static std::string percentDecoded(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
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
  bool watching_ = false;  // the socket asked for the list feed
  std::vector<proto::SessionChanged> changes_;
  std::set<net::HttpTransport::RequestId> seenPolls_;
  std::optional<std::size_t> deadSocket_;
  std::set<std::string> subscribed_;
  std::deque<std::string> toClient_;
  std::deque<Turn> turns_;
};

}  // namespace chat::fakes
