// Serialising JSON to a frame without ever throwing (private to the protocol module).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace chat::proto::detail {

// Compact JSON text. Invalid UTF-8 inside strings (possible only in values built in code, never
// in decoded ones) is replaced with U+FFFD instead of throwing.
inline std::string dumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::proto::detail
