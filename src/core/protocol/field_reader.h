// Reads the fields of one JSON object with the contract's type and range rules (private to the
// protocol module).
//
// Every read either returns the value or records the FIRST error (code, field path, message)
// in the shared error slot and returns a harmless default; later reads after an error are
// no-ops. A decoder therefore reads all its fields straight through and checks the slot once.
//
// Rules shared by all readers:
// - A required field that is missing or null is an error naming that field.
// - An optional field that is missing or null counts as absent.
// - Strings must be JSON strings of valid UTF-8 within their byte bounds; integers must be JSON
//   integers (no fraction, no exponent) that fit int64 and respect the minimum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"

namespace chat::proto::detail {

class FieldReader {
 public:
  // `obj` must outlive the reader. `prefix` is prepended to field names in errors
  // ("usage.", "sessions[2]."). `error` is the slot shared with parent/child readers.
  FieldReader(const nlohmann::json& obj, std::string prefix, std::optional<DecodeError>& error);

  bool ok() const { return !error_.has_value(); }

  // True when the field is present and not null.
  bool has(const char* name) const;

  // Any string within [minBytes, maxBytes]. Over the maximum is too_large, under the minimum
  // (i.e. empty) is bad_request.
  std::string string(const char* name, std::size_t minBytes = 0,
                     std::size_t maxBytes = kMaxStringBytes);
  std::optional<std::string> optString(const char* name, std::size_t minBytes = 0,
                                       std::size_t maxBytes = kMaxStringBytes);

  // A message id (client `id`, any `requestId`, `messageId`): 1..kMaxIdChars bytes.
  std::string id(const char* name);
  std::optional<std::string> optId(const char* name);

  // A session id: 1..64 chars of [A-Za-z0-9._:-].
  std::string sessionId(const char* name);
  std::optional<std::string> optSessionId(const char* name);

  // A string that must be one of `allowed`.
  std::string oneOf(const char* name, rule::Choices allowed);
  std::optional<std::string> optOneOf(const char* name, rule::Choices allowed);

  int64_t integer(const char* name, int64_t min);
  std::optional<int64_t> optInteger(const char* name, int64_t min);
  // Any finite JSON number >= min (integers included).
  double number(const char* name, double min);

  bool boolean(const char* name);
  bool optBoolean(const char* name, bool fallback);

  // A required JSON object, returned as a copy (tool args).
  nlohmann::json objectValue(const char* name);
  // A required field of any JSON type, null included (tool results).
  nlohmann::json anyValue(const char* name);

  // A reader for a required nested object (`usage`, `cost`).
  FieldReader child(const char* name);
  // A required array; nullptr (with the error recorded) when it is missing or not an array.
  const nlohmann::json* array(const char* name);
  // A reader for element `index` of array `name`, which must be an object.
  FieldReader element(const char* name, std::size_t index, const nlohmann::json& value);

  // Records an error at `name` (relative to this reader) unless one is already recorded.
  void fail(const char* errorCode, const std::string& name, const std::string& problem);

 private:
  // The field's value, or nullptr when missing or null.
  const nlohmann::json* find(const char* name) const;
  const nlohmann::json* require(const char* name);
  std::optional<std::string> readString(const nlohmann::json& v, const char* name,
                                        std::size_t minBytes, std::size_t maxBytes);
  std::optional<int64_t> readInteger(const nlohmann::json& v, const char* name, int64_t min);
  std::optional<std::string> readId(const nlohmann::json& v, const char* name);
  std::optional<std::string> readSessionId(const nlohmann::json& v, const char* name);
  std::optional<std::string> readOneOf(const nlohmann::json& v, const char* name,
                                       rule::Choices allowed);
  std::string path(const std::string& name) const { return prefix_ + name; }

  const nlohmann::json& obj_;
  std::string prefix_;
  std::optional<DecodeError>& error_;
};

// The empty object a child reader reads from after its parent already failed.
const nlohmann::json& emptyObject();

}  // namespace chat::proto::detail
