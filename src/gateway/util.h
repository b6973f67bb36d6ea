// Small helpers shared by the gateway's pieces: wall-clock time, random ids, logging, UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chat::gateway {

// Milliseconds since the Unix epoch (wall clock): timestamps stored in the log and sent.
int64_t wallClockMs();

// Milliseconds of a monotonic clock: rate limits, lockouts, heartbeats.
int64_t monotonicMs();

// `size` bytes from the OS CSPRNG (getrandom(2)); aborts if the kernel cannot give them (a
// gateway must never fall back to guessable secrets).
void secureRandomBytes(void* out, std::size_t size);

// `bytes` random bytes from secureRandomBytes as lowercase hex (2*bytes chars). Secrets
// (tokens, session keys) take at least kSecretBytes.
constexpr std::size_t kSecretBytes = 16;  // 128 bits
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

// Session ids: 1..64 chars of [A-Za-z0-9._:-] (shared decisions).
bool isValidSessionId(std::string_view id);

}  // namespace chat::gateway
