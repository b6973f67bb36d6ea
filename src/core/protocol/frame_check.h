// Cheap checks a text frame must pass before it is handed to the JSON parser (private to the
// protocol module). Running them first keeps the parser away from oversized frames, bytes that
// are not UTF-8, and nesting deep enough to exhaust memory or the stack.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "core/protocol/text_rules.h"

namespace chat::proto::detail {

// Frames nesting objects/arrays deeper than this are rejected unparsed. Real messages nest at
// most a few levels (tool args are the deepest part), so 64 is generous.
constexpr int kMaxNestingDepth = 64;

// True when no object/array in `s` nests deeper than `maxDepth`. Brackets inside JSON strings
// do not count. Works on any bytes, valid JSON or not.
bool nestingWithin(std::string_view s, int maxDepth);

// Size (at most `maxBytes`), UTF-8, nesting and JSON syntax, in that order. On success `out`
// holds the parsed value (of any JSON type); otherwise the error names the frame ("").
std::optional<DecodeError> parseFrame(std::string_view frame, std::size_t maxBytes,
                                      nlohmann::json* out);

}  // namespace chat::proto::detail
