// GET /api/events answers: {"events":[...], "lastSeq":N}.
#include "core/protocol/codec.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/json_text.h"
#include "core/protocol/page_skeleton.h"

namespace chat::proto {
namespace {

// A page carries many events, so it may be far larger than one frame; this bound only keeps a
// broken or hostile server from making the client parse without limit.
constexpr std::size_t kMaxEventsPageBytes = 16 * 1024 * 1024;

// The fast path: the page's skeleton read in place and each event decoded from its own text, so
// flat events (deltas, tool output, messages) never become a DOM. It answers only a page it
// decodes completely; anything else, every error included, is left to the general path, which
// names it. A page accepted here is one the general path accepts, with the same result:
//   - every byte is either in the skeleton (ASCII, checked by readPageSkeleton) or in an event
//     whose decoder checked its UTF-8 and JSON;
//   - nesting is counted from the page's root: an event sits two levels down (object, array);
//   - the events decode alike either way (the frame decoders' own differential tests).
std::optional<EventsPage> decodeEventsPageFast(std::string_view body) {
  if (body.size() > kMaxEventsPageBytes) return std::nullopt;
  detail::PageSkeleton skeleton;
  if (!detail::readPageSkeleton(body, detail::kMaxNestingDepth - 2, &skeleton)) return std::nullopt;
  EventsPage page;
  page.lastSeq = skeleton.lastSeq;
  page.events.reserve(skeleton.events.size());
  for (std::string_view text : skeleton.events) {
    // An event over one frame's size limit fails here and the general path (no such limit per
    // event) takes the page.
    auto decoded = decodeGatewayMessage(text);
    if (!decoded) return std::nullopt;
    page.events.push_back(std::move(decoded.value()));
  }
  return page;
}

}  // namespace

Decoded<EventsPage> decodeEventsPage(std::string_view body) {
  try {
    if (auto page = decodeEventsPageFast(body)) return std::move(*page);
  } catch (const std::exception&) {  // e.g. std::bad_alloc: the general path answers
  }
  try {
    nlohmann::json j;
    if (auto error = detail::parseFrame(body, kMaxEventsPageBytes, &j)) return *error;
    if (!j.is_object()) {
      return DecodeError{code::kBadRequest, "",
                         std::string("events page must be a JSON object, got ") + j.type_name()};
    }
    std::optional<DecodeError> error;
    detail::FieldReader r(j, "", error);
    EventsPage page;
    const nlohmann::json* events = r.array("events");
    page.lastSeq = r.integer("lastSeq", 0);
    if (error) return *error;
    page.events.reserve(events->size());
    // One bad event fails the page: skipping it would leave a seq gap the client cannot close.
    for (std::size_t i = 0; i < events->size(); ++i) {
      auto decoded = decodeGatewayMessage((*events)[i]);
      if (!decoded) {
        const std::string at = "events[" + std::to_string(i) + "]";
        const DecodeError& e = decoded.error();
        return DecodeError{e.code, e.field.empty() ? at : at + "." + e.field,
                           at + ": " + e.message};
      }
      page.events.push_back(std::move(decoded.value()));
    }
    return page;
  } catch (const std::exception&) {
    return DecodeError{code::kBadRequest, "", "events page could not be decoded"};
  }
}

std::string encodeEventsPage(const std::vector<nlohmann::json>& events, int64_t lastSeq) {
  nlohmann::json page = nlohmann::json::object();
  page["events"] = nlohmann::json(events);
  page["lastSeq"] = lastSeq;
  return detail::dumpJson(page);
}

std::string encodeEventsPageOfFrames(const std::vector<std::string_view>& events,
                                    int64_t lastSeq) {
  std::size_t size = 32;
  for (std::string_view e : events) size += e.size() + 1;
  std::string out;
  out.reserve(size);
  out += "{\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i) out += ',';
    out += events[i];
  }
  out += "],\"lastSeq\":";
  out += std::to_string(lastSeq);
  out += '}';
  return out;
}

}  // namespace chat::proto
