// Who gets auth.ok: with --no-auth everyone (an auth with no credentials, an empty token or any
// token, and HTTP calls without Authorization); without it, an anonymous auth is refused like
// a wrong token (auth.failed unauthorized, close 4001). Frames go through the real decoder.
#include <gtest/gtest.h>

#include <string>

#include "core/protocol/codec.h"
#include "gateway/auth.h"

using namespace chat::gateway;
namespace proto = chat::proto;

namespace {
proto::Auth decodeAuth(const std::string& frame) {
  auto d = proto::decodeClientMessage(std::string_view(frame));
  EXPECT_TRUE(d.ok()) << frame << ": " << (d.ok() ? "" : d.error().message);
  if (!d.ok()) return {};
  return std::get<proto::Auth>(d.value());
}

Authenticator makeAuth(Authenticator::Mode mode) {
  return Authenticator(mode, mode == Authenticator::Mode::None ? "" : "secret",
                       mode == Authenticator::Mode::Pin ? std::optional<std::string>("4711")
                                                        : std::nullopt,
                       PinAttemptLimiter(2, 60000));
}

const char* const kAnonymous[] = {R"({"type":"auth","id":"c-1"})",
                                  R"({"type":"auth","id":"c-1","token":""})"};
}  // namespace

TEST(AnonymousAuth, AcceptedWithNoAuth) {
  Authenticator auth = makeAuth(Authenticator::Mode::None);
  for (const char* frame : kAnonymous) {
    AuthVerdict v = auth.judge(decodeAuth(frame), "127.0.0.1", 0);
    EXPECT_TRUE(v.ok) << frame;
    EXPECT_EQ(v.closeCode, 0) << frame;
  }
  EXPECT_TRUE(auth.judge(decodeAuth(R"({"type":"auth","id":"c-1","token":"anything"})"), "a", 0).ok);
  EXPECT_TRUE(auth.judge(decodeAuth(R"({"type":"auth","id":"c-1","pin":"0000"})"), "a", 0).ok);
  // HTTP: no Authorization header at all, or any bearer token.
  EXPECT_TRUE(auth.checkAuthorizationHeader(""));
  EXPECT_TRUE(auth.checkAuthorizationHeader("Bearer whatever"));
}

TEST(AnonymousAuth, RefusedLikeAWrongTokenWithoutNoAuth) {
  for (auto mode : {Authenticator::Mode::Token, Authenticator::Mode::Pin}) {
    Authenticator auth = makeAuth(mode);
    for (const char* frame : kAnonymous) {
      AuthVerdict v = auth.judge(decodeAuth(frame), "127.0.0.1", 0);
      EXPECT_FALSE(v.ok) << frame;
      EXPECT_EQ(v.code, "unauthorized") << frame;
      EXPECT_EQ(v.closeCode, 4001) << frame;
      EXPECT_FALSE(v.message.empty());
    }
    EXPECT_FALSE(auth.checkAuthorizationHeader(""));
  }
}

TEST(AuthVerdict, TokenAndPinOutcomes) {
  Authenticator token = makeAuth(Authenticator::Mode::Token);
  EXPECT_TRUE(token.judge(decodeAuth(R"({"type":"auth","id":"c-1","token":"secret"})"), "a", 0).ok);
  AuthVerdict wrong = token.judge(decodeAuth(R"({"type":"auth","id":"c-1","token":"nope"})"), "a", 0);
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.code, "unauthorized");
  EXPECT_EQ(wrong.closeCode, 4001);
  AuthVerdict noPin = token.judge(decodeAuth(R"({"type":"auth","id":"c-1","pin":"4711"})"), "a", 0);
  EXPECT_FALSE(noPin.ok);
  EXPECT_EQ(noPin.closeCode, 4001);

  Authenticator pin = makeAuth(Authenticator::Mode::Pin);
  // An empty token next to a PIN: the PIN is what counts.
  EXPECT_TRUE(pin.judge(decodeAuth(R"({"type":"auth","id":"c-1","token":"","pin":"4711"})"), "a", 0).ok);
  EXPECT_FALSE(pin.judge(decodeAuth(R"({"type":"auth","id":"c-1","pin":"1"})"), "b", 0).ok);
  EXPECT_FALSE(pin.judge(decodeAuth(R"({"type":"auth","id":"c-1","pin":"2"})"), "b", 0).ok);
  AuthVerdict locked = pin.judge(decodeAuth(R"({"type":"auth","id":"c-1","pin":"4711"})"), "b", 1);
  EXPECT_FALSE(locked.ok);
  EXPECT_EQ(locked.code, "rate_limited");
  EXPECT_EQ(locked.closeCode, 4008);
}
