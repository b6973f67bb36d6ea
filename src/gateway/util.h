// Small helpers shared by the gateway's pieces: wall-clock time, random ids, logging, UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/protocol/text_rules.h"

namespace chat::gateway {

// Milliseconds since the Unix epoch (wall clock): timestamps stored in the log and sent.
int64_t wallClockMs();

// Milliseconds of a monotonic clock: rate limits, lockouts, heartbeats.
int64_t monotonicMs();

// `bytes` random bytes as lowercase hex (2*bytes chars), from a seeded CSPRNG-ish source
// (std::random_device seeds a 64-bit generator once per process).
std::string randomHex(std::size_t bytes);

// One line to stderr, prefixed with the time; used for connection open/close and errors.
void logLine(std::string_view line);
void setQuietConnectionLogs(bool quiet);
bool quietConnectionLogs();

// The longest prefix of `s` with at most `maxChars` UTF-8 code points, never cutting one in
// half (session titles).
std::string truncateUtf8(std::string_view s, std::size_t maxChars);

// Number of whitespace-separated words (usage figures of the demo agent).
int64_t countWords(std::string_view s);

// Equality that takes the same time for every input of a given length (token checks).
bool constantTimeEquals(std::string_view a, std::string_view b);

// Session ids: the contract's one rule (core/protocol/text_rules.h).
using proto::isValidSessionId;

}  // namespace chat::gateway
