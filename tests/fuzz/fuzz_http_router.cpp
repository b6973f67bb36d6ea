// The HTTP request router: any bytes parsed as a request by Beast (as the gateway reads them),
// then every check made on the headers before a body is read (Host, cross-site, Content-Type,
// bearer), the static path resolution, and the /api/* router itself with an in-memory log.
// No crash, no sanitizer report, exactly one answer per routed request.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "gateway/api_routes.h"
#include "gateway/auth.h"
#include "gateway/config.h"
#include "gateway/event_log.h"
#include "gateway/request_guard.h"
#include "gateway/server_context.h"
#include "gateway/static_files.h"
#include "gateway/util.h"

using namespace chat::gateway;
namespace http = boost::beast::http;

namespace {
struct World {
  boost::asio::io_context ioc;
  EventLog log{":memory:"};
  Authenticator auth{Authenticator::Mode::Pin, "fuzz-token", std::string("1234"),
                     PinAttemptLimiter(5, 1000)};
  std::unique_ptr<ServerContext> ctx;
  int inputs = 0;
  World() {
    Config config;
    config.demoDelayMs = 0;
    config.allowOrigins = {"https://allowed.example"};
    auth.limiter().setLogger([](const std::string&) {});
    ctx = std::make_unique<ServerContext>(ioc, config, log, auth);
  }
  ~World() {
    ctx->core.stopAllTurns("fuzz world renewed");
    ctx->hub.wakeAllWaiters();
    for (int i = 0; i < 100000 && ioc.poll() > 0; ++i) ioc.restart();
  }
};
std::unique_ptr<World> world;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setQuietConnectionLogs(true);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!world || ++world->inputs > 2000) {
    world.reset();
    world = std::make_unique<World>();
  }
  http::request_parser<http::string_body> parser;
  parser.header_limit(8192);
  parser.body_limit(300 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec && ec != http::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;

  const auto& head = parser.get();
  const Config& config = world->ctx->config;
  (void)hostAllowed(std::string(head[http::field::host]), config);
  (void)stateChangeAllowed(std::string(head[http::field::origin]),
                           std::string(head["Sec-Fetch-Site"]),
                           std::string(head[http::field::host]), config);
  (void)isJsonContentType(std::string(head[http::field::content_type]));
  (void)acceptsEncoding(std::string(head[http::field::accept_encoding]), "br");
  (void)resolveStaticPath("/nonexistent-fuzz-root", std::string(head.target()));
  (void)percentDecode(std::string(head.target()));
  if (auto refusal = refuseBeforeBody(*world->ctx, head)) return 0;
  if (!parser.is_done()) return 0;

  int answers = 0;
  handleApiRequest(*world->ctx, parser.get(), "127.0.0.1", [&answers](ApiResponse&& res) {
    ++answers;
    if (res.result_int() < 200) std::abort();
  });
  world->ctx->hub.wakeAllWaiters();  // long polls answer now
  for (int i = 0; i < 200 && world->ioc.poll_one() > 0; ++i) world->ioc.restart();
  world->ctx->core.commits().flush();
  for (int i = 0; i < 200 && world->ioc.poll_one() > 0; ++i) world->ioc.restart();
  if (answers != 1) std::abort();
  return 0;
}
