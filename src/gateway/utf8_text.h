// Bytes from the outside world (a command's output, a file) made into valid UTF-8 before they
// go into JSON events: invalid bytes become U+FFFD; a sequence cut at the end of one read is
// completed by the next.
#pragma once

#include <string>
#include <string_view>

namespace chat::gateway {

class Utf8Stream {
 public:
  // The valid text of `pending_ + bytes`, keeping an unfinished trailing sequence for later.
  std::string feed(std::string_view bytes);
  // What is left at the end (an unfinished sequence, as U+FFFD).
  std::string finish();

 private:
  std::string pending_;
};

// The whole of `bytes` as valid UTF-8.
std::string toValidUtf8(std::string_view bytes);

}  // namespace chat::gateway
