// The vocabulary messages.h declares its fields in: one tag per kind of wire field, saying the
// C++ type it is held in, its starting value, and (through the codec, which gives each tag its
// reading, writing and documentation) its JSON type, presence and limits.
//
// A tag holds no behaviour on purpose: the general decoder (field_reader.h), the fast-path
// decoder (flat_reader.h), both encoders and the documentation check all dispatch on the same
// tag (message_codec.h), so a limit is stated once, here or in the alias that names it.
//
// kFlat: the field is one JSON scalar (string, integer, boolean), so a message made only of flat
// fields can take the fast paths (FlatObject / FlatJsonWriter) instead of nlohmann's DOM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace chat::proto {

constexpr int kProtocolVersion = 1;

// Limits of the contract.
constexpr std::size_t kMaxFrameBytes = 256 * 1024;   // larger frames: too_large
constexpr std::size_t kMaxContentBytes = 32 * 1024;  // chat.send content
constexpr std::size_t kMaxIdChars = 64;              // client message ids and session ids
constexpr std::size_t kMaxStringBytes = 200 * 1024;  // any other string field

namespace rule {

// The allowed strings of a OneOf field, in a set type: struct X { static constexpr const char*
// kValues[] = {...}; }.
struct Choices {
  const char* const* first;
  std::size_t count;
  const char* const* begin() const { return first; }
  const char* const* end() const { return first + count; }
};

template <class T>
struct Plain {
  using Value = T;
  static Value initial() { return Value{}; }
};

// A message id (client `id`, any `requestId`, `messageId`): 1 to kMaxIdChars bytes.
struct Id : Plain<std::string> { static constexpr bool kFlat = true; };
struct OptId : Plain<std::optional<std::string>> { static constexpr bool kFlat = true; };

// A session id: 1 to kMaxIdChars characters of A-Z a-z 0-9 . _ : - (isValidSessionId).
struct SessionId : Plain<std::string> { static constexpr bool kFlat = true; };
struct OptSessionId : Plain<std::optional<std::string>> { static constexpr bool kFlat = true; };

// A UTF-8 string of MinBytes to MaxBytes bytes (over: too_large; under: bad_request).
template <std::size_t MinBytes = 0, std::size_t MaxBytes = kMaxStringBytes>
struct Text : Plain<std::string> {
  static constexpr bool kFlat = true;
  static constexpr std::size_t kMin = MinBytes, kMax = MaxBytes;
};
template <std::size_t MinBytes = 0, std::size_t MaxBytes = kMaxStringBytes>
struct OptText : Plain<std::optional<std::string>> {
  static constexpr bool kFlat = true;
  static constexpr std::size_t kMin = MinBytes, kMax = MaxBytes;
};
using NonEmpty = Text<1>;
using OptNonEmpty = OptText<1>;
using Content = Text<1, kMaxContentBytes>;

// A JSON integer (no fraction, no exponent) that fits int64 and is >= Min.
template <int64_t Min>
struct Int {
  using Value = int64_t;
  static constexpr Value initial() { return 0; }
  static constexpr bool kFlat = true;
  static constexpr int64_t kMin = Min;
};
using Count = Int<0>;          // token counts, lastSeq (0 = nothing yet), ms timestamps
using Seq = Int<1>;            // a session event's seq
// An optional JSON integer from Min to Max, Default when absent; written only when it differs
// from Default (a page size, a feed position to start after).
template <int64_t Min, int64_t Max, int64_t Default>
struct OptIntIn {
  using Value = int64_t;
  static constexpr Value initial() { return Default; }
  static constexpr bool kFlat = true;
  static constexpr int64_t kMin = Min, kMax = Max, kDefault = Default;
};
// The largest integer every JSON reader holds exactly (2^53 - 1): the list feed's numbers.
constexpr int64_t kMaxExactInteger = 9007199254740991;
// An optional JSON integer >= Min, written when present.
template <int64_t Min>
struct OptInt : Plain<std::optional<int64_t>> {
  static constexpr bool kFlat = true;
  static constexpr int64_t kMin = Min;
};
// A seq that only some instances carry (the `error` event): 0 when absent, omitted when 0.
struct OptSeq {
  using Value = int64_t;
  static constexpr Value initial() { return 0; }
  static constexpr bool kFlat = true;
};
// auth.ok's protocol version: an integer >= 1 that fits an int.
struct ProtocolVersion {
  using Value = int;
  static constexpr Value initial() { return kProtocolVersion; }
  static constexpr bool kFlat = true;
};

// Any finite JSON number >= Min (integers included).
template <int Min>
struct Number {
  using Value = double;
  static constexpr Value initial() { return 0; }
  static constexpr bool kFlat = false;  // FlatObject holds no fractions
  static constexpr int kMin = Min;
};
using Money = Number<0>;

struct Flag {  // required boolean
  using Value = bool;
  static constexpr Value initial() { return false; }
  static constexpr bool kFlat = true;
};
struct OptFlag {  // optional boolean, false when absent; always written
  using Value = bool;
  static constexpr Value initial() { return false; }
  static constexpr bool kFlat = true;
};
struct OptFlagTrue {  // optional boolean, true when absent; always written
  using Value = bool;
  static constexpr Value initial() { return true; }
  static constexpr bool kFlat = true;
};
// Optional boolean, false when absent; written only when true, unless the list holding the
// entry writes every field (thread.list's `archived`, see List).
struct FlagIfTrue {
  using Value = bool;
  static constexpr Value initial() { return false; }
  static constexpr bool kFlat = true;
};

template <class Set>
struct OneOf : Plain<std::string> {
  static constexpr bool kFlat = true;
  static Choices choices() { return {Set::kValues, std::size(Set::kValues)}; }
};
template <class Set>
struct OptOneOf : Plain<std::optional<std::string>> {
  static constexpr bool kFlat = true;
  static Choices choices() { return {Set::kValues, std::size(Set::kValues)}; }
};

struct JsonObject {  // a required JSON object, kept as is (tool args)
  using Value = nlohmann::json;
  static Value initial() { return nlohmann::json::object(); }
  static constexpr bool kFlat = false;
};
struct AnyJson {  // a required field of any JSON type, null included (tool results)
  using Value = nlohmann::json;
  static Value initial() { return nlohmann::json(); }
  static constexpr bool kFlat = false;
};

// A required nested object whose fields T declares (usage, cost).
template <class T>
struct Object : Plain<T> { static constexpr bool kFlat = false; };

// An optional nested object (absent: nullopt, not written), e.g. chat.stream.end's cost when
// the model has no price.
template <class T>
struct OptObject : Plain<std::optional<T>> { static constexpr bool kFlat = false; };

// A required array of objects whose fields T declares. WriteAll: entries write their
// FlagIfTrue fields even when false.
template <class T, bool WriteAll = false>
struct List : Plain<std::vector<T>> {
  static constexpr bool kFlat = false;
  static constexpr bool kWriteAll = WriteAll;
};

}  // namespace rule
}  // namespace chat::proto

// ---- the declaration macros -----------------------------------------------------------------
// A FIELDS list is a macro taking a macro F and expanding F(Rule, name) once per field, in wire
// order (the order the decoder checks them in, so the first error reported is stable). From it
// a declaration makes the struct's members (Rule::Value name = Rule::initial()), a member-wise
// operator==, and forEachField(visit), which calls visit(std::string_view("name"), &Type::name,
// Rule{}) per field (the name a literal: its length known at compile time, NUL-terminated):
// every codec path walks that.

#define CHAT_PROTO_MEMBER_(Rule, name) \
  ::chat::proto::rule::Rule::Value name = ::chat::proto::rule::Rule::initial();
#define CHAT_PROTO_VISIT_(Rule, name) \
  visit(std::string_view(#name), &Self::name, ::chat::proto::rule::Rule{});
#define CHAT_PROTO_NO_KEY_(F)
// Session events: sessionId and seq first (per session: 1, 2, 3, ... never reused).
#define CHAT_PROTO_EVENT_KEY_(F) F(SessionId, sessionId) F(Seq, seq)

#define CHAT_PROTO_BODY_(Name, KEY, FIELDS)                                  \
  KEY(CHAT_PROTO_MEMBER_)                                                    \
  FIELDS(CHAT_PROTO_MEMBER_)                                                 \
  template <class Visit>                                                     \
  static constexpr void forEachField(Visit&& visit) {                        \
    using Self = Name;                                                       \
    KEY(CHAT_PROTO_VISIT_)                                                   \
    FIELDS(CHAT_PROTO_VISIT_)                                                \
  }                                                                          \
  bool operator==(const Name& o) const {                                     \
    bool same = true;                                                        \
    forEachField([&](std::string_view, auto member, auto) {                       \
      same = same && this->*member == o.*member;                             \
    });                                                                      \
    return same;                                                             \
  }                                                                          \
  bool operator!=(const Name& o) const { return !(*this == o); }

// A value nested in messages (no wire type of its own).
#define CHAT_PROTO_VALUE(Name, FIELDS) \
  struct Name {                        \
    CHAT_PROTO_BODY_(Name, CHAT_PROTO_NO_KEY_, FIELDS)  \
  };

// A message that is not a session event.
#define CHAT_PROTO_MESSAGE(Name, wireType, FIELDS)    \
  struct Name {                                       \
    static constexpr const char* kType = wireType;    \
    static constexpr bool kSessionEvent = false;      \
    CHAT_PROTO_BODY_(Name, CHAT_PROTO_NO_KEY_, FIELDS) \
  };

// A session event: sessionId and seq, then FIELDS.
#define CHAT_PROTO_EVENT(Name, wireType, FIELDS)           \
  struct Name {                                            \
    static constexpr const char* kType = wireType;         \
    static constexpr bool kSessionEvent = true;            \
    CHAT_PROTO_BODY_(Name, CHAT_PROTO_EVENT_KEY_, FIELDS)  \
  };
