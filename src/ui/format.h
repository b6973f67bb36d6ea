// Small text formatters for what the views show: token counts, costs, durations, JSON.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace chat::ui {

std::string formatCount(int64_t n);          // 1234567 -> "1,234,567"
std::string formatCost(double dollars);      // 0.01234 -> "$0.0123"
std::string formatElapsed(int64_t ms);       // 1200 -> "1.2s", 65000 -> "1m 05s"
std::string formatCountdown(int64_t ms);     // seconds, rounded up: 1200 -> "2s"
// How long until formatCountdown(ms) / formatElapsed(ms) shows something else, for a view that
// redraws only when its text changes (0: the countdown has run out and changes no more).
int64_t countdownChangesInMs(int64_t ms);
int64_t elapsedChangesInMs(int64_t ms);

// JSON for display: strings as they are, everything else pretty-printed with 2 spaces.
// Never throws (invalid UTF-8 in strings is replaced) and cuts at maxBytes on a code point
// boundary with a note saying so.
std::string displayJson(const nlohmann::json& value, std::size_t maxBytes);

// The first / last maxBytes of `text`, cut on a code point boundary, with a note when cut.
std::string headOf(const std::string& text, std::size_t maxBytes);
std::string tailOf(const std::string& text, std::size_t maxBytes);

}  // namespace chat::ui
