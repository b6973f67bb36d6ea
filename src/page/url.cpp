#include "page/url.h"

#include <cctype>

namespace chat::web {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string percentDecode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hexValue(s[i + 1]);
      int lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plusIsSpace && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parseParams(std::string_view s, bool plusIsSpace) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!s.empty() && (s.front() == '?' || s.front() == '#')) s.remove_prefix(1);
  while (!s.empty()) {
    std::size_t amp = s.find('&');
    std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    std::string key = percentDecode(piece.substr(0, eq), plusIsSpace);
    std::string value =
        eq == std::string_view::npos ? std::string() : percentDecode(piece.substr(eq + 1), plusIsSpace);
    if (!key.empty()) out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::optional<std::string> findParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& key) {
  std::optional<std::string> found;
  for (const auto& [k, v] : params)
    if (k == key) found = v;
  return found;
}

std::optional<std::string> normalizeOrigin(std::string_view s) {
  std::size_t sep = s.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string scheme = lower(s.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = s.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.size() > 255) return std::nullopt;
  for (char c : rest) {
    // host (name, IPv4 or [IPv6]) and optional :port; no userinfo, path, query or fragment
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
              c == '[' || c == ']' || c == '_';
    if (!ok) return std::nullopt;
  }
  if (rest.front() == ':' || rest.back() == ':') return std::nullopt;
  return scheme + "://" + lower(rest);
}

}  // namespace chat::web
