// What two gateway nodes on one Redis share besides the events (issue 15, semantics 6): the
// session list and its push feed, rename / archive / delete, search, the tools approved for a
// session and the wrong-PIN budget. Two real chat-gateway processes, each with its own SQLite
// file (which must not matter any more), on one private redis-server.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway/auth.h"
#include "gateway/redis/redis_blocking.h"
#include "gateway/redis/redis_pin_budget.h"
#include "gateway_api.h"
#include "gateway_process.h"
#include "raw_ws.h"
#include "redis_server.h"
#include "redis_test_support.h"
#include "test_client.h"

namespace chat::itest {
namespace {

using nlohmann::json;

json chatSend(const std::string& id, const std::string& sessionId, const std::string& content) {
  return {{"type", "chat.send"}, {"id", id}, {"sessionId", sessionId}, {"content", content}};
}

GatewayOptions nodeOn(const RedisServer& redis, const TempDir& dir, const std::string& name,
                      std::vector<std::string> more = {}) {
  GatewayOptions o;
  o.db = dir.file(name + ".db");
  o.extraArgs = {"--redis", redis.url(), "--node-id", name};
  o.extraArgs.insert(o.extraArgs.end(), more.begin(), more.end());
  return o;
}

// Two nodes on one Redis, a client on each, both authenticated.
struct TwoNodes {
  explicit TwoNodes(std::vector<std::string> more = {}) : more_(std::move(more)), onA(loop), onB(loop) {}
  // "" when both nodes run and (with `connect`) both clients are in.
  std::string start(bool connect = true) {
    if (auto e = redis.start(); !e.empty()) return e;
    nodeA = std::make_unique<GatewayProcess>(nodeOn(redis, dir, "A", more_));
    nodeB = std::make_unique<GatewayProcess>(nodeOn(redis, dir, "B", more_));
    if (auto e = nodeA->start(); !e.empty()) return e;
    if (auto e = nodeB->start(); !e.empty()) return e;
    if (!connect) return "";
    if (!onA.open(nodeA->wsUrl()) || !onA.authenticate("test")) return "client on A: " + onA.closeReason();
    if (!onB.open(nodeB->wsUrl()) || !onB.authenticate("test")) return "client on B: " + onB.closeReason();
    return "";
  }
  GatewayProcess& a() { return *nodeA; }
  GatewayProcess& b() { return *nodeB; }
  std::string outputs() const { return "\nA: " + nodeA->output() + "\nB: " + nodeB->output(); }

  std::vector<std::string> more_;
  RedisServer redis;
  TempDir dir;
  std::unique_ptr<GatewayProcess> nodeA, nodeB;
  native::EventLoop loop;
  RawWs onA, onB;
};

// The first page of the list on `ws` (its lastChange), then a watch from there.
int64_t watchFromFirstPage(RawWs& ws, const std::string& id) {
  ws.send({{"type", "session.list"}, {"id", id + "-list"}, {"limit", 50}});
  auto page = ws.nextOfType("session.list", 5s, id + "-list");
  EXPECT_TRUE(page.has_value());
  const int64_t from = page ? page->value("lastChange", int64_t{0}) : 0;
  ws.send({{"type", "session.watch"}, {"id", id}, {"afterChange", from}});
  EXPECT_TRUE(ws.nextOfType("ack", 5s, id).has_value());
  return from;
}

// The next session.changed for `sessionId` of kind `change`, skipping others.
std::optional<json> nextChange(RawWs& ws, const std::string& sessionId, const std::string& change,
                               std::chrono::milliseconds timeout = 3s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto f = ws.nextOfType("session.changed", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  until - std::chrono::steady_clock::now()));
    if (!f) return std::nullopt;
    if ((*f)["session"].value("sessionId", "") == sessionId && (*f).value("change", "") == change)
      return f;
  }
  return std::nullopt;
}

json listOn(RawWs& ws, const std::string& id, bool includeArchived = false) {
  ws.send({{"type", "session.list"}, {"id", id}, {"limit", 50}, {"includeArchived", includeArchived}});
  auto page = ws.nextOfType("session.list", 5s, id);
  return page ? (*page)["sessions"] : json::array();
}

const json* findSession(const json& sessions, const std::string& sessionId) {
  for (const auto& s : sessions)
    if (s.value("sessionId", "") == sessionId) return &s;
  return nullptr;
}

TEST(RedisSharedList, AChatCreatedOnAIsListedOnBAndPushedToItsWatchersAndPollers) {
  TwoNodes nodes;
  ASSERT_EQ(nodes.start(), "");
  const int64_t from = watchFromFirstPage(nodes.onB, "w-b");
  GatewayApi pollB(nodes.loop, nodes.b().apiBase(), "test");

  const std::string session = newSessionId();
  nodes.onA.send(chatSend("c-1", session, "hello from node A"));
  auto created = nextChange(nodes.onB, session, "created", 2s);
  ASSERT_TRUE(created.has_value()) << "B's watcher was not told of A's new chat" << nodes.outputs();
  EXPECT_EQ((*created)["session"]["title"], "hello from node A");
  EXPECT_GT((*created)["changeSeq"].get<int64_t>(), from);

  // B's HTTP long poll from the same point gets it too, and B's list holds it.
  auto changes = pollB.get("/session-changes?after=" + std::to_string(from) + "&waitMs=5000");
  ASSERT_EQ(changes.status, 200) << changes.body;
  bool seen = false;
  for (const auto& c : changes.json["changes"]) seen = seen || c["session"]["sessionId"] == session;
  EXPECT_TRUE(seen) << changes.body;
  ASSERT_TRUE(nodes.onA.nextOfType("chat.stream.end", 20s, "c-1").has_value());
  const json listed = listOn(nodes.onB, "l-b");
  const json* row = findSession(listed, session);
  ASSERT_NE(row, nullptr) << listed.dump();
  EXPECT_EQ((*row)["title"], "hello from node A");
  EXPECT_GT((*row)["lastSeq"].get<int64_t>(), 2);

  // A long poll waiting on B is woken by a change A makes (a second chat).
  const int64_t now = pollB.get("/session-changes?after=0").json["lastChange"];
  const std::string second = newSessionId();
  nodes.onA.send(chatSend("c-2", second, "a second chat"));
  auto woken = pollB.get("/session-changes?after=" + std::to_string(now) + "&waitMs=5000");
  ASSERT_EQ(woken.status, 200);
  ASSERT_FALSE(woken.json["changes"].empty()) << woken.body;
  EXPECT_EQ(woken.json["changes"][0]["session"]["sessionId"], second);
}

TEST(RedisSharedList, RenameArchiveAndDeleteOnBAreSeenOnA) {
  TwoNodes nodes;
  ASSERT_EQ(nodes.start(), "");
  const std::string session = newSessionId();
  nodes.onA.send(chatSend("c-1", session, "a chat to manage"));
  ASSERT_TRUE(nodes.onA.nextOfType("chat.stream.end", 20s, "c-1").has_value());
  watchFromFirstPage(nodes.onA, "w-a");

  nodes.onB.send({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", session}, {"title", "Renamed on B"}});
  ASSERT_TRUE(nodes.onB.nextOfType("ack", 5s, "n-1").has_value());
  auto renamed = nextChange(nodes.onA, session, "retitled");
  ASSERT_TRUE(renamed.has_value()) << nodes.outputs();
  EXPECT_EQ((*renamed)["session"]["title"], "Renamed on B");
  EXPECT_EQ((*findSession(listOn(nodes.onA, "l-1"), session))["title"], "Renamed on B");
  // The same rename id sent again to A: answered as a resend, not applied again.
  nodes.onA.send({{"type", "session.rename"}, {"id", "n-1"}, {"sessionId", session}, {"title", "Renamed on B"}});
  ASSERT_TRUE(nodes.onA.nextOfType("ack", 5s, "n-1").has_value());
  EXPECT_FALSE(nextChange(nodes.onA, session, "retitled", 500ms).has_value()) << "applied twice";

  nodes.onB.send({{"type", "session.archive"}, {"id", "a-1"}, {"sessionId", session}, {"archived", true}});
  ASSERT_TRUE(nodes.onB.nextOfType("ack", 5s, "a-1").has_value());
  ASSERT_TRUE(nextChange(nodes.onA, session, "archived").has_value());
  EXPECT_EQ(findSession(listOn(nodes.onA, "l-2"), session), nullptr) << "archived: out of the list";
  const json all = listOn(nodes.onA, "l-3", true);
  ASSERT_NE(findSession(all, session), nullptr);
  EXPECT_TRUE((*findSession(all, session))["archived"].get<bool>());

  nodes.onB.send({{"type", "session.delete"}, {"id", "d-1"}, {"sessionId", session}});
  ASSERT_TRUE(nodes.onB.nextOfType("ack", 5s, "d-1").has_value());
  auto deleted = nextChange(nodes.onA, session, "deleted");
  ASSERT_TRUE(deleted.has_value()) << nodes.outputs();
  EXPECT_EQ((*deleted)["session"]["sessionId"], session);
  EXPECT_EQ(findSession(listOn(nodes.onA, "l-4", true), session), nullptr);
  // Unreadable and closed on A as on B: no events, a send to it refused, a second delete not found.
  GatewayApi pollA(nodes.loop, nodes.a().apiBase(), "test");
  EXPECT_TRUE(pollA.events(session).empty());
  nodes.onA.send(chatSend("c-2", session, "into a deleted chat"));
  auto refused = nodes.onA.nextOfType("error", 5s, "c-2");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ((*refused)["code"], "not_found");
  nodes.onA.send({{"type", "session.delete"}, {"id", "d-2"}, {"sessionId", session}});
  auto again = nodes.onA.nextOfType("error", 5s, "d-2");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)["code"], "not_found");
}

TEST(RedisSharedList, SearchOnEitherNodeFindsWhatWasSentThroughTheOther) {
  TwoNodes nodes;
  ASSERT_EQ(nodes.start(), "");
  const std::string viaA = newSessionId(), viaB = newSessionId();
  nodes.onA.send(chatSend("c-1", viaA, "Where is the lighthouse keeper?"));
  ASSERT_TRUE(nodes.onA.nextOfType("chat.stream.end", 20s, "c-1").has_value());
  nodes.onB.send(chatSend("c-2", viaB, "Notes about Zanzibar"));
  ASSERT_TRUE(nodes.onB.nextOfType("chat.stream.end", 20s, "c-2").has_value());
  nodes.onB.send(chatSend("c-3", viaB, "the second note mentions a LIGHTHOUSE too"));
  ASSERT_TRUE(nodes.onB.nextOfType("chat.stream.end", 20s, "c-3").has_value());

  auto search = [](RawWs& ws, const std::string& id, const std::string& q) {
    ws.send({{"type", "session.search"}, {"id", id}, {"query", q}});
    auto r = ws.nextOfType("session.search", 5s, id);
    return r ? (*r)["results"] : json::array();
  };
  // A message sent through A, found on B (and the one sent through B, found on A).
  bool found = false;
  for (const auto& hit : search(nodes.onB, "s-1", "keeper lighthouse")) {
    // A hit's fields depend on its kind (a title hit has no role): read with a default, never
    // with a const operator[] on a missing key (an assertion in the sanitized Debug build).
    if (hit.value("sessionId", "") != viaA || hit.value("match", "") != "message" ||
        hit.value("role", "") != "user")
      continue;
    found = true;
    EXPECT_EQ(hit.value("messageId", ""), "c-1");
    EXPECT_NE(hit.value("snippet", "").find("lighthouse"), std::string::npos) << hit.dump();
  }
  EXPECT_TRUE(found) << "B did not find the message sent through A";
  const json onA = search(nodes.onA, "s-2", "lighthouse");
  std::set<std::string> sessions;
  for (const auto& hit : onA) sessions.insert(hit.value("sessionId", ""));
  EXPECT_EQ(sessions, (std::set<std::string>{viaA, viaB})) << onA.dump();
  // Titles first.
  const json title = search(nodes.onA, "s-3", "zanzibar");
  ASSERT_FALSE(title.empty());
  EXPECT_EQ(title[0].value("match", ""), "title");
  EXPECT_EQ(title[0].value("sessionId", ""), viaB);
  // A reply's text (its deltas joined) is found like the SQLite index finds it.
  GatewayApi pollA(nodes.loop, nodes.a().apiBase(), "test");
  const auto turns = turnsOf(pollA.events(viaA));
  ASSERT_EQ(turns.count("c-1"), 1u);
  std::string word;
  for (std::size_t i = 0, start = 0; i <= turns.at("c-1").reply.size(); ++i) {
    const std::string& reply = turns.at("c-1").reply;
    if (i == reply.size() || !std::isalpha(static_cast<unsigned char>(reply[i]))) {
      if (i - start >= 7) {
        word = reply.substr(start, i - start);
        break;
      }
      start = i + 1;
    }
  }
  ASSERT_FALSE(word.empty()) << turns.at("c-1").reply;
  bool reply = false;
  for (const auto& hit : search(nodes.onB, "s-4", word))
    reply = reply || (hit.value("sessionId", "") == viaA && hit.value("role", "") == "assistant" &&
                      hit.value("messageId", "") == "c-1");
  EXPECT_TRUE(reply) << "the reply of c-1 holds \"" << word << "\"";
  // Deleted on B: found nowhere.
  nodes.onB.send({{"type", "session.delete"}, {"id", "d-1"}, {"sessionId", viaA}});
  ASSERT_TRUE(nodes.onB.nextOfType("ack", 5s, "d-1").has_value());
  for (const auto& hit : search(nodes.onA, "s-5", "lighthouse")) EXPECT_NE(hit.value("sessionId", ""), viaA);
}

TEST(RedisSharedList, AGrantGivenOnACoversAToolCallRunOnB) {
  TwoNodes nodes;
  ASSERT_EQ(nodes.start(), "");
  const std::string session = newSessionId();
  // On A: the shell needs an approval; "Approve for session".
  nodes.onA.send(chatSend("c-1", session, "/tool shell ls"));
  auto request = nodes.onA.nextOfType("tool.approval.request", 10s);
  ASSERT_TRUE(request.has_value()) << nodes.outputs();
  nodes.onA.send({{"type", "tool.approval.response"}, {"id", "ap-1"},
                  {"toolCallId", (*request)["toolCallId"]}, {"approved", true}, {"sessionApprove", true}});
  ASSERT_TRUE(nodes.onA.nextOfType("chat.stream.end", 20s, "c-1").has_value());

  // On B, a turn B runs: the shell runs without asking.
  nodes.onB.send(chatSend("c-2", session, "/tool shell ls"));
  auto end = nodes.onB.nextOfType("chat.stream.end", 20s, "c-2");
  ASSERT_TRUE(end.has_value()) << nodes.outputs();
  int asked = 0, results = 0;
  for (const auto& f : nodes.onB.history()) {
    if (f.value("requestId", "") != "c-2") continue;
    if (f.value("type", "") == "tool.approval.request") ++asked;
    if (f.value("type", "") == "tool.result") ++results;
  }
  EXPECT_EQ(asked, 0) << "B asked again for a tool approved for the session on A";
  EXPECT_EQ(results, 1);

  // A new session on B is not covered.
  const std::string fresh = newSessionId();
  nodes.onB.send(chatSend("c-3", fresh, "/tool shell ls"));
  EXPECT_TRUE(nodes.onB.nextOfType("tool.approval.request", 10s).has_value()) << [&] {
    std::string all;
    for (const auto& f : nodes.onB.history()) all += f.dump() + "\n";
    GatewayApi pollB(nodes.loop, nodes.b().apiBase(), "test");
    for (const auto& f : pollB.events(fresh)) all += "LOG " + f.dump() + "\n";
    return all + nodes.outputs();
  }();
}

// One auth attempt with `pin` on a fresh connection: auth.failed's code, or "ok".
std::string pinAttempt(native::EventLoop& loop, const std::string& url, const std::string& pin) {
  RawWs ws(loop);
  if (!ws.open(url)) return "not connected: " + ws.closeReason();
  ws.send({{"type", "auth"}, {"id", "p-1"}, {"pin", pin}});
  auto answer = ws.next(5s);
  if (!answer) return "no answer";
  if ((*answer).value("type", "") == "auth.ok") return "ok";
  return (*answer).value("code", "?");
}

TEST(RedisSharedList, WrongPinsSpreadOverBothNodesLockOutAsOnOne) {
  TwoNodes nodes({"--pin", "2468", "--pin-attempts", "4", "--pin-lockout-ms", "60000"});
  ASSERT_EQ(nodes.start(false), "");
  EXPECT_EQ(pinAttempt(nodes.loop, nodes.a().wsUrl(), "2468"), "ok");
  // Four wrong PINs, two on each node: each node alone saw fewer than its limit.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(pinAttempt(nodes.loop, nodes.a().wsUrl(), "0000"), "unauthorized");
    EXPECT_EQ(pinAttempt(nodes.loop, nodes.b().wsUrl(), "1111"), "unauthorized");
  }
  // Locked out on both, the right PIN included.
  EXPECT_EQ(pinAttempt(nodes.loop, nodes.a().wsUrl(), "2468"), "rate_limited") << nodes.outputs();
  EXPECT_EQ(pinAttempt(nodes.loop, nodes.b().wsUrl(), "2468"), "rate_limited");
}

// The global budget (all addresses together) on two nodes' budgets over one Redis, and a
// lockout's end on Redis's clock.
TEST(RedisSharedList, TheGlobalPinBudgetIsSharedAndLockoutsEnd) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  auto redisA = std::make_shared<gateway::redis::RedisBlocking>(endpointOf(server));
  auto redisB = std::make_shared<gateway::redis::RedisBlocking>(endpointOf(server));
  gateway::PinAttemptLimiter nodeA(100, 300, 5), nodeB(100, 300, 5);
  nodeA.share(std::make_shared<gateway::redis::RedisPinBudget>(redisA));
  nodeB.share(std::make_shared<gateway::redis::RedisPinBudget>(redisB));
  std::vector<std::string> logged;
  nodeA.setLogger([&](const std::string& line) { logged.push_back(line); });
  nodeB.setLogger([&](const std::string& line) { logged.push_back(line); });
  // Five wrong attempts from five addresses over two nodes: the global budget is spent.
  nodeA.recordFailure("10.0.0.1", 0);
  nodeB.recordFailure("10.0.0.2", 0);
  nodeA.recordFailure("10.0.0.3", 0);
  nodeB.recordFailure("10.0.0.4", 0);
  EXPECT_FALSE(nodeA.globallyLockedOut(0));
  nodeA.recordFailure("10.0.0.5", 0);
  EXPECT_TRUE(nodeA.globallyLockedOut(0));
  EXPECT_TRUE(nodeB.globallyLockedOut(0)) << "B saw two failures, the budget five";
  EXPECT_FALSE(nodeB.lockedOut("10.0.0.1", 0)) << "no address spent its own budget";
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("every PIN login locked"), std::string::npos);
  // 300 ms later (Redis's clock): over.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(nodeA.globallyLockedOut(0));
  EXPECT_FALSE(nodeB.globallyLockedOut(0));
}

}  // namespace
}  // namespace chat::itest
