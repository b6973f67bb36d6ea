// Writes a flat JSON object (string, integer and boolean members) straight to text, byte for
// byte as nlohmann's dump() of the same object would (private to the protocol module): keys in
// std::map order, the same escapes. Encoding a chat.send this way skips building a DOM (a map
// node and a string copy per member) only to serialise it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::proto::detail {

class FlatJsonWriter {
 public:
  static constexpr std::size_t kMaxFields = 8;

  // Keys must be distinct and need no escaping (the contract's names); the strings must outlive
  // finish().
  void add(std::string_view key, std::string_view value);
  void add(std::string_view key, int64_t value);
  void add(std::string_view key, bool value);
  void addOptional(std::string_view key, const std::optional<std::string>& value) {
    if (value) add(key, std::string_view(*value));
  }

  // The JSON text, or nullopt when a value is not valid UTF-8 or there were too many fields:
  // the caller then lets nlohmann write it (which replaces bad bytes with U+FFFD).
  std::optional<std::string> finish();

 private:
  enum class Kind : unsigned char { kString, kInteger, kBoolean };
  struct Field {
    std::string_view key;
    Kind kind;
    std::string_view text;
    int64_t integer;
    bool boolean;
  };
  Field* next();

  Field fields_[kMaxFields];
  std::size_t count_ = 0;
  bool overflow_ = false;
};

}  // namespace chat::proto::detail
