// The shared top of both decoders (private to the protocol module): the value must be an
// object with a known string `type`; the matching reader then reads the fields.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/flat_object.h"
#include "core/protocol/flat_reader.h"

namespace chat::proto::detail {

template <class Variant>
struct DecoderEntry {
  const char* type;
  Variant (*read)(FieldReader&);
};

// At most `maxBytes` of `s`, cut on a UTF-8 character boundary (for quoting input in messages).
std::string clipUtf8(const std::string& s, std::size_t maxBytes);

// The fast path's table: only the messages whose fields are all scalars (see flat_object.h).
template <class Variant>
struct FlatDecoderEntry {
  std::string_view type;
  Variant (*read)(FlatReader&);
};

// The message in `frame` when it is a flat object of a type in `table` whose fields all follow
// the rules; nullopt for anything else (the caller then runs the general path on the same
// frame, which either decodes it or reports exactly what is wrong).
template <class Variant, class Table>
std::optional<Variant> decodeFlat(std::string_view frame, const Table& table) {
  if (frame.size() > kMaxFrameBytes) return std::nullopt;
  try {
    FlatObject obj;
    if (!obj.parse(frame)) return std::nullopt;
    const FlatObject::Member* type = obj.find("type");
    if (!type || type->kind != FlatObject::Kind::kString) return std::nullopt;
    for (const auto& entry : table) {
      if (type->text != entry.type) continue;
      FlatReader reader(obj);
      Variant message = entry.read(reader);
      if (!reader.ok()) return std::nullopt;
      return message;
    }
  } catch (const std::exception&) {  // e.g. std::bad_alloc: the general path answers
  }
  return std::nullopt;
}

template <class Variant, class Table>
Decoded<Variant> decodeObject(const nlohmann::json& j, const Table& table) {
  try {
    if (!j.is_object()) {
      return DecodeError{code::kBadRequest, "",
                         std::string("message must be a JSON object, got ") + j.type_name()};
    }
    const auto t = j.find("type");
    if (t == j.end()) return DecodeError{code::kBadRequest, "type", "type: required"};
    if (!t->is_string()) {
      return DecodeError{code::kBadRequest, "type",
                         std::string("type: must be a string, got ") + t->type_name()};
    }
    const auto& type = t->get_ref<const std::string&>();
    for (const auto& entry : table) {
      if (type != entry.type) continue;
      std::optional<DecodeError> error;
      FieldReader reader(j, "", error);
      Variant message = entry.read(reader);
      if (error) return *error;
      return message;
    }
    std::string known;
    for (const auto& entry : table) {
      if (!known.empty()) known += ", ";
      known += entry.type;
    }
    return DecodeError{code::kBadRequest, "type",
                       "type: unknown message type \"" + clipUtf8(type, 64) +
                           "\" (expected one of " + known + ")"};
  } catch (const std::exception&) {  // e.g. std::bad_alloc: an answer, never a crash
    return DecodeError{code::kBadRequest, "", "message could not be decoded"};
  }
}

}  // namespace chat::proto::detail
