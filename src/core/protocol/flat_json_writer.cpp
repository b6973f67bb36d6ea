#include "core/protocol/flat_json_writer.h"

#include <utility>

#include "core/protocol/frame_check.h"

namespace chat::proto::detail {
namespace {

// nlohmann's dump(ensure_ascii = false): the short escapes, \u00xx (lower-case hex) for the
// other control characters, everything else (DEL and non-ASCII included) as is.
void appendEscaped(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::size_t run = 0;  // start of the pending unescaped run
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        break;
    }
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

FlatJsonWriter::Field* FlatJsonWriter::next() {
  if (count_ == kMaxFields) {
    overflow_ = true;
    return nullptr;
  }
  return &fields_[count_++];
}

void FlatJsonWriter::add(std::string_view key, std::string_view value) {
  if (Field* f = next()) *f = Field{key, Kind::kString, value, 0, false};
}

void FlatJsonWriter::add(std::string_view key, int64_t value) {
  if (Field* f = next()) *f = Field{key, Kind::kInteger, {}, value, false};
}

void FlatJsonWriter::add(std::string_view key, bool value) {
  if (Field* f = next()) *f = Field{key, Kind::kBoolean, {}, 0, value};
}

std::optional<std::string> FlatJsonWriter::finish() {
  if (overflow_) return std::nullopt;
  std::size_t size = 2;
  for (std::size_t i = 0; i < count_; ++i) {
    const Field& f = fields_[i];
    if (f.kind == Kind::kString && !isValidUtf8(f.text)) return std::nullopt;
    size += f.key.size() + f.text.size() + 24;
  }
  // std::map order: byte-wise by key (an insertion sort: a handful of fields).
  for (std::size_t i = 1; i < count_; ++i) {
    for (std::size_t k = i; k > 0 && fields_[k].key < fields_[k - 1].key; --k) {
      std::swap(fields_[k], fields_[k - 1]);
    }
  }
  std::string out;
  out.reserve(size);
  out += '{';
  for (std::size_t i = 0; i < count_; ++i) {
    const Field& f = fields_[i];
    if (i > 0) out += ',';
    out += '"';
    out.append(f.key.data(), f.key.size());
    out += "\":";
    switch (f.kind) {
      case Kind::kString:
        out += '"';
        appendEscaped(out, f.text);
        out += '"';
        break;
      case Kind::kInteger:
        out += std::to_string(f.integer);
        break;
      case Kind::kBoolean:
        out += f.boolean ? "true" : "false";
        break;
    }
  }
  out += '}';
  return out;
}

}  // namespace chat::proto::detail
