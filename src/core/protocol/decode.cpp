// The decoders of both directions. Their dispatch tables are made from the message variants
// (messages.h): each message's declared fields are read by readMessage (message_codec.h), once
// with FieldReader (general path: any frame, exact errors) and, for flat messages, once with
// FlatReader (fast path: read in place, no DOM).
#include <array>
#include <string_view>
#include <type_traits>
#include <variant>

#include "core/protocol/codec.h"
#include "core/protocol/decode_dispatch.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/message_codec.h"

namespace chat::proto {
namespace {

using detail::FieldReader;
using detail::FlatReader;

template <class T, class Variant, class Reader>
Variant readAs(Reader& r) {
  return detail::readMessage<T>(r);
}

// The frames that come by the thousand: a reply's words, a tool's output, the user's sends.
template <class T>
constexpr bool isFrequent() {
  return std::is_same_v<T, StreamDelta> || std::is_same_v<T, StreamReasoning> ||
         std::is_same_v<T, ToolOutput> ||
         std::is_same_v<T, ChatSend>;
}

template <class Variant>
struct Tables;

template <class... Ts>
struct Tables<std::variant<Ts...>> {
  using Variant = std::variant<Ts...>;
  static constexpr std::size_t kFlatCount = ((detail::isFlat<Ts>() ? 1 : 0) + ...);

  // Every message, in variant order (the order the unknown-type error lists them in).
  static constexpr std::array<detail::DecoderEntry<Variant>, sizeof...(Ts)> general() {
    return {{{Ts::kType, &readAs<Ts, Variant, FieldReader>}...}};
  }

  // The flat messages only, the frequent ones first (the fast path scans it linearly).
  static constexpr std::array<detail::FlatDecoderEntry<Variant>, kFlatCount> flat() {
    std::array<detail::FlatDecoderEntry<Variant>, kFlatCount> out{};
    std::size_t i = 0;
    (addFlat<Ts>(out, i, true), ...);
    (addFlat<Ts>(out, i, false), ...);
    return out;
  }

 private:
  template <class T>
  static constexpr void addFlat(std::array<detail::FlatDecoderEntry<Variant>, kFlatCount>& out,
                                std::size_t& i, bool frequentPass) {
    if constexpr (detail::isFlat<T>()) {
      if (isFrequent<T>() != frequentPass) return;
      out[i] = {std::string_view(T::kType), &readAs<T, Variant, FlatReader>};
      ++i;
    }
  }
};

using ClientTables = Tables<ClientMessage>;
using GatewayTables = Tables<GatewayMessage>;
constexpr auto kClientDecoders = ClientTables::general();
constexpr auto kFlatClientDecoders = ClientTables::flat();
constexpr auto kGatewayDecoders = GatewayTables::general();
constexpr auto kFlatGatewayDecoders = GatewayTables::flat();

// From a text frame: most frames are flat objects read in place; the rest (and every error) are
// parsed into a DOM and take the general path.
template <class Variant, class FlatTable, class Table>
Decoded<Variant> decodeFrame(std::string_view frame, const FlatTable& flat, const Table& general) {
  if (auto message = detail::decodeFlat<Variant>(frame, flat)) return std::move(*message);
  nlohmann::json j;
  if (auto error = detail::parseFrame(frame, kMaxFrameBytes, &j)) return *error;
  return detail::decodeObject<Variant>(j, general);
}

}  // namespace

Decoded<ClientMessage> decodeClientMessage(const nlohmann::json& j) {
  return detail::decodeObject<ClientMessage>(j, kClientDecoders);
}

Decoded<ClientMessage> decodeClientMessage(std::string_view frame) {
  return decodeFrame<ClientMessage>(frame, kFlatClientDecoders, kClientDecoders);
}

Decoded<GatewayMessage> decodeGatewayMessage(const nlohmann::json& j) {
  return detail::decodeObject<GatewayMessage>(j, kGatewayDecoders);
}

Decoded<GatewayMessage> decodeGatewayMessage(std::string_view frame) {
  return decodeFrame<GatewayMessage>(frame, kFlatGatewayDecoders, kGatewayDecoders);
}

}  // namespace chat::proto
