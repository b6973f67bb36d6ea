// The layer under a WebSocket connection's Beast stream that gathers the frames due on a socket
// into one write: websocket::stream<CoalescingStream>.
//
// Beast writes one frame per async_write and waits for it before the next, so a connection with
// 20 events due in one turn of the loop cost 20 sendmsg calls (and 20 TCP segments for the
// client to read). Here a write only copies its bytes into the pending buffer and completes at
// once (posted); the socket write happens when a whole turn of the loop passed without new
// bytes (every frame WsSession had queued has been handed over by then), or as soon as the
// previous socket write is done, or when kFlushBytes are pending. So everything due on a
// socket goes out in one write per turn.
//
// Nothing else changes: frames keep their order (Beast's own frames, pong and close, take the
// same path, so they never interleave with ours); backpressure is kept: beyond kMaxPending
// bytes a write completes only once the socket took the bytes, so WsSession's bounded queue
// still fills up behind a slow client. A socket error fails the next write (and the one
// waiting). Reads pass straight through.
//
// appendTextFrame() is the fast path for the gateway's own text messages: the frame (header +
// payload; a server's frames are not masked, and the gateway negotiates no compression) is
// built straight into the pending bytes, without a Beast write operation, its posted
// completion and its handler per message (~1/4 of the network thread with 1,000 streams).
// Every Beast write passes through here whole (each async_write_some takes all its bytes at
// once), so a frame appended here always lies between two of Beast's frames, never inside
// one. Only for whole messages, and never while a Beast message write is in progress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace chat::gateway {

class CoalescingStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  static constexpr std::size_t kFlushBytes = 64 * 1024;   // write at once beyond this
  static constexpr std::size_t kMaxPending = 256 * 1024;  // hold completions beyond this

  explicit CoalescingStream(next_layer_type&& next)
      : state_(std::make_shared<State>(std::move(next))) {}

  executor_type get_executor() noexcept { return state_->next.get_executor(); }
  next_layer_type& next_layer() noexcept { return state_->next; }
  const next_layer_type& next_layer() const noexcept { return state_->next; }

  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return state_->next.async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [](auto handler, std::shared_ptr<State> state, const ConstBuffers& buffers) {
          const std::size_t n = boost::asio::buffer_size(buffers);
          if (state->error) {
            boost::asio::post(state->next.get_executor(),
                              boost::beast::bind_handler(std::move(handler), state->error, 0));
            return;
          }
          const std::size_t old = state->pending.size();
          state->pending.resize(old + n);
          boost::asio::buffer_copy(boost::asio::buffer(&state->pending[old], n), buffers);
          ++state->appends;
          auto complete = [handler = std::move(handler), n](boost::system::error_code ec) mutable {
            std::move(handler)(ec, ec ? 0 : n);
          };
          if (state->pending.size() + state->inFlight.size() <= kMaxPending) {
            boost::asio::post(state->next.get_executor(),
                              [complete = std::move(complete)]() mutable { complete({}); });
          } else {
            // Completed when the socket has taken these bytes (see onWritten).
            state->held.push_back(std::make_unique<Held<decltype(complete)>>(std::move(complete)));
          }
          scheduleFlush(state);
        },
        token, state_, buffers);
  }

  enum class Append { Done, Full, Failed };
  // Appends one text frame carrying `payload` (see above). Full: kMaxPending bytes are waiting
  // already, nothing appended (whenWritable says when to go on); Failed: the socket failed.
  Append appendTextFrame(std::string_view payload) {
    State& st = *state_;
    if (st.error) return Append::Failed;
    if (st.pending.size() >= kMaxPending) return Append::Full;
    char header[10];
    std::size_t n = 2;
    const uint64_t size = payload.size();
    header[0] = static_cast<char>(0x81);  // FIN, text
    if (size < 126) {
      header[1] = static_cast<char>(size);
    } else if (size <= 0xFFFF) {
      header[1] = 126;
      header[2] = static_cast<char>((size >> 8) & 0xFF);
      header[3] = static_cast<char>(size & 0xFF);
      n = 4;
    } else {
      header[1] = 127;
      for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>((size >> (56 - 8 * i)) & 0xFF);
      n = 10;
    }
    st.pending.append(header, n);
    st.pending.append(payload.data(), payload.size());
    ++st.appends;
    scheduleFlush(state_);
    return Append::Done;
  }

  // Calls `then` (once) when fewer than kMaxPending bytes wait, or the socket failed.
  void whenWritable(std::function<void()> then) {
    if (state_->error || state_->pending.size() < kMaxPending) {
      boost::asio::post(state_->next.get_executor(), std::move(then));
      return;
    }
    state_->writable.push_back(std::move(then));
  }

  // Every pending byte is handed to the socket (Beast's teardown comes after its close frame).
  void whenFlushed(std::function<void()> then) {
    if (state_->pending.empty() && !state_->writing) return then();
    state_->flushed.push_back(std::move(then));
    scheduleFlush(state_);
  }

 private:
  struct HeldBase {
    virtual ~HeldBase() = default;
    virtual void complete(boost::system::error_code ec) = 0;
  };
  template <class F>
  struct Held : HeldBase {
    explicit Held(F&& f) : fn(std::move(f)) {}
    void complete(boost::system::error_code ec) override { fn(ec); }
    F fn;
  };

  struct State {
    explicit State(next_layer_type&& n) : next(std::move(n)) {}
    next_layer_type next;
    std::string pending;   // bytes handed over, not yet written
    std::string inFlight;  // bytes the socket write in progress holds
    bool writing = false;
    bool flushPosted = false;
    uint64_t appends = 0;  // writes handed over so far (a flush waits for a quiet turn)
    boost::system::error_code error;
    std::vector<std::unique_ptr<HeldBase>> held;  // writes completed once the socket took them
    std::vector<std::function<void()>> flushed;
    std::vector<std::function<void()>> writable;  // waiting for room (appendTextFrame was Full)
  };

  static void scheduleFlush(const std::shared_ptr<State>& state) {
    if (state->writing) return;  // onWritten goes on with what is pending
    if (state->pending.size() >= kFlushBytes) return startWrite(state);
    if (state->flushPosted) return;
    state->flushPosted = true;
    postQuietCheck(state, state->appends);
  }

  // Writes once a turn of the loop passed with no new bytes: every frame the connection had
  // queued for this turn has been handed over by then.
  static void postQuietCheck(const std::shared_ptr<State>& state, uint64_t seen) {
    boost::asio::post(state->next.get_executor(), [state, seen] {
      if (state->writing) {
        state->flushPosted = false;
        return;
      }
      if (state->appends != seen) return postQuietCheck(state, state->appends);
      state->flushPosted = false;
      startWrite(state);
    });
  }

  static void startWrite(const std::shared_ptr<State>& state) {
    if (state->writing) return;
    if (state->pending.empty() || state->error) {
      runFlushed(state);
      return;
    }
    state->writing = true;
    state->inFlight.swap(state->pending);
    state->pending.clear();
    boost::asio::async_write(
        state->next, boost::asio::buffer(state->inFlight),
        [state](boost::system::error_code ec, std::size_t) { onWritten(state, ec); });
  }

  static void onWritten(const std::shared_ptr<State>& state, boost::system::error_code ec) {
    state->writing = false;
    state->inFlight.clear();
    if (ec) {
      state->error = ec;
      state->pending.clear();
    }
    if (!state->held.empty() && (ec || state->pending.size() <= kMaxPending)) {
      auto held = std::move(state->held);
      state->held.clear();
      for (auto& h : held) h->complete(ec);
    }
    if (!state->pending.empty() && !state->error) startWrite(state);
    if (!state->writable.empty() && (state->error || state->pending.size() < kMaxPending)) {
      auto writable = std::move(state->writable);
      state->writable.clear();
      for (auto& fn : writable) fn();
    }
    runFlushed(state);
  }

  static void runFlushed(const std::shared_ptr<State>& state) {
    if (state->writing || !state->pending.empty()) return;
    auto then = std::move(state->flushed);
    state->flushed.clear();
    for (auto& fn : then) fn();
  }

  std::shared_ptr<State> state_;  // shared with the operations in flight
};

// Beast's close handshake ends with a teardown of the layer under the WebSocket: the frames
// still pending are written first, then the TCP stream is torn down as Beast does it.
template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, CoalescingStream& stream,
                    TeardownHandler&& handler) {
  auto shared = std::make_shared<std::decay_t<TeardownHandler>>(
      std::forward<TeardownHandler>(handler));
  stream.whenFlushed([role, &stream, shared] {
    async_teardown(role, stream.next_layer(), std::move(*shared));
  });
}

inline void teardown(boost::beast::role_type role, CoalescingStream& stream,
                     boost::system::error_code& ec) {
  teardown(role, stream.next_layer(), ec);
}

}  // namespace chat::gateway
