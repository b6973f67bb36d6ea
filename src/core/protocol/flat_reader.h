// FieldReader's twin for the fast path (private to the protocol module): the same methods with
// the same rules, reading a FlatObject instead of an nlohmann DOM.
//
// It never builds an error. The first rule a field breaks (or anything a flat object cannot
// hold: nested objects, arrays, fractions) just marks the read as failed; the decoder then runs
// the general path on the same frame, whose FieldReader reports the exact code, field and
// message. So this class only has to agree with FieldReader on what is VALID.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/protocol/codec.h"
#include "core/protocol/flat_object.h"
#include "core/protocol/text_rules.h"

namespace chat::proto::detail {

class FlatReader {
 public:
  explicit FlatReader(const FlatObject& obj) : obj_(obj) {}

  bool ok() const { return ok_; }

  bool has(std::string_view name) const { return find(name) != nullptr; }

  // Text comes back as views into the frame (or the object's scratch): the decoder copies each
  // once, straight into the message's member (message_codec.h, assignText).
  std::string_view string(std::string_view name, std::size_t minBytes = 0,
                          std::size_t maxBytes = kMaxStringBytes) {
    return textOf(require(name), minBytes, maxBytes).value_or(std::string_view());
  }
  std::optional<std::string_view> optString(std::string_view name, std::size_t minBytes = 0,
                                            std::size_t maxBytes = kMaxStringBytes) {
    const FlatObject::Member* m = find(name);
    if (!m) return std::nullopt;
    return textOf(m, minBytes, maxBytes);
  }

  std::string_view id(std::string_view name) {
    return idOf(require(name)).value_or(std::string_view());
  }
  std::optional<std::string_view> optId(std::string_view name) {
    const FlatObject::Member* m = find(name);
    if (!m) return std::nullopt;
    return idOf(m);
  }

  std::string_view sessionId(std::string_view name) {
    return sessionIdOf(require(name)).value_or(std::string_view());
  }
  std::optional<std::string_view> optSessionId(std::string_view name) {
    const FlatObject::Member* m = find(name);
    if (!m) return std::nullopt;
    return sessionIdOf(m);
  }

  std::string_view oneOf(std::string_view name, rule::Choices allowed) {
    return oneOfOf(require(name), allowed).value_or(std::string_view());
  }
  std::optional<std::string_view> optOneOf(std::string_view name, rule::Choices allowed) {
    const FlatObject::Member* m = find(name);
    if (!m) return std::nullopt;
    return oneOfOf(m, allowed);
  }

  int64_t integer(std::string_view name, int64_t min) {
    return integerOf(require(name), min).value_or(min);
  }
  std::optional<int64_t> optInteger(std::string_view name, int64_t min) {
    const FlatObject::Member* m = find(name);
    if (!m) return std::nullopt;
    return integerOf(m, min);
  }

  bool boolean(std::string_view name) { return booleanOf(require(name)).value_or(false); }
  bool optBoolean(std::string_view name, bool fallback) {
    const FlatObject::Member* m = find(name);
    if (!m) return fallback;
    return booleanOf(m).value_or(fallback);
  }

  // Any rule a decoder checks by itself: the general path will say what is wrong.
  void fail(const char* /*errorCode*/, std::string_view /*name*/, std::string_view /*problem*/) {
    ok_ = false;
  }

 private:
  // The member, or nullptr when missing or null (absent, as in FieldReader).
  const FlatObject::Member* find(std::string_view name) const {
    if (!ok_) return nullptr;
    const FlatObject::Member* m = obj_.find(name);
    return m && m->kind != FlatObject::Kind::kNull ? m : nullptr;
  }
  const FlatObject::Member* require(std::string_view name) {
    const FlatObject::Member* m = find(name);
    if (!m) ok_ = false;
    return m;
  }
  template <class T>
  std::optional<T> broken() {
    ok_ = false;
    return std::nullopt;
  }

  // Parsed strings are valid UTF-8 already (FlatObject checks every byte).
  std::optional<std::string_view> textOf(const FlatObject::Member* m, std::size_t minBytes,
                                         std::size_t maxBytes) {
    if (!m || m->kind != FlatObject::Kind::kString) return broken<std::string_view>();
    if (m->text.size() > maxBytes || m->text.size() < minBytes) {
      return broken<std::string_view>();
    }
    return m->text;
  }
  std::optional<std::string_view> idOf(const FlatObject::Member* m) {
    return textOf(m, 1, kMaxIdChars);
  }
  std::optional<std::string_view> sessionIdOf(const FlatObject::Member* m) {
    const auto t = textOf(m, 1, kMaxIdChars);
    if (!t) return std::nullopt;
    for (const char c : *t) {
      if (!isSessionIdChar(c)) return broken<std::string_view>();
    }
    return t;
  }
  std::optional<std::string_view> oneOfOf(const FlatObject::Member* m, rule::Choices allowed) {
    const auto t = textOf(m, 0, kMaxStringBytes);
    if (!t) return std::nullopt;
    for (const char* a : allowed) {
      if (*t == a) return t;
    }
    return broken<std::string_view>();
  }
  std::optional<int64_t> integerOf(const FlatObject::Member* m, int64_t min) {
    if (!m || m->kind != FlatObject::Kind::kInteger || m->integer < min) {
      return broken<int64_t>();
    }
    return m->integer;
  }
  std::optional<bool> booleanOf(const FlatObject::Member* m) {
    if (!m) return broken<bool>();
    if (m->kind == FlatObject::Kind::kTrue) return true;
    if (m->kind == FlatObject::Kind::kFalse) return false;
    return broken<bool>();
  }

  const FlatObject& obj_;
  bool ok_ = true;
};

}  // namespace chat::proto::detail
