#include "gateway/util.h"

#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>

namespace chat::gateway {

int64_t wallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t monotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void secureRandomBytes(void* out, std::size_t size) {
  auto* p = static_cast<unsigned char*>(out);
  while (size > 0) {
    // Blocks only until the kernel's pool is first initialized (early boot), never after.
    ssize_t n = ::getrandom(p, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // No fallback to a weaker source: a gateway that cannot make secrets must not run.
      std::perror("getrandom");
      std::abort();
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::string randomHex(std::size_t bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string raw(bytes, '\0');
  secureRandomBytes(raw.data(), raw.size());
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char byte : raw) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xfu]);
  }
  return out;
}

namespace {
bool gQuiet = false;
}

void setQuietConnectionLogs(bool quiet) { gQuiet = quiet; }
bool quietConnectionLogs() { return gQuiet; }

void logLine(std::string_view line) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::fprintf(stderr, "%s %.*s\n", stamp, static_cast<int>(line.size()), line.data());
  std::fflush(stderr);
}

std::string truncateUtf8(std::string_view s, std::size_t maxChars) {
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3
                                                             : (lead >> 3) == 0x1e ? 4 : 1;
    if (i + len > s.size()) break;  // a truncated sequence at the end: drop it
    if (chars == maxChars) break;
    i += len;
    ++chars;
  }
  return std::string(s.substr(0, i));
}

int64_t countWords(std::string_view s) {
  int64_t words = 0;
  bool inWord = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !inWord) ++words;
    inWord = !space;
  }
  return words;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool isValidSessionId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace chat::gateway
