// The client's frame decoders: the general path (nlohmann DOM) and the fast path (flat
// objects read in place), for gateway frames, client frames and GET /api/events pages. Any
// input: no crash, no sanitizer report, and where both paths decode a frame they must agree
// (the fast path is an optimization, never a second opinion).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "core/protocol/flat_object.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/page_skeleton.h"

using namespace chat::proto;
using namespace chat::proto::detail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);

  auto gateway = decodeGatewayMessage(frame);  // fast path first, DOM path for the rest
  auto client = decodeClientMessage(frame);
  auto page = decodeEventsPage(frame);
  (void)client;
  (void)page;

  (void)isValidUtf8(frame);
  (void)nestingWithin(frame, 16);
  FlatObject flat;
  (void)flat.parse(frame);
  PageSkeleton skeleton;
  (void)readPageSkeleton(frame, 16, &skeleton);

  // Differential: the general path alone must give the same message.
  if (gateway && nestingWithin(frame, 64)) {
    auto j = nlohmann::json::parse(frame, nullptr, false);
    if (!j.is_discarded()) {
      auto general = decodeGatewayMessage(j);
      if (!general) std::abort();  // the fast path accepted what the contract refuses
      if (encode(gateway.value()) != encode(general.value())) std::abort();
    }
  }
  if (gateway) (void)encode(gateway.value());  // what was decoded encodes again
  return 0;
}
