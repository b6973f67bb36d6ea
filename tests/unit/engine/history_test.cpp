// EngineConfig::historyOverHttp: a session's history is read in pages over GET /api/events
// (in parallel with the socket's connect and auth); session.resume is sent once the pages run
// out and asks only for the rest. Any failure falls back to the socket replaying it all.
#include "core/protocol/codec.h"
#include "engine_harness.h"

namespace chat::testing {
namespace {

nlohmann::json frameJson(const std::string& frame) { return nlohmann::json::parse(frame); }

// The frames of `type` the client sent on its current socket (read without consuming them).
std::vector<nlohmann::json> sentOfType(FakeWebSocket& ws, const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const std::string& f : ws.sockets.back().sent) {
    nlohmann::json j = frameJson(f);
    if (j["type"] == type) out.push_back(j);
  }
  return out;
}

// A pending GET /events, or null.
const FakeHttp::Pending* eventsRequest(FakeHttp& http) { return http.find("/events"); }

// Events seq first..last of session s-test (a delta each) as an /api/events answer.
std::string page(int64_t first, int64_t last) {
  std::vector<nlohmann::json> events;
  for (int64_t seq = first; seq <= last; ++seq) {
    proto::StreamDelta d;
    d.sessionId = "s-test";
    d.seq = seq;
    d.requestId = "c-1";
    d.delta = "w" + std::to_string(seq) + " ";
    events.push_back(nlohmann::json::parse(proto::encode(proto::GatewayMessage{d})));
  }
  return proto::encodeEventsPage(events, last);
}

std::string authOk() {
  return proto::encode(proto::GatewayMessage{proto::AuthOk{"client-1", 15000, 1}});
}

struct HistoryHarness : Harness {
  HistoryHarness() { cfg.historyOverHttp = true; }
  // Starts the engine and authenticates its socket by hand (no FakeGateway pumping), so each
  // HTTP page is answered exactly when the test says.
  void startAuthed() {
    make().start();
    ws.accept();
    ws.deliver(authOk());
    engine->tick();
  }
};

TEST(EngineHistory, PagesLoadOverHttpThenTheResumeAsksForTheRest) {
  HistoryHarness h;
  h.startAuthed();
  ASSERT_EQ(h.phase(), Phase::Resuming);
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr) << "the first page is asked for with the socket, not after it";
  EXPECT_EQ(first->req.url, "http://gateway.test/api/events?sessionId=s-test&after=0&waitMs=0");
  EXPECT_TRUE(sentOfType(h.ws, "session.resume").empty()) << "the resume waits for the pages";

  h.http.respond(first->id, 200, page(1, 3));
  const auto* second = eventsRequest(h.http);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->req.url, "http://gateway.test/api/events?sessionId=s-test&after=3&waitMs=0");
  EXPECT_TRUE(sentOfType(h.ws, "session.resume").empty());

  h.http.respond(second->id, 200, page(4, 5));
  const auto* third = eventsRequest(h.http);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->req.url, "http://gateway.test/api/events?sessionId=s-test&after=5&waitMs=0");
  h.http.respond(third->id, 200, proto::encodeEventsPage({}, 5));  // the end

  EXPECT_EQ(eventsRequest(h.http), nullptr);
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0]["lastSeq"], 5);
  EXPECT_EQ(h.sink.lastSeq["s-test"], 5);
  h.ws.deliver(proto::encode(proto::GatewayMessage{proto::SessionResumed{"s-test", 5}}));
  EXPECT_EQ(h.phase(), Phase::Live);
}

// Records, for every event applied, how many /events requests were in flight at that moment.
struct PeekingSink : fakes::RecordingSink {
  explicit PeekingSink(FakeHttp& h) : http(h) {}
  proto::Outcome apply(const proto::GatewayMessage& m) override {
    std::string session;
    int64_t seq = 0;
    if (proto::sessionEventKey(m, &session, &seq)) inFlightAt[seq] = http.count("/events");
    return RecordingSink::apply(m);
  }
  FakeHttp& http;
  std::map<int64_t, std::size_t> inFlightAt;
};

TEST(EngineHistory, TheNextPageIsAskedForBeforeThisOneIsApplied) {
  FakeClock clock;
  FakeRandom random{0.0};
  FakeWebSocket ws;
  FakeHttp http{clock};
  FakeStorage storage;
  PeekingSink sink(http);
  EngineConfig cfg = defaultConfig();
  cfg.historyOverHttp = true;
  ConnectionEngine engine(cfg, clock, random, ws, http, storage, sink);
  engine.start();
  const auto* first = http.find("/events");
  ASSERT_NE(first, nullptr);
  http.respond(first->id, 200, page(1, 3));
  EXPECT_EQ(sink.inFlightAt[1], 1u) << "the request for the page after seq 3 was already out";
  EXPECT_EQ(sink.inFlightAt[3], 1u);
  const auto* next = http.find("/events");
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next->req.url.find("after=3&"), std::string::npos);
}

TEST(EngineHistory, APageThatAppliesOnlyInPartEndsTheLoadAtWhatApplied) {
  HistoryHarness h;
  h.startAuthed();
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  // 1, 2, then a hole before 4 and 5: the request after 5 is already out when that shows.
  std::string body = page(1, 2);
  nlohmann::json j = nlohmann::json::parse(body);
  nlohmann::json tail = nlohmann::json::parse(page(4, 5));
  for (const auto& e : tail["events"]) j["events"].push_back(e);
  h.http.respond(first->id, 200, j.dump());
  EXPECT_EQ(h.sink.lastSeq["s-test"], 2);
  const auto* next = eventsRequest(h.http);
  ASSERT_NE(next, nullptr);
  h.http.respond(next->id, 200, page(6, 7));  // beyond the hole: moves nothing forward
  EXPECT_EQ(eventsRequest(h.http), nullptr);
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0]["lastSeq"], 2) << "the socket replays from the hole on";
}

TEST(EngineHistory, AgainstTheFakeGatewayEverythingArrivesOnceAndTheSocketReplaysNothing) {
  HistoryHarness h;
  for (int i = 0; i < 40; ++i) {
    proto::StreamDelta d;
    d.requestId = "c-old";
    d.delta = "x";
    h.gateway.emit("s-test", d);
  }
  h.startLive();
  EXPECT_EQ(h.sink.applied["s-test"], h.gateway.log["s-test"]);
  EXPECT_EQ(h.sink.duplicates, 0) << "nothing came twice: the resume asked from the end";
  EXPECT_EQ(h.gateway.resumes.back(), "s-test@40");
}

TEST(EngineHistory, AnHttpErrorFallsBackToTheSocketReplay) {
  HistoryHarness h;
  h.startAuthed();
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  h.http.respond(first->id, 200, page(1, 2));
  const auto* second = eventsRequest(h.http);
  ASSERT_NE(second, nullptr);
  h.http.respond(second->id, 503, R"({"error":{"code":"internal","message":"busy"}})");
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0]["lastSeq"], 2) << "what the pages brought is kept";
  EXPECT_EQ(h.phase(), Phase::Resuming) << "the socket is not blamed for the HTTP error";
}

TEST(EngineHistory, AnUnreadablePageFallsBackToTheSocketReplay) {
  HistoryHarness h;
  h.startAuthed();
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  h.http.respond(first->id, 200, "<html>proxy error</html>");
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0]["lastSeq"], 0);
}

TEST(EngineHistory, APageThatMovesNothingForwardEndsTheLoad) {
  HistoryHarness h;
  h.startAuthed();
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  h.http.respond(first->id, 200, page(3, 4));  // a gap: 1 and 2 are missing
  EXPECT_EQ(eventsRequest(h.http), nullptr) << "asking again would get the same page";
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0]["lastSeq"], 0);
  EXPECT_EQ(h.sink.gaps, 2);
}

TEST(EngineHistory, AStalledLoadIsGivenUpWithoutFailingTheSocket) {
  HistoryHarness h;
  h.startAuthed();
  ASSERT_NE(eventsRequest(h.http), nullptr);
  h.clock.advance(h.cfg.connectTimeoutMs - 1);
  h.engine->tick();
  EXPECT_TRUE(sentOfType(h.ws, "session.resume").empty());
  h.clock.advance(2);
  h.engine->tick();
  EXPECT_EQ(eventsRequest(h.http), nullptr) << "the stalled request is cancelled";
  ASSERT_EQ(sentOfType(h.ws, "session.resume").size(), 1u);
  EXPECT_EQ(h.phase(), Phase::Resuming);
  EXPECT_EQ(h.ws.opens(), 1u);
  // The resume now gets its own full connect timeout.
  h.clock.advance(h.cfg.connectTimeoutMs - 1);
  h.engine->tick();
  EXPECT_EQ(h.phase(), Phase::Resuming);
}

TEST(EngineHistory, ALongLoadKeepsTheAuthenticatedSocketAliveWithPings) {
  HistoryHarness h;
  h.startAuthed();
  // Pages keep coming, slowly: each one is progress, and the socket is pinged meanwhile.
  int64_t seq = 0;
  for (int i = 0; i < 6; ++i) {
    h.clock.advance(9000);
    h.engine->tick();
    const auto* req = eventsRequest(h.http);
    ASSERT_NE(req, nullptr) << "page " << i;
    h.http.respond(req->id, 200, page(seq + 1, seq + 10));
    seq += 10;
    for (const auto& ping : sentOfType(h.ws, "ping")) {
      h.ws.deliver(proto::encode(proto::GatewayMessage{proto::Pong{ping["id"].get<std::string>()}}));
    }
  }
  EXPECT_EQ(h.phase(), Phase::Resuming);
  EXPECT_EQ(h.ws.opens(), 1u) << "no connect timeout while the history loads";
  EXPECT_GE(sentOfType(h.ws, "ping").size(), 3u);
  EXPECT_TRUE(sentOfType(h.ws, "session.resume").empty());
}

TEST(EngineHistory, WithoutATokenTheSocketResumesAtOnce) {
  HistoryHarness h;
  h.cfg.token = "";
  h.cfg.pin = "1234";
  h.startAuthed();
  EXPECT_EQ(eventsRequest(h.http), nullptr);
  EXPECT_EQ(sentOfType(h.ws, "session.resume").size(), 1u);
}

TEST(EngineHistory, OffByDefault) {
  Harness h;
  h.startLive();
  EXPECT_EQ(h.http.count("/events"), 0u);
  for (const auto& req : h.http.log) EXPECT_EQ(req.url.find("/events"), std::string::npos);
}

TEST(EngineHistory, SwitchingSessionsLoadsTheNewOneFirstAndDropsTheOldLoad) {
  HistoryHarness h;
  h.startAuthed();
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  h.http.respond(first->id, 200, proto::encodeEventsPage({}, 0));
  h.ws.deliver(proto::encode(proto::GatewayMessage{proto::SessionResumed{"s-test", 0}}));
  ASSERT_EQ(h.phase(), Phase::Live);

  h.engine->switchSession("s-two");
  const auto* load = eventsRequest(h.http);
  ASSERT_NE(load, nullptr);
  EXPECT_NE(load->req.url.find("sessionId=s-two&after=0"), std::string::npos);
  EXPECT_EQ(sentOfType(h.ws, "session.resume").size(), 1u) << "the new resume waits";

  h.engine->switchSession("s-three");  // before the first page came back
  ASSERT_EQ(h.http.count("/events"), 1u) << "the load of s-two was cancelled";
  load = eventsRequest(h.http);
  EXPECT_NE(load->req.url.find("sessionId=s-three"), std::string::npos);
  h.http.respond(load->id, 200, proto::encodeEventsPage({}, 0));
  const auto resumes = sentOfType(h.ws, "session.resume");
  ASSERT_EQ(resumes.size(), 2u);
  EXPECT_EQ(resumes[1]["sessionId"], "s-three");
  EXPECT_EQ(h.phase(), Phase::Live);
}

TEST(EngineHistory, TheSocketDroppingDuringTheLoadOwesNoResumeToTheNextSocket) {
  HistoryHarness h;
  h.startAuthed();
  ASSERT_NE(eventsRequest(h.http), nullptr);
  const auto firstId = eventsRequest(h.http)->id;  // the list of pending requests grows below
  h.ws.serverClose(1006, "gone");
  ASSERT_EQ(h.phase(), Phase::Waiting);
  h.http.respond(firstId, 200, proto::encodeEventsPage({}, 0));
  EXPECT_EQ(h.ws.sockets[0].sent.size(), 1u) << "only the auth: nothing sent on a dead socket";
}

TEST(EngineHistory, LoadingHistoryCoversThePagesAndTheSocketReplay) {
  HistoryHarness h;
  h.make().start();
  EXPECT_TRUE(h.engine->loadingHistory()) << "the first page is on its way";
  h.ws.accept();
  h.ws.deliver(authOk());
  const auto* first = eventsRequest(h.http);
  ASSERT_NE(first, nullptr);
  h.http.respond(first->id, 200, page(1, 2));
  EXPECT_TRUE(h.engine->loadingHistory());
  const auto* last = eventsRequest(h.http);
  ASSERT_NE(last, nullptr);
  h.http.respond(last->id, 200, proto::encodeEventsPage({}, 2));
  EXPECT_TRUE(h.engine->loadingHistory()) << "the socket's replay of the rest is still due";
  h.ws.deliver(proto::encode(proto::GatewayMessage{proto::SessionResumed{"s-test", 2}}));
  EXPECT_FALSE(h.engine->loadingHistory());

  h.engine->switchSession("s-two");  // while live
  EXPECT_TRUE(h.engine->loadingHistory());
  const auto* other = eventsRequest(h.http);
  ASSERT_NE(other, nullptr);
  h.http.respond(other->id, 200, proto::encodeEventsPage({}, 0));
  EXPECT_FALSE(h.engine->loadingHistory()) << "live: the resume's replay arrives as live events";
}

TEST(EngineHistory, LoadingHistoryWithoutHttpIsTheSocketReplay) {
  Harness h;
  h.gateway.autoDeliver = false;
  h.make().start();
  h.gateway.pump();
  EXPECT_FALSE(h.engine->loadingHistory()) << "connecting: nothing is arriving yet";
  h.gateway.deliver(1);  // auth.ok: the resume is sent
  EXPECT_TRUE(h.engine->loadingHistory());
  h.gateway.pump();
  h.gateway.deliver(1);  // session.resumed
  EXPECT_FALSE(h.engine->loadingHistory());
}

}  // namespace
}  // namespace chat::testing
