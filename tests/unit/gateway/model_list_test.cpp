// model.list through the transport-independent core: the demo agent offers its one model, and
// a chat.send naming a model starts its turn with that model.
#include <gtest/gtest.h>

#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/demo_script.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway_test_support.h"

using namespace chat::gateway;
namespace proto = chat::proto;
using nlohmann::json;

namespace {

TEST(ModelList, TheDemoAgentOffersItsOwnModelAfterAnAck) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  auto r = core.handle(proto::ClientMessage{proto::ModelListRequest{"m-1"}});
  ASSERT_FALSE(r.isError);
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(json::parse(r.frames[0]), (json{{"type", "ack"}, {"requestId", "m-1"}}));
  auto list = proto::decodeGatewayMessage(std::string_view(r.frames[1]));
  ASSERT_TRUE(list.ok()) << r.frames[1];
  const auto& models = std::get<proto::ModelList>(list.value());
  EXPECT_EQ(models.requestId, "m-1");
  ASSERT_EQ(models.models.size(), 1u);
  EXPECT_EQ(models.models[0].id, kDemoModel);
  EXPECT_FALSE(models.error.has_value());
}

TEST(ModelList, ChatSendsModelIsTheTurnsModel) {
  boost::asio::io_context ioc;
  EventLog log(":memory:");
  Hub hub;
  GatewayCore core(ioc, log, hub, 0);
  proto::ChatSend m = test_support::send("c-1", "s-1", "hello");
  m.model = std::string("demo-mini");  // not the default: the pick reaches the turn
  ASSERT_FALSE(core.handle(proto::ClientMessage{m}).isError);
  test_support::settle(ioc);
  bool started = false;
  for (const auto& e : log.eventsAfter("s-1", 0, 1000)) {
    json j = json::parse(e.json);
    if (j["type"] == "chat.stream.start") {
      EXPECT_EQ(j["model"], "demo-mini");
      started = true;
    }
  }
  EXPECT_TRUE(started);
}

}  // namespace
