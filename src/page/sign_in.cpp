#include "page/sign_in.h"

namespace chat::web {

namespace {

constexpr std::size_t kMaxPinDigits = 12;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Connecting or authenticating: an answer to the credentials is on its way.
bool awaitingAnswer(net::Phase p) { return p == net::Phase::Connecting || p == net::Phase::Authenticating; }

// The gateway accepted the credentials: auth.ok came (resuming) or the chat is live.
bool accepted(net::Phase p) { return p == net::Phase::Resuming || p == net::Phase::Live; }

}  // namespace

Credentials credentialsFromEntry(const std::string& entry) {
  std::size_t b = 0, e = entry.size();
  while (b < e && isSpace(entry[b])) ++b;
  while (e > b && isSpace(entry[e - 1])) --e;
  Credentials c;
  if (b == e) return c;
  const std::string text = entry.substr(b, e - b);
  bool digits = text.size() <= kMaxPinDigits;
  for (char ch : text) digits = digits && ch >= '0' && ch <= '9';
  if (digits) {
    c.pin = text;
  } else {
    c.token = text;
  }
  return c;
}

SignInKeyAction signInKeyAction(const std::string& key, bool isComposing, int keyCode) {
  if (isComposing || keyCode == 229) return SignInKeyAction::None;
  return key == "Enter" ? SignInKeyAction::Submit : SignInKeyAction::None;
}

void SignInFlow::noteStatus(const net::Status& status) {
  const bool wasRefused = phase_ == net::Phase::Unauthorized;
  phase_ = status.phase;
  if (accepted(phase_)) submitted_ = false;
  // The answer came, or the attempt failed for another reason (the gateway is unreachable: the
  // pill's countdown says so, and the panel does not blink with every retry).
  if (!awaitingAnswer(phase_)) awaiting_ = false;
  if (phase_ == net::Phase::Unauthorized && !wasRefused) {
    focusRequest_ = true;
    if (submitted_) rejection_ = true;
  }
}

Credentials SignInFlow::submit(const std::string& entry) {
  if (!visible() || busy()) return {};
  Credentials c = credentialsFromEntry(entry);
  if (c.empty()) return c;
  submitted_ = true;
  awaiting_ = true;
  // The engine starts its new attempt at once; until its status says so, the panel waits.
  phase_ = net::Phase::Connecting;
  return c;
}

bool SignInFlow::visible() const { return phase_ == net::Phase::Unauthorized || awaiting_; }

bool SignInFlow::busy() const { return awaiting_; }

bool SignInFlow::error() const {
  return phase_ == net::Phase::Unauthorized && (submitted_ || pageHadCredentials_);
}

std::string SignInFlow::message() const {
  if (!visible()) return "";
  if (busy()) return "Signing in\xE2\x80\xA6";
  if (submitted_) return "That token or PIN was not accepted. Check it and try again.";
  if (pageHadCredentials_) return "The gateway did not accept this page's token or PIN. Enter the right one to sign in.";
  return "This gateway needs a token or PIN. Enter it to sign in.";
}

bool SignInFlow::takeFocusRequest() {
  const bool r = focusRequest_;
  focusRequest_ = false;
  return r;
}

bool SignInFlow::takeRejection() {
  const bool r = rejection_;
  rejection_ = false;
  return r;
}

}  // namespace chat::web
