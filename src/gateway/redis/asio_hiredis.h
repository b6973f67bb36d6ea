// Drives one hiredis async context (hiredis 0.14: the addRead/delRead/addWrite/delWrite/cleanup
// hooks) from a boost::asio io_context: the context's socket is watched with a posix
// stream_descriptor, and hiredis reads or writes when Asio says the socket is ready.
//
// Lifetime: hiredis owns the context and frees it (on disconnect, on a failed connect, or on
// redisAsyncFree); its cleanup hook detaches the adapter, which then lives only as long as an
// Asio wait that still holds it. The descriptor is released, never closed: the fd is hiredis's.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

struct redisAsyncContext;

namespace chat::gateway::redis {

class AsioHiredisAdapter : public std::enable_shared_from_this<AsioHiredisAdapter> {
 public:
  // Installs the hooks on `ctx` (freshly made by redisAsyncConnect, before any command or
  // connect callback is set: setting the connect callback asks for the first write event).
  // Returns false when the context has no usable socket.
  static bool attach(boost::asio::io_context& ioc, redisAsyncContext* ctx);

  explicit AsioHiredisAdapter(boost::asio::io_context& ioc, redisAsyncContext* ctx);

 private:
  static void addRead(void* self);
  static void delRead(void* self);
  static void addWrite(void* self);
  static void delWrite(void* self);
  static void cleanup(void* self);

  void armRead();
  void armWrite();

  boost::asio::posix::stream_descriptor socket_;
  redisAsyncContext* ctx_;  // null once hiredis has freed it
  bool wantRead_ = false, wantWrite_ = false;
  bool readArmed_ = false, writeArmed_ = false;
  std::shared_ptr<AsioHiredisAdapter> self_;  // the reference hiredis holds, dropped in cleanup
};

}  // namespace chat::gateway::redis
