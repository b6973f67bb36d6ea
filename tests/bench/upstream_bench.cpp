// chat-upstream-bench: the gateway as a relay of an OpenAI-compatible upstream.
//   1. Tokens relayed per second: the fake upstream (tests/integration/fake_upstream.h)
//      streams N one-token events as fast as the socket takes them; the figure is N over the
//      time from the first delta to chat.stream.end at a WebSocket client of the gateway
//      (the gateway is single-threaded: one core). Target >= 50,000/s.
//   2. First-token overhead: the time from chat.send to the first chat.stream.delta at the
//      client, minus the time from POST to the first content event when the same request goes
//      to the upstream directly; medians of R runs. Target <= 1 ms.
// Prints one JSON line per figure ({"figure","value","unit","method"}), progress on stderr.
//   chat-upstream-bench [--tokens N] [--runs R]      (runs this build's chat-gateway)
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "fake_upstream.h"
#include "gateway_process.h"
#include "native/event_loop.h"
#include "raw_ws.h"

using namespace chat::itest;
using Clock = std::chrono::steady_clock;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

void figure(const std::string& name, double value, const std::string& unit, const std::string& method) {
  std::cout << nlohmann::json{{"figure", name}, {"value", value}, {"unit", unit}, {"method", method}}.dump()
            << std::endl;
}

// CPU seconds (user + system) the process has used so far, from /proc/PID/stat.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt (fields 3..13)
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / sysconf(_SC_CLK_TCK);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// POST straight to the upstream; ms until the first content event arrives.
double directFirstToken(uint16_t port) {
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  auto t0 = Clock::now();
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  socket.set_option(tcp::no_delay(true));
  http::request<http::string_body> req(http::verb::post, "/v1/chat/completions", 11);
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.body() = nlohmann::json{{"model", "fake-model"}, {"stream", true},
                              {"messages", {{{"role", "user"}, {"content", "fast 1"}}}}}.dump();
  req.prepare_payload();
  http::write(socket, req);
  std::string seen;
  char buf[4096];
  for (;;) {
    beast::error_code ec;
    std::size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    seen.append(buf, n);
    if (seen.find("\"content\"") != std::string::npos || ec) break;
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int tokens = 200000;
  int runs = 30;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--tokens") tokens = std::stoi(argv[i + 1]);
    else if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  FakeUpstream upstream;
  GatewayOptions options;
  options.extraArgs = {"--upstream", upstream.baseUrl(), "--model", "fake-model", "--quiet"};
  GatewayProcess gateway(options);
  if (std::string e = gateway.start(); !e.empty()) {
    std::cerr << "gateway: " << e << "\n";
    return 1;
  }
  chat::native::EventLoop loop;
  RawWs ws(loop);
  if (!ws.open(gateway.wsUrl()) || !ws.authenticate("test")) {
    std::cerr << "cannot connect to the gateway\n";
    return 1;
  }
  int nextId = 0;
  // Each measurement in its own session, so no run carries an earlier one's history.
  auto send = [&](const std::string& content) {
    std::string id = "b-" + std::to_string(++nextId);
    ws.send({{"type", "chat.send"}, {"id", id}, {"sessionId", "s-bench-" + id}, {"content", content}});
    return id;
  };

  // 1. Throughput.
  {
    const double cpu0 = cpuSeconds(gateway.pid());
    std::string id = send("fast " + std::to_string(tokens));
    Clock::time_point first{};
    std::size_t chars = 0;
    for (;;) {
      auto f = ws.next(std::chrono::seconds(60));
      if (!f) {
        std::cerr << "throughput: no chat.stream.end within 60 s\n";
        return 1;
      }
      if (!f->is_object() || f->value("requestId", "") != id) continue;
      std::string type = f->value("type", "");
      if (type == "chat.stream.delta") {
        if (chars == 0) first = Clock::now();
        chars += f->value("delta", "").size();
      } else if (type == "chat.stream.end") {
        break;
      }
    }
    double seconds = std::chrono::duration<double>(Clock::now() - first).count();
    const double cpu = cpuSeconds(gateway.pid()) - cpu0;
    double relayed = chars / 2.0;  // every token is " t"
    std::cerr << "relayed " << relayed << " tokens in " << seconds << " s, gateway CPU " << cpu << " s\n";
    figure("Upstream tokens relayed per gateway CPU-second", relayed / cpu, "tokens/s",
           "the same run: tokens over the gateway process's user+system CPU time for the whole turn "
           "(/proc/PID/stat; independent of other load on a shared machine)");
    figure("Upstream tokens relayed/s (fake upstream at full speed, one gateway core)", relayed / seconds,
           "tokens/s",
           std::to_string(tokens) + " one-token SSE events from the fake OpenAI-compatible upstream, "
           "first delta to chat.stream.end at one WebSocket client (target >= 50,000)");
  }

  // 2. First-token overhead.
  std::vector<double> viaGateway, direct;
  for (int r = 0; r < runs; ++r) {
    direct.push_back(directFirstToken(upstream.port()));
    auto t0 = Clock::now();
    std::string id = send("fast 1");
    bool firstSeen = false;
    for (;;) {
      auto f = ws.next(std::chrono::seconds(10));
      if (!f) return 1;
      if (!f->is_object() || f->value("requestId", "") != id) continue;
      std::string type = f->value("type", "");
      if (type == "chat.stream.delta" && !firstSeen) {
        viaGateway.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        firstSeen = true;
      } else if (type == "chat.stream.end") {
        break;
      }
    }
  }
  double g = median(viaGateway), d = median(direct);
  std::cerr << "first token: via gateway " << g << " ms, direct " << d << " ms\n";
  figure("Upstream first token via the gateway / direct, median", g, "ms",
         "chat.send -> first chat.stream.delta at a WebSocket client vs POST -> first content event "
         "straight from the fake upstream; " + std::to_string(runs) + " runs, direct " +
         std::to_string(d).substr(0, 5) + " ms");
  figure("Upstream first-token overhead of the gateway, median", g - d, "ms",
         "the difference of the two medians above (includes the echo's and the start's group "
         "commits and reading the conversation from the log; target <= 1 ms)");
  gateway.stop(SIGTERM);
  return 0;
}
