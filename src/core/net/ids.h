// Identifiers the core makes: client message ids and client-named session ids.
#pragma once

#include <cstdint>
#include <string>

#include "core/net/platform.h"
#include "core/protocol/text_rules.h"

namespace chat::net {

// prefix + base36(counter) + "-" + 6 random hex digits, e.g. "c-1z-4f09ab". The counter keeps
// ids unique within a run; the random part keeps them unique across reloads and tabs.
std::string makeMessageId(const std::string& prefix, uint64_t counter, Random& random);

// "s-" + 16 random lowercase hex digits.
std::string makeSessionId(Random& random);

// `digits` random lowercase hex digits.
std::string randomHex(Random& random, int digits);

// The contract's session ids (core/protocol/text_rules.h).
using proto::isValidSessionId;

}  // namespace chat::net
