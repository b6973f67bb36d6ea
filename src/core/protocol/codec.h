// JSON encoder and decoder for protocol 1 (see messages.h for the types).
//
// The decoder never throws and never crashes on any input: it returns either a message or a
// DecodeError naming the offending field. Unknown extra fields are ignored (forward
// compatibility); an unknown `type` is an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/protocol/messages.h"
#include "core/protocol/text_rules.h"

namespace chat::proto {

// The contract's limits (kMaxFrameBytes, kMaxContentBytes, kMaxIdChars, kMaxStringBytes) are in
// field_rules.h, with the rules that use them.

// Error codes of the contract (the `code` field of error / auth.failed).
namespace code {
constexpr const char* kBadRequest = "bad_request";
constexpr const char* kUnauthorized = "unauthorized";
constexpr const char* kNotFound = "not_found";
constexpr const char* kTooLarge = "too_large";
constexpr const char* kRateLimited = "rate_limited";
constexpr const char* kConflict = "conflict";
constexpr const char* kInternal = "internal";
}  // namespace code

struct DecodeError {
  std::string code;     // code::kBadRequest or code::kTooLarge
  std::string field;    // the offending field ("" for the frame as a whole), e.g. "seq"
  std::string message;  // human readable, e.g. "seq: must be an integer >= 1"
};

// Either a value or an error. Small on purpose: C++17 has no std::expected.
template <class T>
class Decoded {
 public:
  Decoded(T value) : value_(std::move(value)) {}              // NOLINT(implicit)
  Decoded(DecodeError error) : error_(std::move(error)) {}    // NOLINT(implicit)
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return *value_; }
  T& value() { return *value_; }
  const DecodeError& error() const { return error_; }

 private:
  std::optional<T> value_;
  DecodeError error_;
};

// ---- encode ---------------------------------------------------------------------------------
nlohmann::json toJson(const ClientMessage& m);
nlohmann::json toJson(const GatewayMessage& m);
std::string encode(const ClientMessage& m);
std::string encode(const GatewayMessage& m);

// ---- decode ---------------------------------------------------------------------------------
// From a text frame (checks the frame size, UTF-8 and JSON syntax first).
Decoded<ClientMessage> decodeClientMessage(std::string_view frame);
Decoded<GatewayMessage> decodeGatewayMessage(std::string_view frame);
// From an already parsed JSON value (e.g. one element of GET /api/events' `events`).
Decoded<ClientMessage> decodeClientMessage(const nlohmann::json& j);
Decoded<GatewayMessage> decodeGatewayMessage(const nlohmann::json& j);

// GET /api/events answer: {events:[...], lastSeq}.
struct EventsPage {
  std::vector<GatewayMessage> events;
  int64_t lastSeq = 0;
};
Decoded<EventsPage> decodeEventsPage(std::string_view body);
std::string encodeEventsPage(const std::vector<nlohmann::json>& events, int64_t lastSeq);

// GET /api/session-changes answer: {changes:[session.changed...], lastChange, more}. lastChange:
// the last change in the page (the feed's number when it is empty), to poll after; more: the
// page was full, poll again at once.
struct SessionChangesPage {
  std::vector<SessionChanged> changes;
  int64_t lastChange = 0;
  bool more = false;
};
Decoded<SessionChangesPage> decodeSessionChangesPage(std::string_view body);
std::string encodeSessionChangesPage(const SessionChangesPage& page);

// An `error` frame for a decode failure, answering `requestId` when the frame had a usable id.
ErrorEvent toErrorEvent(const DecodeError& e, std::optional<std::string> requestId = {});

}  // namespace chat::proto
