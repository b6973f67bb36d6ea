#include "ui/format.h"

#include <algorithm>
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
  if (ms < 60000) {  // tenths cut, not rounded: the text changes on whole 100 ms steps
    std::snprintf(buf, sizeof buf, "%lld.%llds", static_cast<long long>(ms / 1000),
                  static_cast<long long>(ms % 1000 / 100));
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

int64_t countdownChangesInMs(int64_t ms) {
  if (ms <= 0) return 0;
  const int64_t shown = (ms + 999) / 1000;  // what formatCountdown shows now
  return ms - (shown - 1) * 1000;           // until the remaining time reaches the next second
}

int64_t elapsedChangesInMs(int64_t ms) {
  if (ms < 0) ms = 0;
  const int64_t step = ms < 60000 ? 100 : 1000;  // formatElapsed's resolution
  return step - ms % step;
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

namespace {

std::string dumpPretty(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool isMultilineString(const nlohmann::json& v) {
  return v.is_string() && v.get_ref<const std::string&>().find('\n') != std::string::npos;
}

// An object whose multi-line string members (a command's output, a file) are shown as their
// lines, YAML-style, instead of one long "\n"-escaped JSON string nobody can read.
std::string objectWithTextBlocks(const nlohmann::json& object) {
  std::string out = "{\n";
  std::size_t i = 0;
  for (auto it = object.begin(); it != object.end(); ++it, ++i) {
    out += "  " + nlohmann::json(it.key()).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace) + ": ";
    if (isMultilineString(it.value())) {
      out += "|\n";
      const std::string& text = it.value().get_ref<const std::string&>();
      std::size_t start = 0;
      while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += "    " + text.substr(start, end - start) + "\n";
        start = end + 1;
      }
      continue;
    }
    std::string member = dumpPretty(it.value());
    for (std::size_t p = member.find('\n'); p != std::string::npos; p = member.find('\n', p + 3))
      member.insert(p + 1, "  ");
    out += member + (i + 1 < object.size() ? ",\n" : "\n");
  }
  return out + "}";
}

}  // namespace

std::string displayJson(const nlohmann::json& value, std::size_t maxBytes) {
  std::string s;
  if (value.is_string()) {
    s = value.get<std::string>();
  } else if (value.is_object() &&
             std::any_of(value.begin(), value.end(), [](const nlohmann::json& v) {
               return isMultilineString(v);
             })) {
    s = objectWithTextBlocks(value);
  } else {
    s = dumpPretty(value);
  }
  return headOf(s, maxBytes);
}

}  // namespace chat::ui
