// The encoder of both directions: each message's declared fields (messages.h) walked into a
// sink. Flat messages (scalar fields only, most frames) are written straight to text by
// FlatJsonWriter; the rest, and toJson(), go through nlohmann's DOM. Both spell the same bytes.
#include <string>
#include <utility>
#include <variant>

#include "core/protocol/codec.h"
#include "core/protocol/json_text.h"
#include "core/protocol/message_codec.h"

namespace chat::proto {
namespace {

template <class T>
nlohmann::json toJsonOf(const T& m) {
  detail::DomSink sink;
  detail::writeMessage(m, sink);
  return sink.take();
}

template <class T>
std::string encodeOf(const T& m) {
  if constexpr (detail::isFlat<T>()) {
    detail::FlatJsonWriter writer;
    detail::writeMessage(m, writer);
    if (auto text = writer.finish()) return std::move(*text);
  }
  return detail::dumpJson(toJsonOf(m));  // invalid UTF-8 in a value: nlohmann replaces it
}

}  // namespace

nlohmann::json toJson(const ClientMessage& m) {
  return std::visit([](const auto& v) { return toJsonOf(v); }, m);
}

nlohmann::json toJson(const GatewayMessage& m) {
  return std::visit([](const auto& v) { return toJsonOf(v); }, m);
}

std::string encode(const ClientMessage& m) {
  return std::visit([](const auto& v) { return encodeOf(v); }, m);
}

std::string encode(const GatewayMessage& m) {
  return std::visit([](const auto& v) { return encodeOf(v); }, m);
}

}  // namespace chat::proto
