// HTTP(S) requests to the OpenAI-compatible upstream (Beast; TLS through OpenSSL), with the
// response body handed on as it arrives (server-sent events are read chunk by chunk, never
// buffered whole).
//
// - TLS: certificates verified against the system store (or only --upstream-ca FILE), host
//   name checked, SNI sent. Never a way to turn verification off.
// - The API key goes only into this request's Authorization header; it is never logged and
//   never part of an outcome's message.
// - Idle timeout: every step (resolve, connect, handshake, write, each read) must make
//   progress within idleMs, or the request ends as TimedOut.
// - cancel() closes the connection at once; no handler runs after it.
// Single-threaded: everything runs on the gateway's io_context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "gateway/upstream_url.h"

namespace chat::gateway {

struct UpstreamOutcome {
  enum class Kind {
    Ok,             // a 2xx response, read to its end
    HttpError,      // a non-2xx status: `status`, `body` (capped), `retryAfter`
    ConnectFailed,  // name not resolved, connection refused, TLS handshake/verification failed
    TimedOut,       // no progress for idleMs
    Cut,            // the connection ended before the response did
  };
  Kind kind = Kind::Ok;
  int status = 0;
  std::string body;
  std::string retryAfter;  // the Retry-After header, as sent
  std::string message;     // what went wrong, for the user (never holds the key)
};

class UpstreamRequest {
 public:
  virtual ~UpstreamRequest() = default;
  // Closes the connection now; neither onBody nor onDone runs afterwards.
  virtual void cancel() = 0;
};

class UpstreamClient {
 public:
  struct Options {
    UpstreamUrl url;
    std::string apiKey;   // "" = no Authorization header
    std::string caFile;   // "" = the system's trusted certificates
    int64_t idleMs = 60000;
  };

  // Throws std::runtime_error when the TLS context cannot be set up (a bad CA file).
  UpstreamClient(boost::asio::io_context& ioc, Options options);
  ~UpstreamClient();

  using BodyHandler = std::function<void(std::string_view bytes)>;  // 2xx bodies only
  using DoneHandler = std::function<void(const UpstreamOutcome&)>;

  // POST {base}{path} with a JSON body; `onBody` gets the 2xx response body as it arrives.
  std::shared_ptr<UpstreamRequest> post(const std::string& path, std::string jsonBody,
                                        BodyHandler onBody, DoneHandler onDone);
  // GET {base}{path}.
  std::shared_ptr<UpstreamRequest> get(const std::string& path, BodyHandler onBody,
                                       DoneHandler onDone);

  const UpstreamUrl& url() const { return options_.url; }

 private:
  std::shared_ptr<UpstreamRequest> start(const std::string& method, const std::string& path,
                                         std::string body, BodyHandler onBody,
                                         DoneHandler onDone);
  boost::asio::io_context& ioc_;
  Options options_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace chat::gateway
