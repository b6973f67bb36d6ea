#include "core/net/ids.h"

namespace chat::net {

std::string randomHex(Random& random, int digits) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<std::size_t>(digits > 0 ? digits : 0));
  for (int i = 0; i < digits; ++i) {
    double r = random.next01();
    int v = static_cast<int>(r * 16.0);
    if (v < 0 || v > 15) v = v < 0 ? 0 : 15;  // a misbehaving source never indexes out of range
    out.push_back(kHex[v]);
  }
  return out;
}

std::string makeMessageId(const std::string& prefix, uint64_t counter, Random& random) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string base36;
  do {
    base36.insert(base36.begin(), kDigits[counter % 36]);
    counter /= 36;
  } while (counter != 0);
  return prefix + base36 + "-" + randomHex(random, 6);
}

std::string makeSessionId(Random& random) { return "s-" + randomHex(random, 16); }

}  // namespace chat::net
