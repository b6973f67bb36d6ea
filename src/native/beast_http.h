// HttpTransport on Boost.Beast: one TCP connection per request (simple and robust for a
// long-poll plus an occasional POST), an overall deadline per request, and cancel() after
// which the request's callback is never called.
//
// Runs on the given io_context; callbacks come from completion handlers on its thread, never
// from inside request()/cancel(). The io_context must outlive this object.
#pragma once

#include <cstddef>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "core/net/platform.h"

namespace chat::native {

struct HttpOptions {
  int defaultTimeoutMs = 60000;                  // when Request::timeoutMs is 0
  std::size_t maxBodyBytes = 64 * 1024 * 1024;   // larger responses fail (status 0)
};

class BeastHttp : public net::HttpTransport {
 public:
  explicit BeastHttp(boost::asio::io_context& io, HttpOptions options = {});
  ~BeastHttp() override;  // cancels everything in flight (no callback afterwards)
  BeastHttp(const BeastHttp&) = delete;
  BeastHttp& operator=(const BeastHttp&) = delete;

  RequestId request(const Request& req, std::function<void(const Response&)> done) override;
  void cancel(RequestId id) override;

  std::size_t inFlight() const { return exchanges_.size(); }

  class Exchange;  // one request/response on its own connection

 private:
  void finished(RequestId id, const Response& response);

  boost::asio::io_context& io_;
  HttpOptions options_;
  RequestId nextId_ = 1;
  struct Pending {
    std::shared_ptr<Exchange> exchange;
    std::function<void(const Response&)> done;
  };
  std::map<RequestId, Pending> exchanges_;
};

}  // namespace chat::native
