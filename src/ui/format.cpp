#include "ui/format.h"

#include <cmath>
#include <cstdio>

#include "ui/text_layout.h"

namespace chat::ui {

std::string formatCount(int64_t n) {
  const bool negative = n < 0;
  uint64_t v = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = std::to_string(v);
  std::string out;
  const std::size_t len = digits.size();
  for (std::size_t i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

std::string formatCost(double dollars) {
  if (!std::isfinite(dollars)) dollars = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "$%.4f", dollars);
  return buf;
}

std::string formatElapsed(int64_t ms) {
  if (ms < 0) ms = 0;
  char buf[32];
  if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  } else {
    const int64_t s = ms / 1000;
    std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return buf;
}

std::string formatCountdown(int64_t ms) {
  if (ms < 0) ms = 0;
  return std::to_string((ms + 999) / 1000) + "s";
}

std::string headOf(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  const std::size_t cut = utf8Boundary(text, maxBytes);
  return text.substr(0, cut) + "\n… (" + formatCount(static_cast<int64_t>(text.size() - cut)) +
         " more bytes)";
}

std::string tailOf(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  const std::size_t cut = utf8Boundary(text, text.size() - maxBytes);
  return "… (" + formatCount(static_cast<int64_t>(cut)) + " earlier bytes)\n" + text.substr(cut);
}

std::string displayJson(const nlohmann::json& value, std::size_t maxBytes) {
  std::string s;
  if (value.is_string()) {
    s = value.get<std::string>();
  } else {
    s = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return headOf(s, maxBytes);
}

}  // namespace chat::ui
