// The connection engine's states (Phase, status.h) and the transitions between them. Every
// change of ConnectionEngine::Impl::phase goes through Impl::enter(), which checks it against
// isAllowedTransition (an assert: Debug and sanitized builds stop at a move not drawn here).
//
//            start()                 socket open              auth.ok
//   Idle ------------> Connecting -------------> Authenticating -------> Resuming
//                        ^    |                        |                    |
//                        |    |                        |                    | session.resumed
//        retry time,     |    |  close, error,         |                    | (or a refused
//        retryNow(),     |    |  timeout, heartbeat    |                    |  resume)
//        online          |    v                        v                    v
//                      Waiting <-------------------------------------------- Live
//                             (any failure of Connecting, Authenticating, Resuming or Live)
//
//   from any state but Idle:
//     auth refused (auth.failed, close 4001, HTTP 401)           --> Unauthorized
//     new credentials, or a stale stored token swapped for the PIN --> Connecting
//   from any state: stop()                                        --> Idle
//
// Beside the state: `down` says whether the socket failed since it was last live (the HTTP
// fallback polls only then), and the outbox, the HTTP slots and the history load keep their
// own small states (engine_impl.h). None of them decides where the socket goes next.
#pragma once

#include "core/net/status.h"

namespace chat::net {

// True when the engine may go from `from` to `to` (staying in a state is always allowed).
bool isAllowedTransition(Phase from, Phase to);

}  // namespace chat::net
