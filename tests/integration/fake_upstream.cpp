#include "fake_upstream.h"

#include <poll.h>

#include <chrono>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace chat::itest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

struct FakeUpstream::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread acceptThread;
  std::mutex mutex;
  std::vector<std::thread> connections;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<RecordedRequest> requests;
  std::map<std::string, int> attempts;  // per user text: for "rate limit"
  std::atomic<bool> stopping{false};
};

// One connection: reads one request, answers it, closes.
struct FakeUpstreamConnection {
  FakeUpstream& owner;
  tcp::socket& socket;

  // True while the client keeps the connection open (no EOF or error pending).
  bool clientStillThere() {
    pollfd p{socket.native_handle(), POLLIN, 0};
    int r = ::poll(&p, 1, 0);
    if (r <= 0) return true;
    if (p.revents & (POLLHUP | POLLERR)) return false;
    char c;
    return ::recv(socket.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  }

  bool raw(const std::string& bytes) {
    beast::error_code ec;
    asio::write(socket, asio::buffer(bytes), ec);
    return !ec;
  }
  bool chunk(const std::string& bytes) {
    std::ostringstream s;
    s << std::hex << bytes.size() << "\r\n" << bytes << "\r\n";
    return raw(s.str());
  }
  bool event(const json& data, const char* prefix = "data: ", const char* eol = "\n") {
    return chunk(std::string(prefix) + data.dump() + eol + eol);
  }
  void endChunks() { raw("0\r\n\r\n"); }

  void startStream() {
    if (int ms = owner.firstByteDelayMs_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  }
  void plain(int status, const std::string& reason, const std::string& body,
             const std::string& extraHeaders = "") {
    raw("HTTP/1.1 " + std::to_string(status) + " " + reason +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + body);
  }

  static json delta(const json& d, const json& finish = nullptr) {
    return {{"id", "chatcmpl-fake"},
            {"object", "chat.completion.chunk"},
            {"model", "fake-model"},
            {"choices", json::array({{{"index", 0}, {"delta", d}, {"finish_reason", finish}}})}};
  }
  static json usage(int prompt, int completion) {
    return {{"id", "chatcmpl-fake"},
            {"object", "chat.completion.chunk"},
            {"choices", json::array()},
            {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}}}};
  }

  // Words of `text` as deltas (the space before a word kept with it).
  bool words(const std::string& text, int delayMs, int* count) {
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t j = text.find(' ', i + 1);
      if (j == std::string::npos) j = text.size();
      if (!event(delta({{"content", text.substr(i, j - i)}}))) return false;
      ++*count;
      i = j;
      if (delayMs) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        if (!clientStillThere()) return false;
      }
    }
    return true;
  }

  void finishReply(int completion, const char* reason = "stop") {
    event(delta(json::object(), reason));
    event(usage(42, completion));
    chunk("data: [DONE]\n\n");
    endChunks();
  }

  void toolCall(const std::string& id, const std::string& name, const std::vector<std::string>& argPieces) {
    startStream();
    event(delta({{"role", "assistant"}, {"content", nullptr},
                 {"tool_calls", json::array({{{"index", 0}, {"id", id}, {"type", "function"},
                                              {"function", {{"name", name}, {"arguments", ""}}}}})}}));
    chunk(": keep-alive\n\n");
    for (const auto& piece : argPieces)
      event(delta({{"tool_calls", json::array({{{"index", 0}, {"function", {{"arguments", piece}}}}})}}));
    finishReply(5, "tool_calls");
  }

  void serve() {
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    beast::error_code ec;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    RecordedRequest rec;
    rec.method = std::string(req.method_string());
    rec.target = std::string(req.target());
    if (auto it = req.find(http::field::authorization); it != req.end()) rec.authorization = std::string(it->value());
    if (req.method() == http::verb::post) rec.body = json::parse(req.body(), nullptr, false);
    {
      std::lock_guard<std::mutex> lock(owner.impl_->mutex);
      owner.impl_->requests.push_back(rec);
    }
    if (req.method() == http::verb::get && rec.target == "/v1/models") {
      plain(200, "OK", R"({"object":"list","data":[{"id":"fake-model","object":"model"},{"id":"fake-reasoner","object":"model"}]})");
      return;
    }
    if (req.method() != http::verb::post || rec.target != "/v1/chat/completions" || !rec.body.is_object()) {
      plain(404, "Not Found", R"({"error":{"message":"no such route"}})");
      return;
    }
    const json& messages = rec.body["messages"];
    std::string lastUser;
    std::string lastToolResult;
    bool afterTool = false;
    int rounds = 0;
    for (const auto& m : messages) {
      if (m.value("role", "") == "user") {
        lastUser = m.value("content", "");
        afterTool = false;
        rounds = 0;
      } else if (m.value("role", "") == "tool") {
        afterTool = true;
        lastToolResult = m.value("content", "");
      } else if (m.value("role", "") == "assistant" && m.contains("tool_calls")) {
        ++rounds;
      }
    }
    auto has = [&](const char* word) { return lastUser.find(word) != std::string::npos; };
    int count = 0;

    if (has("loop tools")) return toolCall("call_loop_" + std::to_string(rounds), "time", {"{}"});
    if (has("shell: ") && !afterTool) {
      std::string command = lastUser.substr(lastUser.find("shell: ") + 7);
      std::string args = json{{"command", command}}.dump();
      std::size_t third = args.size() / 3;
      return toolCall("call_shell_1", "shell", {args.substr(0, third), args.substr(third, third), args.substr(2 * third)});
    }
    if (has("time please") && !afterTool) return toolCall("call_time_1", "time", {"{", "}"});
    if (has("bad args") && !afterTool) return toolCall("call_bad_1", "shell", {"{\"command\": ", "not json"});
    if (afterTool) {
      startStream();
      words("Tool said: " + lastToolResult, 0, &count);
      return finishReply(count);
    }
    if (has("rate limit")) {
      int attempt;
      {
        std::lock_guard<std::mutex> lock(owner.impl_->mutex);
        attempt = ++owner.impl_->attempts[lastUser];
      }
      if (attempt == 1) {
        plain(429, "Too Many Requests", R"({"error":{"message":"slow down","type":"rate_limit"}})", "Retry-After: 1\r\n");
        return;
      }
    }
    if (has("error body")) return plain(400, "Bad Request", R"({"error":{"message":"model 'nope' not found","type":"invalid_request_error"}})");
    if (has("server error")) return plain(503, "Service Unavailable", R"({"error":{"message":"overloaded"}})", "Retry-After: 0\r\n");
    if (has("stall")) {
      startStream();
      event(delta({{"content", "Thinking about"}}));
      while (!owner.impl_->stopping && clientStillThere())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      owner.closedByClient_++;
      return;
    }
    if (has("cut")) {
      startStream();
      words("This reply is cut", 0, &count);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;  // closed without the terminal chunk
    }
    if (has("long ")) {
      int n = std::max(1, std::atoi(lastUser.substr(lastUser.find("long ") + 5).c_str()));
      startStream();
      std::string text;
      for (int i = 0; i < n; ++i) text += (i ? " w" : "w") + std::to_string(i);
      if (!words(text, 20, &count)) {
        owner.closedByClient_++;
        return;
      }
      return finishReply(count);
    }
    if (has("fast ")) {
      int n = std::max(1, std::atoi(lastUser.substr(lastUser.find("fast ") + 5).c_str()));
      startStream();
      // Batched into large writes, as a fast server's kernel buffers would deliver them.
      std::string batch;
      for (int i = 0; i < n; ++i) {
        batch += "data: " + delta({{"content", " t"}}).dump() + "\n\n";
        if (batch.size() > 32 * 1024) {
          if (!chunk(batch)) return;
          batch.clear();
        }
      }
      if (!batch.empty()) chunk(batch);
      return finishReply(n);
    }
    // The default reply, in every shape real servers use.
    startStream();
    event(delta({{"role", "assistant"}, {"content", ""}}));
    event(delta({{"reasoning_content", "The user said "}}), "data:");
    event(delta({{"reasoning", "something; answer it."}}), "data: ", "\r\n");
    chunk(": keep-alive\n\n");
    std::string reply = "You said: " + lastUser + ". I have seen " + std::to_string(messages.size()) + " messages.";
    // The first word's event split across two writes (two TCP reads on the other side).
    std::string first = "data: " + delta({{"content", "You"}}).dump() + "\r\n\r\n";
    chunk(first.substr(0, 9));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    chunk(first.substr(9));
    words(reply.substr(3), 0, &count);
    finishReply(count + 1);
  }
};

FakeUpstream::FakeUpstream() : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->acceptThread = std::thread([this] {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(impl_->ioc);
      beast::error_code ec;
      impl_->acceptor.accept(*socket, ec);
      if (ec || impl_->stopping) return;
      std::lock_guard<std::mutex> lock(impl_->mutex);
      impl_->sockets.push_back(socket);
      impl_->connections.emplace_back([this, socket] {
        FakeUpstreamConnection{*this, *socket}.serve();
        beast::error_code ignored;
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      });
    }
  });
}

FakeUpstream::~FakeUpstream() {
  impl_->stopping = true;
  beast::error_code ignored;
  // Wakes the blocking accept().
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  impl_->acceptThread.join();
  impl_->acceptor.close(ignored);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (auto& s : impl_->sockets) ::shutdown(s->native_handle(), SHUT_RDWR);
    threads = std::move(impl_->connections);
  }
  for (auto& t : threads) t.join();
}

std::string FakeUpstream::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

std::vector<RecordedRequest> FakeUpstream::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->requests;
}

}  // namespace chat::itest
