// Small URL helpers for the page's own address: query/fragment parameters, percent-decoding,
// origins. Only what the client needs; anything malformed is reported, never trusted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::web {

// Decodes %XX escapes (invalid escapes are kept literally). In a query string '+' means a
// space (form encoding); in a fragment it is a literal '+'.
std::string percentDecode(std::string_view s, bool plusIsSpace);

// "?a=1&b=x%20y" or "#token=abc" (the leading '?' / '#' is optional) -> [(a,1), (b,"x y")].
// Empty pieces are skipped; a key without '=' gets "".
std::vector<std::pair<std::string, std::string>> parseParams(std::string_view s, bool plusIsSpace);

// The last value of `key`, if present.
std::optional<std::string> findParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& key);

// "HTTPS://Example.com:8443/" -> "https://example.com:8443". Only http/https origins with a
// host and nothing after it (no path, query or fragment); nullopt otherwise.
std::optional<std::string> normalizeOrigin(std::string_view s);

}  // namespace chat::web
