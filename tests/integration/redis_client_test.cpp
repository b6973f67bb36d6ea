// The gateway's Redis connection (src/gateway/redis/redis_client.h) against a real redis-server:
// commands, AUTH and SELECT from the URL, queueing while connecting, failing fast while Redis
// is away, reconnecting (with subscriptions renewed) after Redis restarts.
#include <gtest/gtest.h>

#include "redis_test_support.h"

namespace chat::itest {
namespace {

using gateway::redis::RedisClient;
using gateway::redis::RedisReply;

TEST(RedisClient, CommandsAreBinarySafeAndKeepTheirOrder) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  RedisClient client(d.ioc, endpointOf(server), quickOptions());
  client.start();
  // Issued before the connection is up: they wait and go out in order.
  std::vector<std::string> order;
  std::string binary("a\0b\r\n", 5);
  client.command({"SET", "k", binary}, [&](RedisReply r) { order.push_back("set:" + r.str); });
  client.command({"GET", "k"}, [&](RedisReply r) { order.push_back(r.str == binary ? "get:same" : "get:other"); });
  client.command({"INCRBY", "n", "41"}, [&](RedisReply r) { order.push_back("incr:" + std::to_string(r.integer)); });
  ASSERT_TRUE(d.runUntil([&] { return order.size() == 3; }));
  EXPECT_EQ(order, (std::vector<std::string>{"set:OK", "get:same", "incr:41"}));
  EXPECT_TRUE(client.ready());
  RedisReply err = runCommand(d, client, {"NOSUCHCOMMAND"});
  EXPECT_EQ(err.type, RedisReply::Type::Error);
  RedisReply nil = runCommand(d, client, {"GET", "absent"});
  EXPECT_EQ(nil.type, RedisReply::Type::Nil);
}

TEST(RedisClient, PasswordAndDatabaseFromTheUrl) {
  RedisServer server(RedisServerOptions{false, "pw-123"});
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  RedisClient db2(d.ioc, endpointOf(server, 2), quickOptions());
  RedisClient db0(d.ioc, endpointOf(server, 0), quickOptions());
  db2.start();
  db0.start();
  EXPECT_EQ(runCommand(d, db2, {"SET", "where", "two"}).str, "OK");
  EXPECT_EQ(runCommand(d, db2, {"GET", "where"}).str, "two");
  EXPECT_EQ(runCommand(d, db0, {"GET", "where"}).type, RedisReply::Type::Nil);

  // A wrong password never gets ready; its commands are answered Lost, not left hanging.
  auto bad = endpointOf(server);
  bad.password = "wrong";
  RedisClient refused(d.ioc, bad, quickOptions());
  refused.start();
  RedisReply r = runCommand(d, refused, {"PING"});
  EXPECT_EQ(r.type, RedisReply::Type::Lost) << r.str;
  EXPECT_FALSE(refused.ready());
}

TEST(RedisClient, FailsFastWhileRedisIsAwayAndReconnectsWhenItReturns) {
  RedisServer server(RedisServerOptions{true, ""});
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  RedisClient client(d.ioc, endpointOf(server), quickOptions());
  RedisClient subscriber(d.ioc, endpointOf(server), quickOptions("redis-sub"));
  int lost = 0;
  client.onLost([&] { ++lost; });
  client.start();
  subscriber.start();
  std::vector<std::string> messages;
  subscriber.subscribe("news", [&](const std::string& ch, const std::string& payload) {
    messages.push_back(ch + "=" + payload);
  });
  ASSERT_EQ(runCommand(d, client, {"SET", "kept", "1"}).str, "OK");
  ASSERT_TRUE(d.runUntil([&] {
    return runCommand(d, client, {"PUBLISH", "news", "one"}).integer == 1;
  }));
  ASSERT_TRUE(d.runUntil([&] { return messages.size() == 1; }));

  server.stop(true);  // SIGKILL: the append-only file keeps what was acknowledged
  ASSERT_TRUE(d.runUntil([&] { return lost == 1; }));
  RedisReply during = runCommand(d, client, {"GET", "kept"}, 3000);
  EXPECT_EQ(during.type, RedisReply::Type::Lost) << "answered " << during.str;

  ASSERT_EQ(server.restart(), "");
  ASSERT_TRUE(d.runUntil([&] { return client.ready() && subscriber.connects() == 2; }, 5000));
  EXPECT_EQ(runCommand(d, client, {"GET", "kept"}).str, "1");
  EXPECT_EQ(client.connects(), 2u);
  // The subscription was renewed on the new connection.
  ASSERT_TRUE(d.runUntil([&] {
    return runCommand(d, client, {"PUBLISH", "news", "two"}).integer == 1;
  }));
  ASSERT_TRUE(d.runUntil([&] { return messages.size() == 2; }));
  EXPECT_EQ(messages.back(), "news=two");
}

TEST(RedisClient, StopAnswersPendingCommandsAndDestructionCallsNobody) {
  RedisServer server;
  ASSERT_EQ(server.start(), "");
  AsioDriver d;
  auto client = std::make_unique<RedisClient>(d.ioc, endpointOf(server), quickOptions());
  client->start();
  ASSERT_EQ(runCommand(d, *client, {"PING"}).str, "PONG");
  client->stop();
  RedisReply after = runCommand(d, *client, {"PING"});
  EXPECT_EQ(after.type, RedisReply::Type::Lost);
  // A client destroyed with a command in flight: its callback is never run.
  auto second = std::make_unique<RedisClient>(d.ioc, endpointOf(server), quickOptions());
  second->start();
  ASSERT_EQ(runCommand(d, *second, {"PING"}).str, "PONG");
  bool called = false;
  second->command({"BLPOP", "never", "5"}, [&](RedisReply) { called = true; });
  d.runFor(20);
  second.reset();
  d.runFor(50);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace chat::itest
