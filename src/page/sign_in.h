// Signing in from the page when the gateway refuses the page's credentials (or the page has
// none): what the user typed becomes a token or a PIN, Enter in the field submits, and a small
// state machine follows the connection status to say whether the sign-in panel shows, whether
// it waits for the gateway's answer, and what it tells the user.
//
// The panel's field is a DOM <input> laid over the canvas (paste, password managers and screen
// readers work there); this file holds only the decisions, so they are unit tested natively.
#pragma once

#include <string>

#include "core/net/status.h"

namespace chat::web {

struct Credentials {
  std::string token;
  std::string pin;
  bool empty() const { return token.empty() && pin.empty(); }
};

// What the user typed into the sign-in field: surrounding whitespace (a pasted token often
// brings a newline) is dropped; 1 to 12 digits is a PIN (what a person types), anything else a
// token (what a person pastes). Blank: both empty.
Credentials credentialsFromEntry(const std::string& entry);

enum class SignInKeyAction {
  None,    // let the field handle it (typing, paste, Tab)
  Submit,  // Enter: sign in (the default action must be prevented)
};

// key: KeyboardEvent.key; keyCode 229 while an IME processes the key (Enter then confirms the
// candidate and must not submit).
SignInKeyAction signInKeyAction(const std::string& key, bool isComposing, int keyCode);

class SignInFlow {
 public:
  // pageHadCredentials: the page started with a token or PIN (from its URL or remembered from an
  // earlier visit), so an "unauthorized" means they were refused rather than missing.
  explicit SignInFlow(bool pageHadCredentials = false) : pageHadCredentials_(pageHadCredentials) {}

  // Follows the connection; call whenever the status may have changed (cheap).
  void noteStatus(const net::Status& status);
  // The user submitted `entry`: the credentials to give the engine, or empty ones (nothing to
  // do) when the entry is blank, the panel is not shown, or an earlier entry awaits its answer.
  Credentials submit(const std::string& entry);

  bool visible() const;  // show the panel
  bool busy() const;     // submitted, the gateway has not answered yet
  bool error() const;    // the message reports a refusal
  std::string message() const;
  // True once each time the panel appears or a submitted entry is refused: the app moves the
  // keyboard focus into the field then (and only then, so it never steals focus while typing).
  bool takeFocusRequest();
  // True once when a submitted entry was refused: worth announcing to screen readers.
  bool takeRejection();

 private:
  bool pageHadCredentials_;
  net::Phase phase_ = net::Phase::Idle;
  bool submitted_ = false;  // an entry was submitted and not yet accepted
  bool awaiting_ = false;   // ...and the attempt carrying it has not ended yet
  bool focusRequest_ = false;
  bool rejection_ = false;
};

}  // namespace chat::web
