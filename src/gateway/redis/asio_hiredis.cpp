#include "gateway/redis/asio_hiredis.h"

#include <hiredis/async.h>

namespace chat::gateway::redis {

bool AsioHiredisAdapter::attach(boost::asio::io_context& ioc, redisAsyncContext* ctx) {
  if (ctx == nullptr || ctx->c.fd < 0 || ctx->ev.data != nullptr) return false;
  auto adapter = std::make_shared<AsioHiredisAdapter>(ioc, ctx);
  adapter->self_ = adapter;
  ctx->ev.data = adapter.get();
  ctx->ev.addRead = &AsioHiredisAdapter::addRead;
  ctx->ev.delRead = &AsioHiredisAdapter::delRead;
  ctx->ev.addWrite = &AsioHiredisAdapter::addWrite;
  ctx->ev.delWrite = &AsioHiredisAdapter::delWrite;
  ctx->ev.cleanup = &AsioHiredisAdapter::cleanup;
  return true;
}

AsioHiredisAdapter::AsioHiredisAdapter(boost::asio::io_context& ioc, redisAsyncContext* ctx)
    : socket_(ioc, ctx->c.fd), ctx_(ctx) {}

void AsioHiredisAdapter::addRead(void* self) {
  auto* a = static_cast<AsioHiredisAdapter*>(self);
  a->wantRead_ = true;
  a->armRead();
}

void AsioHiredisAdapter::delRead(void* self) { static_cast<AsioHiredisAdapter*>(self)->wantRead_ = false; }

void AsioHiredisAdapter::addWrite(void* self) {
  auto* a = static_cast<AsioHiredisAdapter*>(self);
  a->wantWrite_ = true;
  a->armWrite();
}

void AsioHiredisAdapter::delWrite(void* self) {
  static_cast<AsioHiredisAdapter*>(self)->wantWrite_ = false;
}

// Called by hiredis while it frees the context (possibly inside one of our handlers' calls
// into hiredis): from here on the context must not be touched.
void AsioHiredisAdapter::cleanup(void* self) {
  auto* a = static_cast<AsioHiredisAdapter*>(self);
  a->ctx_ = nullptr;
  a->wantRead_ = a->wantWrite_ = false;
  boost::system::error_code ignored;
  a->socket_.cancel(ignored);
  a->socket_.release();  // hiredis closes the fd itself
  a->self_.reset();      // the pending waits (if any) still hold the adapter
}

// hiredis wants the read hook level-triggered (one addRead, events until delRead), so the
// wait is re-armed after each readiness as long as hiredis still wants it.
void AsioHiredisAdapter::armRead() {
  if (readArmed_ || ctx_ == nullptr) return;
  readArmed_ = true;
  socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->readArmed_ = false;
                       if (ec || self->ctx_ == nullptr || !self->wantRead_) return;
                       redisAsyncHandleRead(self->ctx_);  // may free the context (cleanup)
                       if (self->ctx_ != nullptr && self->wantRead_) self->armRead();
                     });
}

void AsioHiredisAdapter::armWrite() {
  if (writeArmed_ || ctx_ == nullptr) return;
  writeArmed_ = true;
  socket_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->writeArmed_ = false;
                       if (ec || self->ctx_ == nullptr || !self->wantWrite_) return;
                       redisAsyncHandleWrite(self->ctx_);
                       if (self->ctx_ != nullptr && self->wantWrite_) self->armWrite();
                     });
}

}  // namespace chat::gateway::redis
