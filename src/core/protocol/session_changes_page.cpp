// GET /api/session-changes answers: {"changes":[session.changed...], "lastChange":K, "more":B}.
#include <utility>

#include "core/protocol/codec.h"
#include "core/protocol/field_reader.h"
#include "core/protocol/frame_check.h"
#include "core/protocol/json_text.h"

namespace chat::proto {
namespace {

// A page holds at most 1000 changes of a few hundred bytes each; the bound only keeps a broken
// or hostile server from making the client parse without limit.
constexpr std::size_t kMaxChangesPageBytes = 16 * 1024 * 1024;

}  // namespace

Decoded<SessionChangesPage> decodeSessionChangesPage(std::string_view body) {
  try {
    nlohmann::json j;
    if (auto error = detail::parseFrame(body, kMaxChangesPageBytes, &j)) return *error;
    if (!j.is_object()) {
      return DecodeError{code::kBadRequest, "",
                         std::string("changes page must be a JSON object, got ") + j.type_name()};
    }
    std::optional<DecodeError> error;
    detail::FieldReader r(j, "", error);
    SessionChangesPage page;
    const nlohmann::json* changes = r.array("changes");
    page.lastChange = r.integer("lastChange", 0);
    page.more = r.optBoolean("more", false);
    if (error) return *error;
    page.changes.reserve(changes->size());
    for (std::size_t i = 0; i < changes->size(); ++i) {
      const std::string at = "changes[" + std::to_string(i) + "]";
      auto decoded = decodeGatewayMessage((*changes)[i]);
      if (!decoded) {
        const DecodeError& e = decoded.error();
        return DecodeError{e.code, e.field.empty() ? at : at + "." + e.field,
                           at + ": " + e.message};
      }
      auto* change = std::get_if<SessionChanged>(&decoded.value());
      if (!change) {
        return DecodeError{code::kBadRequest, at + ".type",
                           at + ".type: must be session.changed"};
      }
      page.changes.push_back(std::move(*change));
    }
    return page;
  } catch (const std::exception&) {
    return DecodeError{code::kBadRequest, "", "changes page could not be decoded"};
  }
}

std::string encodeSessionChangesPage(const SessionChangesPage& page) {
  nlohmann::json changes = nlohmann::json::array();
  for (const SessionChanged& change : page.changes) changes.push_back(toJson(GatewayMessage{change}));
  nlohmann::json out = nlohmann::json::object();
  out["changes"] = std::move(changes);
  out["lastChange"] = page.lastChange;
  out["more"] = page.more;
  return detail::dumpJson(out);
}

}  // namespace chat::proto
