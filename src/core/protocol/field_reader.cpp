#include "core/protocol/field_reader.h"

#include <cmath>
#include <limits>
#include <utility>

#include "core/protocol/frame_check.h"
#include "core/protocol/text_rules.h"

namespace chat::proto::detail {
namespace {

const char* jsonTypeName(const nlohmann::json& v) {
  // nlohmann's type_name() is noexcept and gives "null", "object", "number", ...
  return v.type_name();
}

std::string allowedList(rule::Choices allowed) {
  std::string out;
  for (const char* a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

}  // namespace

const nlohmann::json& emptyObject() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

FieldReader::FieldReader(const nlohmann::json& obj, std::string prefix,
                         std::optional<DecodeError>& error)
    : obj_(obj), prefix_(std::move(prefix)), error_(error) {}

void FieldReader::fail(const char* errorCode, const std::string& name,
                       const std::string& problem) {
  if (error_) return;  // the first error is the one worth reporting
  const std::string field = path(name);
  error_ = DecodeError{errorCode, field, field + ": " + problem};
}

const nlohmann::json* FieldReader::find(const char* name) const {
  if (!obj_.is_object()) return nullptr;
  const auto it = obj_.find(name);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::has(const char* name) const { return find(name) != nullptr; }

const nlohmann::json* FieldReader::require(const char* name) {
  if (!ok()) return nullptr;
  const nlohmann::json* v = find(name);
  if (!v) {
    const bool isNull = obj_.is_object() && obj_.contains(name);
    fail(code::kBadRequest, name, isNull ? "required, got null" : "required");
  }
  return v;
}

std::optional<std::string> FieldReader::readString(const nlohmann::json& v, const char* name,
                                                   std::size_t minBytes, std::size_t maxBytes) {
  if (!v.is_string()) {
    fail(code::kBadRequest, name, std::string("must be a string, got ") + jsonTypeName(v));
    return std::nullopt;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > maxBytes) {
    fail(code::kTooLarge, name, "must be at most " + std::to_string(maxBytes) + " bytes");
    return std::nullopt;
  }
  if (s.size() < minBytes) {
    fail(code::kBadRequest, name, minBytes == 1 ? std::string("must not be empty")
                                                : "must be at least " +
                                                      std::to_string(minBytes) + " bytes");
    return std::nullopt;
  }
  // Parsed frames are already valid UTF-8; values built in code might not be.
  if (!isValidUtf8(s)) {
    fail(code::kBadRequest, name, "must be valid UTF-8");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::readId(const nlohmann::json& v, const char* name) {
  if (!v.is_string()) {
    fail(code::kBadRequest, name, std::string("must be a string, got ") + jsonTypeName(v));
    return std::nullopt;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxIdChars) {
    fail(code::kBadRequest, name,
         "must be 1 to " + std::to_string(kMaxIdChars) + " bytes long");
    return std::nullopt;
  }
  if (!isValidUtf8(s)) {
    fail(code::kBadRequest, name, "must be valid UTF-8");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::readSessionId(const nlohmann::json& v, const char* name) {
  auto s = readId(v, name);
  if (!s) return std::nullopt;
  for (const char c : *s) {
    if (!isSessionIdChar(c)) {
      fail(code::kBadRequest, name, "may only contain A-Z a-z 0-9 . _ : -");
      return std::nullopt;
    }
  }
  return s;
}

std::optional<std::string> FieldReader::readOneOf(const nlohmann::json& v, const char* name,
                                                  rule::Choices allowed) {
  if (!v.is_string()) {
    fail(code::kBadRequest, name, std::string("must be a string, got ") + jsonTypeName(v));
    return std::nullopt;
  }
  const auto& s = v.get_ref<const std::string&>();
  for (const char* a : allowed) {
    if (s == a) return s;
  }
  fail(code::kBadRequest, name, "must be one of " + allowedList(allowed));
  return std::nullopt;
}

std::optional<int64_t> FieldReader::readInteger(const nlohmann::json& v, const char* name,
                                                int64_t min) {
  const std::string want = "must be an integer >= " + std::to_string(min);
  if (!v.is_number_integer()) {  // floats (1.5, 1e3, 1e20) and non-numbers
    fail(code::kBadRequest, name, want);
    return std::nullopt;
  }
  int64_t value = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      fail(code::kBadRequest, name, want + " that fits 64 bits");
      return std::nullopt;
    }
    value = static_cast<int64_t>(u);
  } else {
    value = v.get<int64_t>();
  }
  if (value < min) {
    fail(code::kBadRequest, name, want);
    return std::nullopt;
  }
  return value;
}

std::string FieldReader::string(const char* name, std::size_t minBytes, std::size_t maxBytes) {
  const nlohmann::json* v = require(name);
  if (!v) return {};
  return readString(*v, name, minBytes, maxBytes).value_or(std::string());
}

std::optional<std::string> FieldReader::optString(const char* name, std::size_t minBytes,
                                                  std::size_t maxBytes) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return std::nullopt;
  return readString(*v, name, minBytes, maxBytes);
}

std::string FieldReader::id(const char* name) {
  const nlohmann::json* v = require(name);
  if (!v) return {};
  return readId(*v, name).value_or(std::string());
}

std::optional<std::string> FieldReader::optId(const char* name) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return std::nullopt;
  return readId(*v, name);
}

std::string FieldReader::sessionId(const char* name) {
  const nlohmann::json* v = require(name);
  if (!v) return {};
  return readSessionId(*v, name).value_or(std::string());
}

std::optional<std::string> FieldReader::optSessionId(const char* name) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return std::nullopt;
  return readSessionId(*v, name);
}

std::string FieldReader::oneOf(const char* name, rule::Choices allowed) {
  const nlohmann::json* v = require(name);
  if (!v) return {};
  return readOneOf(*v, name, allowed).value_or(std::string());
}

std::optional<std::string> FieldReader::optOneOf(const char* name,
                                                 rule::Choices allowed) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return std::nullopt;
  return readOneOf(*v, name, allowed);
}

int64_t FieldReader::integer(const char* name, int64_t min) {
  const nlohmann::json* v = require(name);
  if (!v) return min;
  return readInteger(*v, name, min).value_or(min);
}

std::optional<int64_t> FieldReader::optInteger(const char* name, int64_t min) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return std::nullopt;
  return readInteger(*v, name, min);
}

double FieldReader::number(const char* name, double min) {
  const nlohmann::json* v = require(name);
  if (!v) return min;
  if (!v->is_number()) {
    fail(code::kBadRequest, name, std::string("must be a number, got ") + jsonTypeName(*v));
    return min;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min) {
    fail(code::kBadRequest, name, "must be a finite number >= " + std::to_string(min));
    return min;
  }
  return d;
}

bool FieldReader::boolean(const char* name) {
  const nlohmann::json* v = require(name);
  if (!v) return false;
  if (!v->is_boolean()) {
    fail(code::kBadRequest, name, std::string("must be a boolean, got ") + jsonTypeName(*v));
    return false;
  }
  return v->get<bool>();
}

bool FieldReader::optBoolean(const char* name, bool fallback) {
  const nlohmann::json* v = ok() ? find(name) : nullptr;
  if (!v) return fallback;
  if (!v->is_boolean()) {
    fail(code::kBadRequest, name, std::string("must be a boolean, got ") + jsonTypeName(*v));
    return fallback;
  }
  return v->get<bool>();
}

nlohmann::json FieldReader::objectValue(const char* name) {
  const nlohmann::json* v = require(name);
  if (!v) return nlohmann::json::object();
  if (!v->is_object()) {
    fail(code::kBadRequest, name, std::string("must be an object, got ") + jsonTypeName(*v));
    return nlohmann::json::object();
  }
  return *v;
}

nlohmann::json FieldReader::anyValue(const char* name) {
  if (!ok()) return nullptr;
  if (!obj_.is_object()) return nullptr;
  const auto it = obj_.find(name);
  if (it == obj_.end()) {
    fail(code::kBadRequest, name, "required");
    return nullptr;
  }
  return *it;
}

FieldReader FieldReader::child(const char* name) {
  const nlohmann::json* v = require(name);
  if (v && !v->is_object()) {
    fail(code::kBadRequest, name, std::string("must be an object, got ") + jsonTypeName(*v));
  }
  const nlohmann::json& target = (v && v->is_object()) ? *v : emptyObject();
  return FieldReader(target, path(name) + ".", error_);
}

const nlohmann::json* FieldReader::array(const char* name) {
  const nlohmann::json* v = require(name);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(code::kBadRequest, name, std::string("must be an array, got ") + jsonTypeName(*v));
    return nullptr;
  }
  return v;
}

FieldReader FieldReader::element(const char* name, std::size_t index,
                                 const nlohmann::json& value) {
  const std::string at = std::string(name) + "[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    fail(code::kBadRequest, at, std::string("must be an object, got ") + jsonTypeName(value));
  }
  return FieldReader(value.is_object() ? value : emptyObject(), path(at) + ".", error_);
}

}  // namespace chat::proto::detail
