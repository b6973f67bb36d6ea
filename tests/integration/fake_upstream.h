// A fake OpenAI-compatible upstream for tests, the e2e scenario and the benchmark: a real HTTP
// server on loopback (its own threads) that streams Chat Completions the way real servers do.
// What it answers depends on the last user message (the scenario is in the words a test
// sends), and on whether the last message is a tool result:
//
//   "shell: CMD"    a `shell` tool call {command: CMD} whose arguments arrive in three pieces;
//                   after the tool result: "Tool said: <result>"
//   "time please"   a `time` tool call, then a reply quoting its result
//   "bad args"      a `shell` call with arguments that are not JSON; then a reply
//   "loop tools"    a `time` call every round (never a reply)
//   "rate limit"    429 {error} with Retry-After: 1 the first time, then the default reply
//   "error body"    400 {"error":{"message":"model 'nope' not found"}}
//   "server error"  503 every time
//   "stall"         one delta, then silence with the connection open
//   "cut"           three deltas, then the connection closed mid-stream (no terminal chunk)
//   "long N"        N words, one every 20 ms
//   "fast N"        N one-token events as fast as the socket takes them
//   anything else   reasoning first, then "You said: <text>. I have seen N messages." in
//                   word deltas, with keep-alive comments, `data:` with and without a space,
//                   CRLF and LF, a finish_reason chunk, a usage-only final chunk and [DONE]
//
// GET /models lists "fake-model" and "fake-reasoner". Every request is recorded.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace chat::itest {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  nlohmann::json body;  // null for GET
};

class FakeUpstream {
 public:
  FakeUpstream();   // listens on 127.0.0.1, any free port
  ~FakeUpstream();  // stops and joins every thread
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  uint16_t port() const { return port_; }
  std::string baseUrl() const;  // http://127.0.0.1:PORT/v1

  std::vector<RecordedRequest> requests() const;
  // Streams whose client closed the connection before the reply was over (cancel, stall).
  int closedByClient() const { return closedByClient_.load(); }

  // Delay before the first byte of every streamed reply (benchmark of first-token overhead).
  void setFirstByteDelayMs(int ms) { firstByteDelayMs_ = ms; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::atomic<int> closedByClient_{0};
  std::atomic<int> firstByteDelayMs_{0};
  friend struct FakeUpstreamConnection;
};

}  // namespace chat::itest
