// The client's configuration, read from the page's address:
//   ?gateway=<ws url>&api=<http base>&session=<id>&theme=dark|light|auto&parentOrigin=<origin>
//   #token=...  or  #pin=...   (secrets only ever in the fragment: it is never sent to a server)
// Defaults come from the page's own origin: ws(s)://host/gateway and http(s)://host/api.
#pragma once

#include <string>
#include <vector>

#include "core/protocol/text_rules.h"

namespace chat::web {

enum class ThemeChoice { Auto, Light, Dark };

// Parses "dark" / "light" / "auto" (case-insensitive); anything else is nullopt-like: returns
// false and leaves *out untouched.
bool parseThemeChoice(const std::string& s, ThemeChoice* out);
const char* themeChoiceName(ThemeChoice t);

struct PageLocation {
  std::string origin;  // location.origin, e.g. "http://127.0.0.1:8080" ("null" for file://)
  std::string search;  // location.search, e.g. "?theme=dark"
  std::string hash;    // location.hash, e.g. "#token=abc"
};

struct AppConfig {
  std::string wsUrl;         // "" when neither given nor derivable (then the app shows an error)
  std::string apiBase;       // no trailing '/'
  std::string sessionId;     // "" = the last session (persisted) or a new one
  ThemeChoice theme = ThemeChoice::Auto;
  std::string parentOrigin;  // normalized origin of the embedding page, "" when not embedded
  std::string token;
  std::string pin;
  bool secretInFragment = false;      // strip the fragment from the address bar
  std::vector<std::string> warnings;  // parameters that were ignored, and why
};

AppConfig parseAppConfig(const PageLocation& loc);

// Valid session ids: the contract's one rule (core/protocol/text_rules.h).
using proto::isValidSessionId;

}  // namespace chat::web
