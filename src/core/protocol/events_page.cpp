// GET /api/events answers: {"events":[...], "lastSeq":N}.
#include "core/protocol/codec.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/json_text.h"

namespace chat::proto {
namespace {

// A page carries many events, so it may be far larger than one frame; this bound only keeps a
// broken or hostile server from making the client parse without limit.
constexpr std::size_t kMaxEventsPageBytes = 16 * 1024 * 1024;

}  // namespace

Decoded<EventsPage> decodeEventsPage(std::string_view body) {
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

}  // namespace chat::proto
