// The gateway's message handler: any frame a client can send, decoded by the gateway's codec
// and, when it decodes, handled by GatewayCore (dedup, sessions, the demo agent, commits) on
// an in-memory event log, with the loop run a bounded number of steps after each message.
// No crash, no sanitizer report, exactly one answer per message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "core/protocol/codec.h"
#include "gateway/event_log.h"
#include "gateway/gateway_core.h"
#include "gateway/hub.h"
#include "gateway/util.h"

using namespace chat::gateway;
namespace proto = chat::proto;

namespace {
// One gateway, renewed now and then so the log stays small (a fuzzer runs millions of inputs).
struct World {
  boost::asio::io_context ioc;
  EventLog log{":memory:"};
  Hub hub;
  GatewayCore core{ioc, log, hub, 0};
  int inputs = 0;
};
std::unique_ptr<World> world;

void runSteps(World& w, int steps) {
  for (int i = 0; i < steps; ++i) {
    w.ioc.restart();
    if (w.ioc.poll_one() == 0) return;
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setQuietConnectionLogs(true);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!world || ++world->inputs > 2000) {
    if (world) {
      world->core.stopAllTurns("fuzz world renewed");
      runSteps(*world, 100000);
    }
    world.reset();
    world = std::make_unique<World>();
  }
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = proto::decodeClientMessage(frame);
  if (!decoded) {
    (void)extractMessageId(std::string(frame));
    return 0;
  }
  if (std::holds_alternative<proto::Auth>(decoded.value())) return 0;  // the transport's job
  int answers = 0;
  world->core.handle(decoded.value(), [&answers](GatewayCore::Result r) {
    ++answers;
    if (r.frames.empty()) std::abort();  // every answer says something
  });
  runSteps(*world, 200);
  world->core.commits().flush();
  if (answers > 1) std::abort();
  return 0;
}
