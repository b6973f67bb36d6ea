#include "page/config.h"

#include <algorithm>
#include <cctype>

#include "page/url.h"

namespace chat::web {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string stripTrailingSlashes(std::string s) {
  while (s.size() > 1 && s.back() == '/' && s[s.size() - 2] != '/') s.pop_back();
  return s;
}

// A URL value from the address bar must not smuggle in whitespace or control characters.
bool looksClean(const std::string& s) {
  return !s.empty() && s.size() <= 2048 &&
         std::none_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
         });
}

// The gateway URL: absolute ws(s)://..., or absolute http(s)://... (turned into ws(s)), or a
// path "/..." on the page's own origin.
std::string resolveWsUrl(const std::string& value, const std::optional<std::string>& origin) {
  if (!looksClean(value)) return "";
  std::string l = lower(value.substr(0, std::min<std::size_t>(value.size(), 8)));
  if (startsWith(l, "ws://") || startsWith(l, "wss://")) return value;
  if (startsWith(l, "http://")) return "ws://" + value.substr(7);
  if (startsWith(l, "https://")) return "wss://" + value.substr(8);
  if (value[0] == '/' && (value.size() < 2 || value[1] != '/') && origin) {
    std::string o = *origin;
    std::string ws = startsWith(o, "https://") ? "wss://" + o.substr(8) : "ws://" + o.substr(7);
    return ws + value;
  }
  return "";
}

std::string resolveHttpUrl(const std::string& value, const std::optional<std::string>& origin) {
  if (!looksClean(value)) return "";
  std::string l = lower(value.substr(0, std::min<std::size_t>(value.size(), 8)));
  if (startsWith(l, "http://") || startsWith(l, "https://")) return stripTrailingSlashes(value);
  if (value[0] == '/' && (value.size() < 2 || value[1] != '/') && origin)
    return stripTrailingSlashes(*origin + value);
  return "";
}

}  // namespace

bool parseThemeChoice(const std::string& s, ThemeChoice* out) {
  std::string l = lower(s);
  if (l == "dark") *out = ThemeChoice::Dark;
  else if (l == "light") *out = ThemeChoice::Light;
  else if (l == "auto") *out = ThemeChoice::Auto;
  else return false;
  return true;
}

const char* themeChoiceName(ThemeChoice t) {
  switch (t) {
    case ThemeChoice::Dark: return "dark";
    case ThemeChoice::Light: return "light";
    case ThemeChoice::Auto: break;
  }
  return "auto";
}

AppConfig parseAppConfig(const PageLocation& loc) {
  AppConfig cfg;
  const std::optional<std::string> origin = normalizeOrigin(loc.origin);
  const auto query = parseParams(loc.search, /*plusIsSpace=*/true);
  const auto fragment = parseParams(loc.hash, /*plusIsSpace=*/false);

  if (auto g = findParam(query, "gateway")) {
    cfg.wsUrl = resolveWsUrl(*g, origin);
    if (cfg.wsUrl.empty()) cfg.warnings.push_back("gateway: not a ws(s):// URL or a path");
  }
  if (cfg.wsUrl.empty()) cfg.wsUrl = resolveWsUrl("/gateway", origin);

  if (auto a = findParam(query, "api")) {
    cfg.apiBase = resolveHttpUrl(*a, origin);
    if (cfg.apiBase.empty()) cfg.warnings.push_back("api: not an http(s):// URL or a path");
  }
  if (cfg.apiBase.empty()) {
    if (origin) {
      cfg.apiBase = *origin + "/api";
    } else if (!cfg.wsUrl.empty()) {
      // No usable page origin (file://) but an explicit gateway: its host serves the API too.
      std::string ws = cfg.wsUrl;
      std::string http = startsWith(lower(ws), "wss://") ? "https://" + ws.substr(6) : "http://" + ws.substr(5);
      std::size_t slash = http.find('/', http.find("://") + 3);
      cfg.apiBase = (slash == std::string::npos ? http : http.substr(0, slash)) + "/api";
    }
  }

  if (auto s = findParam(query, "session")) {
    if (isValidSessionId(*s)) cfg.sessionId = *s;
    else cfg.warnings.push_back("session: not a valid session id");
  }
  if (auto t = findParam(query, "theme")) {
    if (!parseThemeChoice(*t, &cfg.theme)) cfg.warnings.push_back("theme: expected dark, light or auto");
  }
  if (auto p = findParam(query, "parentOrigin")) {
    if (auto n = normalizeOrigin(*p)) cfg.parentOrigin = *n;
    else cfg.warnings.push_back("parentOrigin: not an http(s) origin");
  }
  // Secrets in the query would reach server logs: refuse them there.
  if (findParam(query, "token") || findParam(query, "pin"))
    cfg.warnings.push_back("token/pin belong in the fragment (#token=...), not the query");

  if (auto t = findParam(fragment, "token"); t && !t->empty() && t->size() <= 4096) {
    cfg.token = *t;
    cfg.secretInFragment = true;
  }
  if (auto p = findParam(fragment, "pin"); p && !p->empty() && p->size() <= 256) {
    cfg.pin = *p;
    cfg.secretInFragment = true;
  }
  return cfg;
}

}  // namespace chat::web
