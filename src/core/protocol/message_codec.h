// What each field rule (field_rules.h) means to the codec (private to the protocol module): how
// a reader reads it, how a sink writes it, whether a message can take the fast paths. Every
// message's codec is its declaration's forEachField walked by these few templates; nothing here
// names a message except the one pair rule of `error` (checkPairs).
//
// Readers: FieldReader (nlohmann DOM, reports the exact error) and FlatReader (FlatObject, only
// says "not flat/not valid": the caller falls back to FieldReader). Both record the first error
// and turn later reads into no-ops, so a message is read straight through and checked once.
// Sinks: DomSink (toJson, any field) and FlatJsonWriter (encode() of flat messages).
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/protocol/field_reader.h"
#include "core/protocol/flat_json_writer.h"
#include "core/protocol/flat_reader.h"
#include "core/protocol/messages.h"

namespace chat::proto::detail {

// ---- fast-path eligibility --------------------------------------------------------------------

template <class T>
constexpr bool isFlat() {
  bool flat = true;
  T::forEachField([&flat](std::string_view, auto, auto tag) { flat = flat && decltype(tag)::kFlat; });
  return flat;
}

// ---- reading ----------------------------------------------------------------------------------

// A field name as each reader takes it. Names are literals from the declarations, so their
// data() is NUL-terminated.
inline const char* nameFor(FieldReader&, std::string_view n) { return n.data(); }
inline std::string_view nameFor(FlatReader&, std::string_view n) { return n; }

template <class T, class Reader>
void readFields(Reader& r, T& m);

// A text field's value into its member: FlatReader hands out views (copied once, here),
// FieldReader strings (moved). Writing into the member, instead of assigning it a returned
// string, saves a move and a destruction per field on the hot path.
inline void assignText(std::string& out, std::string_view v) { out.assign(v.data(), v.size()); }
inline void assignText(std::string& out, std::string&& v) { out = std::move(v); }
inline void assignText(std::optional<std::string>& out, std::optional<std::string_view> v) {
  if (v) {
    out.emplace(v->data(), v->size());
  } else {
    out.reset();
  }
}
inline void assignText(std::optional<std::string>& out, std::optional<std::string>&& v) {
  out = std::move(v);
}

// Text rules: read straight into the member (assignText).
template <class R>
void readInto(R& r, std::string_view n, rule::Id, std::string& out) {
  assignText(out, r.id(nameFor(r, n)));
}
template <class R>
void readInto(R& r, std::string_view n, rule::OptId, std::optional<std::string>& out) {
  assignText(out, r.optId(nameFor(r, n)));
}
template <class R>
void readInto(R& r, std::string_view n, rule::SessionId, std::string& out) {
  assignText(out, r.sessionId(nameFor(r, n)));
}
template <class R>
void readInto(R& r, std::string_view n, rule::OptSessionId, std::optional<std::string>& out) {
  assignText(out, r.optSessionId(nameFor(r, n)));
}
template <class R, std::size_t Min, std::size_t Max>
void readInto(R& r, std::string_view n, rule::Text<Min, Max>, std::string& out) {
  assignText(out, r.string(nameFor(r, n), Min, Max));
}
template <class R, std::size_t Min, std::size_t Max>
void readInto(R& r, std::string_view n, rule::OptText<Min, Max>, std::optional<std::string>& out) {
  assignText(out, r.optString(nameFor(r, n), Min, Max));
}
template <class R, class Set>
void readInto(R& r, std::string_view n, rule::OneOf<Set> tag, std::string& out) {
  assignText(out, r.oneOf(nameFor(r, n), tag.choices()));
}
template <class R, class Set>
void readInto(R& r, std::string_view n, rule::OptOneOf<Set> tag, std::optional<std::string>& out) {
  assignText(out, r.optOneOf(nameFor(r, n), tag.choices()));
}
template <class R, int64_t Min>
int64_t readField(R& r, std::string_view n, rule::Int<Min>) { return r.integer(nameFor(r, n), Min); }
template <class R, int64_t Min, int64_t Max, int64_t Default>
int64_t readField(R& r, std::string_view n, rule::OptIntIn<Min, Max, Default>) {
  const int64_t v = r.optInteger(nameFor(r, n), Min).value_or(Default);
  if (v > Max) {
    r.fail(code::kBadRequest, std::string(n),
           "must be an integer from " + std::to_string(Min) + " to " + std::to_string(Max));
    return Default;
  }
  return v;
}
template <class R, int64_t Min>
std::optional<int64_t> readField(R& r, std::string_view n, rule::OptInt<Min>) {
  return r.optInteger(nameFor(r, n), Min);
}
template <class R>
int64_t readField(R& r, std::string_view n, rule::OptSeq) { return r.optInteger(nameFor(r, n), 1).value_or(0); }
template <class R>
int readField(R& r, std::string_view n, rule::ProtocolVersion) {
  const int64_t v = r.integer(nameFor(r, n), 1);
  if (v > std::numeric_limits<int>::max()) {
    r.fail(code::kBadRequest, std::string(n), "must be a protocol version");
    return kProtocolVersion;
  }
  return static_cast<int>(v);
}
template <int Min>
double readField(FieldReader& r, std::string_view n, rule::Number<Min>) { return r.number(nameFor(r, n), Min); }
template <class R>
bool readField(R& r, std::string_view n, rule::Flag) { return r.boolean(nameFor(r, n)); }
template <class R>
bool readField(R& r, std::string_view n, rule::OptFlag) { return r.optBoolean(nameFor(r, n), false); }
template <class R>
bool readField(R& r, std::string_view n, rule::OptFlagTrue) { return r.optBoolean(nameFor(r, n), true); }
template <class R>
bool readField(R& r, std::string_view n, rule::FlagIfTrue) { return r.optBoolean(nameFor(r, n), false); }
inline nlohmann::json readField(FieldReader& r, std::string_view n, rule::JsonObject) {
  return r.objectValue(nameFor(r, n));
}
inline nlohmann::json readField(FieldReader& r, std::string_view n, rule::AnyJson) {
  return r.anyValue(nameFor(r, n));
}
template <class T>
T readField(FieldReader& r, std::string_view n, rule::Object<T>) {
  FieldReader child = r.child(nameFor(r, n));
  T value;
  readFields(child, value);
  return value;
}
template <class T>
std::optional<T> readField(FieldReader& r, std::string_view n, rule::OptObject<T>) {
  if (!r.has(nameFor(r, n))) return std::nullopt;
  return readField(r, n, rule::Object<T>{});
}
template <class T, bool WriteAll>
std::vector<T> readField(FieldReader& r, std::string_view n, rule::List<T, WriteAll>) {
  std::vector<T> out;
  const nlohmann::json* arr = r.array(nameFor(r, n));
  if (!arr) return out;
  for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
    FieldReader element = r.element(nameFor(r, n), i, (*arr)[i]);
    T value;
    readFields(element, value);
    out.push_back(std::move(value));
  }
  return out;
}

// Every other rule: its value, assigned.
template <class R, class Tag, class V>
void readInto(R& r, std::string_view n, Tag tag, V& out) {
  out = readField(r, n, tag);
}

// Rules between fields. The only one: `error` carries sessionId and seq together or neither
// (reading both as required reports the one that is missing, as "required").
template <class T, class Reader>
void checkPairs(Reader& r, const T&) {
  if constexpr (std::is_same_v<T, ErrorEvent>) {
    if (r.has("sessionId") || r.has("seq")) {
      r.sessionId("sessionId");
      r.integer("seq", 1);
    }
  } else {
    (void)r;
  }
}

// session.changed's `session` (rule::ChangedSession): a whole SessionInfo, or only its
// sessionId for a `deleted` change (`change` is read before it: wire order).
// The message is passed with the rule's tag so the call stays dependent on the field being
// visited: only session.changed's `session` instantiates it (`m.change` exists only there).
inline bool onlyIdOf(const std::string& change) { return change == "deleted"; }
template <class M>
SessionInfo readChangedSession(FieldReader& r, std::string_view n, const M& m,
                               rule::ChangedSession) {
  FieldReader child = r.child(nameFor(r, n));
  SessionInfo value;
  if (onlyIdOf(m.change)) {
    value.sessionId = child.sessionId("sessionId");
  } else {
    readFields(child, value);
  }
  return value;
}

template <class T, class Reader>
void readFields(Reader& r, T& m) {
  T::forEachField([&](std::string_view name, auto member, auto tag) {
    if constexpr (std::is_same_v<decltype(tag), rule::ChangedSession>) {
      m.*member = readChangedSession(r, name, m, tag);
    } else {
      readInto(r, name, tag, m.*member);
    }
  });
}

// The message `T` read from `r` (check r's error slot afterwards).
template <class T, class Reader>
T readMessage(Reader& r) {
  T m;
  readFields(r, m);
  checkPairs(r, m);
  return m;
}

// ---- writing ----------------------------------------------------------------------------------

// Receives a message's members for toJson(): an nlohmann object.
class DomSink {
 public:
  void add(std::string_view key, std::string_view value) { j_[std::string(key)] = value; }
  void add(std::string_view key, int64_t value) { j_[std::string(key)] = value; }
  void add(std::string_view key, bool value) { j_[std::string(key)] = value; }
  void add(std::string_view key, double value) { j_[std::string(key)] = value; }
  void add(std::string_view key, nlohmann::json value) { j_[std::string(key)] = std::move(value); }
  nlohmann::json take() { return std::move(j_); }

 private:
  nlohmann::json j_ = nlohmann::json::object();
};

template <class T, class Sink>
void writeFields(const T& m, Sink& s, bool writeAll);

template <class S>
void writeField(S& s, std::string_view n, const std::string& v, rule::Id) { s.add(n, std::string_view(v)); }
template <class S>
void writeField(S& s, std::string_view n, const std::string& v, rule::SessionId) {
  s.add(n, std::string_view(v));
}
template <class S, std::size_t Min, std::size_t Max>
void writeField(S& s, std::string_view n, const std::string& v, rule::Text<Min, Max>) {
  s.add(n, std::string_view(v));
}
template <class S, class Set>
void writeField(S& s, std::string_view n, const std::string& v, rule::OneOf<Set>) {
  s.add(n, std::string_view(v));
}
// Every optional string: written when present.
template <class S, class Rule>
void writeField(S& s, std::string_view n, const std::optional<std::string>& v, Rule) {
  if (v) s.add(n, std::string_view(*v));
}
template <class S, int64_t Min>
void writeField(S& s, std::string_view n, int64_t v, rule::Int<Min>) { s.add(n, v); }
template <class S, int64_t Min, int64_t Max, int64_t Default>
void writeField(S& s, std::string_view n, int64_t v, rule::OptIntIn<Min, Max, Default>) {
  if (v != Default) s.add(n, v);
}
template <class S, int64_t Min>
void writeField(S& s, std::string_view n, const std::optional<int64_t>& v, rule::OptInt<Min>) {
  if (v) s.add(n, *v);
}
template <class S>
void writeField(S& s, std::string_view n, int64_t v, rule::OptSeq) {
  if (v != 0) s.add(n, v);
}
template <class S>
void writeField(S& s, std::string_view n, int v, rule::ProtocolVersion) { s.add(n, int64_t{v}); }
template <int Min>
void writeField(DomSink& s, std::string_view n, double v, rule::Number<Min>) { s.add(n, v); }
template <class S>
void writeField(S& s, std::string_view n, bool v, rule::Flag) { s.add(n, v); }
template <class S>
void writeField(S& s, std::string_view n, bool v, rule::OptFlag) { s.add(n, v); }
template <class S>
void writeField(S& s, std::string_view n, bool v, rule::OptFlagTrue) { s.add(n, v); }
inline void writeField(DomSink& s, std::string_view n, const nlohmann::json& v, rule::JsonObject) {
  s.add(n, v);
}
inline void writeField(DomSink& s, std::string_view n, const nlohmann::json& v, rule::AnyJson) {
  s.add(n, v);
}
template <class T>
void writeField(DomSink& s, std::string_view n, const T& v, rule::Object<T>) {
  DomSink child;
  writeFields(v, child, false);
  s.add(n, child.take());
}
template <class T>
void writeField(DomSink& s, std::string_view n, const std::optional<T>& v, rule::OptObject<T>) {
  if (v) writeField(s, n, *v, rule::Object<T>{});
}
template <class T, bool WriteAll>
void writeField(DomSink& s, std::string_view n, const std::vector<T>& v, rule::List<T, WriteAll>) {
  nlohmann::json arr = nlohmann::json::array();
  for (const T& element : v) {
    DomSink child;
    writeFields(element, child, WriteAll);
    arr.push_back(child.take());
  }
  s.add(n, std::move(arr));
}

// session.changed's `session`: the whole entry, or only its id for a `deleted` change.
template <class M>
void writeChangedSession(DomSink& s, std::string_view n, const M& m, rule::ChangedSession) {
  DomSink child;
  if (onlyIdOf(m.change)) {
    child.add("sessionId", std::string_view(m.session.sessionId));
  } else {
    writeFields(m.session, child, /*writeAll=*/true);
  }
  s.add(n, child.take());
}

template <class T, class Sink>
void writeFields(const T& m, Sink& s, bool writeAll) {
  T::forEachField([&](std::string_view name, auto member, auto tag) {
    if constexpr (std::is_same_v<decltype(tag), rule::FlagIfTrue>) {
      if (writeAll || m.*member) s.add(name, m.*member);
    } else if constexpr (std::is_same_v<decltype(tag), rule::ChangedSession>) {
      writeChangedSession(s, name, m, tag);
    } else {
      writeField(s, name, m.*member, tag);
    }
  });
}

template <class T, class Sink>
void writeMessage(const T& m, Sink& s) {
  s.add("type", std::string_view(T::kType));
  writeFields(m, s, false);
}

}  // namespace chat::proto::detail
